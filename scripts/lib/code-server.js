// code-server (VS Code 1.100.3 on the machine's Node 20) for the extension-host tests, the
// end-to-end tests and the demo. Facts behind each step: /work/shared/recipes/real-vscode-offline.md.
const { spawn, spawnSync } = require('child_process');
const fs = require('fs');
const http = require('http');
const os = require('os');
const path = require('path');
const { freePort } = require('./redis-server');

const CODE_SERVER_VERSION = '4.100.3';

/** The repository root: the nearest package.json above, also when tsc has copied this file to out/. */
function findRepoRoot(start) {
  for (let dir = start; ; dir = path.dirname(dir)) {
    if (fs.existsSync(path.join(dir, 'package.json'))) return dir;
    if (path.dirname(dir) === dir) return path.resolve(__dirname, '..', '..');
  }
}

const repoRoot = findRepoRoot(__dirname);
const toolsDir = path.join(repoRoot, '.tools');
const installDir = path.join(toolsDir, 'code-server');
const markerFile = path.join(installDir, `.installed-${CODE_SERVER_VERSION}`);
const lockDir = path.join(toolsDir, 'code-server.lock');
const installLog = path.join(toolsDir, 'code-server-install.log');
const packageDir = path.join(installDir, 'node_modules', 'code-server');
const entryScript = path.join(packageDir, 'out', 'node', 'entry.js');

function isCodeServerInstalled() {
  return fs.existsSync(markerFile) && fs.existsSync(entryScript);
}

function tail(file, lines = 60) {
  try {
    return fs.readFileSync(file, 'utf8').split('\n').slice(-lines).join('\n');
  } catch {
    return '(no log)';
  }
}

function isAlive(pid) {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return error.code === 'EPERM';
  }
}

/** One installer at a time across processes (the demo and a test run may start together). */
async function withInstallLock(work) {
  fs.mkdirSync(toolsDir, { recursive: true });
  const ownerFile = path.join(lockDir, 'pid');
  for (;;) {
    try {
      fs.mkdirSync(lockDir);
      fs.writeFileSync(ownerFile, String(process.pid));
      break;
    } catch (error) {
      if (error.code !== 'EEXIST') throw error;
      const owner = Number(fs.existsSync(ownerFile) ? fs.readFileSync(ownerFile, 'utf8') : NaN);
      // A lock left by a process that died (or one that crashed before writing its pid) is stale.
      const stale = Number.isFinite(owner) ? !isAlive(owner)
        : Date.now() - fs.statSync(lockDir).mtimeMs > 30000;
      if (stale) fs.rmSync(lockDir, { recursive: true, force: true });
      else await new Promise((resolve) => setTimeout(resolve, 1000));
    }
  }
  try {
    return await work();
  } finally {
    fs.rmSync(lockDir, { recursive: true, force: true });
  }
}

/** Runs one install step, appending its output to the install log; throws with the log's tail. */
function runStep(description, command, args, cwd, log) {
  fs.appendFileSync(log, `\n$ (cd ${cwd} && ${command} ${args.join(' ')})  # ${description}\n`);
  const logFd = fs.openSync(log, 'a');
  const result = spawnSync(command, args, {
    cwd,
    stdio: ['ignore', logFd, logFd],
    env: {
      ...process.env,
      // node-pty's build runs `npx node-gyp`; /root/.npmrc says yes=false.
      npm_config_yes: 'true',
      npm_config_audit: 'false',
      npm_config_fund: 'false',
      npm_config_update_notifier: 'false',
      npm_config_loglevel: 'warn',
    },
  });
  fs.closeSync(logFd);
  if (result.status !== 0) {
    const why = result.error ? result.error.message : `exit status ${result.status ?? result.signal}`;
    throw new Error(`code-server install failed at "${description}" (${why}). Last lines of ${log}:\n${tail(log)}`);
  }
}

function symlink(target, linkPath) {
  fs.rmSync(linkPath, { force: true });
  fs.symlinkSync(target, linkPath);
}

