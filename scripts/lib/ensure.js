// Installs what the tests and the demo need when it is missing, so one command works on a fresh
// Debian machine with Node 20: Debian packages (apt), npm packages (npm ci), code-server.
const { spawnSync } = require('child_process');
const fs = require('fs');
const path = require('path');
const { ensureCodeServer } = require('./code-server');

const repoRoot = path.resolve(__dirname, '..', '..');

/** Debian packages: the servers and browser the tests drive, and what code-server's native modules build with. */
const DEBIAN_PACKAGES = ['redis-server', 'chromium', 'fonts-dejavu-core', 'ripgrep', 'libkrb5-dev', 'python3', 'make', 'g++'];

function isDebianPackageInstalled(name) {
  const result = spawnSync('dpkg-query', ['-W', '-f=${Status}', name], { encoding: 'utf8' });
  return result.status === 0 && result.stdout.includes('install ok installed');
}

function run(command, args, options = {}) {
  const result = spawnSync(command, args, { stdio: 'inherit', ...options });
  if (result.error) throw new Error(`${command} could not start: ${result.error.message}`);
  if (result.status !== 0) throw new Error(`${command} ${args.join(' ')} failed with exit status ${result.status ?? result.signal}`);
}

/**
 * apt-get installs the Debian packages that are missing (apt-get update once first); nothing
 * when all are present. As a non-root user it uses sudo when there is one, else says what to run.
 */
function ensureDebianPackages(packages = DEBIAN_PACKAGES, log = console.log) {
  const missing = packages.filter((name) => !isDebianPackageInstalled(name));
  if (missing.length === 0) return [];
  if (spawnSync('sh', ['-c', 'command -v apt-get'], { encoding: 'utf8' }).status !== 0) {
    throw new Error(`Missing packages ${missing.join(', ')} and no apt-get here: install them with your package manager.`);
  }
  const isRoot = typeof process.getuid === 'function' && process.getuid() === 0;
  const hasSudo = spawnSync('sh', ['-c', 'command -v sudo'], { encoding: 'utf8' }).status === 0;
  if (!isRoot && !hasSudo) {
    throw new Error(`Missing Debian packages: ${missing.join(' ')}. Run as root: apt-get update && apt-get install -y ${missing.join(' ')}`);
  }
  const prefix = isRoot ? [] : ['sudo', '-n', 'env', 'DEBIAN_FRONTEND=noninteractive'];
  const apt = (args) => (prefix.length ? run(prefix[0], [...prefix.slice(1), 'apt-get', ...args]) : run('apt-get', args, {
    env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' },
    stdio: ['ignore', 'inherit', 'inherit'],
  }));
  log(`Installing Debian packages: ${missing.join(' ')}`);
  apt(['update', '-q']);
  apt(['install', '-y', '-q', '--no-install-recommends', ...missing]);
  return missing;
}

/** True when node_modules is missing or older than package-lock.json (someone changed the dependencies). */
function nodeModulesOutOfDate(root = repoRoot) {
  const lockFile = path.join(root, 'package-lock.json');
  // npm writes this hidden lockfile on every install; its age is the age of node_modules.
  const installedLock = path.join(root, 'node_modules', '.package-lock.json');
  if (!fs.existsSync(installedLock)) return true;
  if (!fs.existsSync(lockFile)) return false;
  // A few seconds' slack: one `npm install` writes both files, package-lock.json possibly last.
  return fs.statSync(installedLock).mtimeMs + 5000 < fs.statSync(lockFile).mtimeMs;
}

function ensureNodeModules(root = repoRoot, log = console.log) {
  if (!nodeModulesOutOfDate(root)) return false;
  const hasLock = fs.existsSync(path.join(root, 'package-lock.json'));
  log(hasLock ? 'Installing npm packages (npm ci)' : 'Installing npm packages (npm install)');
  run('npm', hasLock ? ['ci'] : ['install'], { cwd: root, stdio: ['ignore', 'inherit', 'inherit'] });
  return true;
}

module.exports = {
  DEBIAN_PACKAGES,
  ensureDebianPackages,
  ensureNodeModules,
  nodeModulesOutOfDate,
  ensureCodeServer,
  isDebianPackageInstalled,
};