function installInto(dir, log) {
  const ripgrep = spawnSync('sh', ['-c', 'command -v rg'], { encoding: 'utf8' }).stdout.trim();
  if (!ripgrep) throw new Error('ripgrep is not installed (apt-get install ripgrep): code-server needs it for search.');
  // Without a package.json here npm would walk up and install into the repository itself.
  fs.writeFileSync(path.join(dir, 'package.json'), JSON.stringify({ name: 'wm-code-server', private: true }, null, 2));
  // Its postinstall refuses root; run it with --ignore-scripts and do its steps by hand.
  runStep('download code-server', 'npm', ['install', '--ignore-scripts', '--no-package-lock', `code-server@${CODE_SERVER_VERSION}`], dir, log);
  runStep('build argon2', 'npm', ['rebuild', 'argon2'], dir, log);
  const vscodeDir = path.join(dir, 'node_modules', 'code-server', 'lib', 'vscode');
  runStep('install VS Code server modules', 'npm', ['install', '--omit=dev', '--ignore-scripts'], vscodeDir, log);
  // @vscode/ripgrep's postinstall downloads from GitHub; Debian's rg in place makes it skip that.
  const ripgrepBin = path.join(vscodeDir, 'node_modules', '@vscode', 'ripgrep', 'bin');
  fs.mkdirSync(ripgrepBin, { recursive: true });
  fs.copyFileSync(ripgrep, path.join(ripgrepBin, 'rg'));
  fs.chmodSync(path.join(ripgrepBin, 'rg'), 0o755);
  runStep('build native modules', 'npm', ['rebuild'], vscodeDir, log);
  symlink('node_modules', path.join(vscodeDir, 'node_modules.asar'));
  symlink('code-linux.sh', path.join(vscodeDir, 'bin', 'remote-cli', 'code-server'));
  symlink('browser-linux.sh', path.join(vscodeDir, 'bin', 'helpers', 'browser.sh'));
  runStep('install built-in extensions modules', 'npm', ['install', '--omit=dev'], path.join(vscodeDir, 'extensions'), log);
  // --config, or it writes ~/.config/code-server/config.yaml.
  fs.writeFileSync(path.join(dir, 'config.yaml'), 'auth: none\n');
  runStep('check it starts', process.execPath, [path.join(dir, 'node_modules', 'code-server', 'out', 'node', 'entry.js'),
    '--config', path.join(dir, 'config.yaml'), '--version'], dir, log);
}

/**
 * Installs code-server into .tools/code-server once per version (about 70 s, 300 MB).
 * Builds in a temporary directory and renames it into place, so an interrupted install
 * never looks finished; a directory without this version's marker is redone.
 * @param {{ log?: (line: string) => void }} [options]
 * @returns {Promise<string>} the entry script to run with node
 */
async function ensureCodeServer(options = {}) {
  const say = options.log ?? ((line) => console.log(line));
  if (isCodeServerInstalled()) return entryScript;
  return withInstallLock(async () => {
    if (isCodeServerInstalled()) return entryScript; // another process finished it meanwhile
    const started = Date.now();
    say(`Installing code-server ${CODE_SERVER_VERSION} into ${path.relative(process.cwd(), installDir) || installDir} (about 70 s; log: ${installLog})`);
    fs.writeFileSync(installLog, `code-server ${CODE_SERVER_VERSION} install, ${new Date().toISOString()}\n`);
    const building = path.join(toolsDir, `code-server.building-${process.pid}`);
    fs.rmSync(building, { recursive: true, force: true });
    fs.mkdirSync(building, { recursive: true });
    try {
      installInto(building, installLog);
      fs.writeFileSync(path.join(building, `.installed-${CODE_SERVER_VERSION}`), new Date().toISOString() + '\n');
      fs.rmSync(installDir, { recursive: true, force: true });
      fs.renameSync(building, installDir);
    } catch (error) {
      fs.rmSync(building, { recursive: true, force: true });
      throw error;
    }
    say(`code-server ${CODE_SERVER_VERSION} installed in ${((Date.now() - started) / 1000).toFixed(0)} s`);
    return entryScript;
  });
}

function httpStatus(url) {
  return new Promise((resolve) => {
    const request = http.get(url, (response) => {
      response.resume();
      resolve(response.statusCode);
    });
    request.on('error', () => resolve(0));
    request.setTimeout(2000, () => request.destroy());
  });
}

/** Kills a detached process's whole group: its extension host would otherwise linger for hours. */
function killGroup(pid, signal) {
  try {
    process.kill(-pid, signal);
  } catch {
    // already gone
  }
}

/**
 * Starts code-server detached on a free loopback port and waits for /healthz.
 * @param {{ port?: number, host?: string, userDataDir?: string, extensionsDir?: string, folder?: string,
 *   env?: NodeJS.ProcessEnv, extraArgs?: string[], logFile?: string, timeoutMs?: number }} [options]
 * @returns {Promise<{ url: string, port: number, host: string, pid: number, userDataDir: string,
 *   extensionsDir: string, output: () => string, stop: () => Promise<void> }>}
 */
async function startCodeServer(options = {}) {
  const entry = await ensureCodeServer();
  const host = options.host ?? '127.0.0.1';
  const port = options.port ?? (await freePort(host));
  const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'wm-code-server-'));
  const userDataDir = options.userDataDir ?? path.join(scratch, 'user-data');
  const extensionsDir = options.extensionsDir ?? path.join(scratch, 'extensions');
  fs.mkdirSync(userDataDir, { recursive: true });
  fs.mkdirSync(extensionsDir, { recursive: true });
  // Without --config it writes ~/.config/code-server/config.yaml.
  const configFile = path.join(scratch, 'config.yaml');
  fs.writeFileSync(configFile, `bind-addr: ${host}:${port}\nauth: none\ncert: false\n`);
  const args = [
    entry,
    '--config', configFile,
    '--bind-addr', `${host}:${port}`,
    '--auth', 'none',
    '--disable-telemetry',
    '--disable-update-check',
    '--disable-workspace-trust',
    '--user-data-dir', userDataDir,
    '--extensions-dir', extensionsDir,
    ...(options.extraArgs ?? []),
    ...(options.folder ? [options.folder] : []),
  ];
  let output = '';
  const logFd = options.logFile ? fs.openSync(options.logFile, 'a') : null;
  const child = spawn(process.execPath, args, {
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, ...options.env },
  });
  const collect = (chunk) => {
    output = (output + chunk).slice(-200000);
    if (logFd !== null) fs.writeSync(logFd, chunk);
  };
  child.stdout.on('data', collect);
  child.stderr.on('data', collect);
  const exited = new Promise((resolve) => child.once('exit', resolve));
  // If this process dies first, take code-server's group with it.
  const killOnExit = () => killGroup(child.pid, 'SIGKILL');
  process.on('exit', killOnExit);

  let stopped = false;
  const stop = async () => {
    if (stopped) return;
    stopped = true;
    killGroup(child.pid, 'SIGTERM');
    const timer = setTimeout(() => killGroup(child.pid, 'SIGKILL'), 3000);
    if (child.exitCode === null && child.signalCode === null) await exited;
    clearTimeout(timer);
    killGroup(child.pid, 'SIGKILL'); // stragglers of the group, e.g. an extension host still closing
    process.removeListener('exit', killOnExit);
    if (logFd !== null) fs.closeSync(logFd);
    fs.rmSync(scratch, { recursive: true, force: true });
  };

  const url = `http://${host}:${port}`;
  const deadline = Date.now() + (options.timeoutMs ?? 60000);
  let exitedEarly = false;
  exited.then(() => { exitedEarly = true; });
  for (;;) {
    if ((await httpStatus(`${url}/healthz`)) === 200) break;
    if (exitedEarly || Date.now() > deadline) {
      await stop();
      throw new Error(`code-server ${exitedEarly ? 'exited at start' : 'did not answer /healthz in time'}:\n${output.slice(-4000)}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  return { url, port, host, pid: child.pid, userDataDir, extensionsDir, output: () => output, stop };
}

/**
 * Installs a VSIX into an extensions directory with code-server's CLI.
 * @returns {Promise<string>} the CLI's output
 */
async function installExtension(vsixPath, extensionsDir) {
  const entry = await ensureCodeServer();
  const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'wm-code-server-cli-'));
  try {
    const configFile = path.join(scratch, 'config.yaml');
    fs.writeFileSync(configFile, 'auth: none\ncert: false\n');
    const result = spawnSync(process.execPath, [
      entry, '--config', configFile, '--user-data-dir', path.join(scratch, 'user-data'),
      '--extensions-dir', extensionsDir, '--install-extension', vsixPath,
    ], { encoding: 'utf8', timeout: 120000 });
    const output = `${result.stdout ?? ''}${result.stderr ?? ''}`;
    if (result.status !== 0) throw new Error(`code-server --install-extension ${vsixPath} failed (${result.status ?? result.signal}):\n${output}`);
    return output;
  } finally {
    fs.rmSync(scratch, { recursive: true, force: true });
  }
}

module.exports = {
  CODE_SERVER_VERSION,
  ensureCodeServer,
  isCodeServerInstalled,
  startCodeServer,
  installExtension,
  killGroup,
  codeServerInstallDir: installDir,
};
