// What the demo and the end-to-end tests share: a VSIX that matches the sources, and a VS Code
// profile (user settings + extensions dir) that points the installed extension at a Redis.
const fs = require('fs');
const path = require('path');

const repoRoot = path.resolve(__dirname, '..', '..');
const EXTENSION_ID = 'workflow-memory.workflow-memory';

/** Files whose change makes a VSIX stale. */
const PACKAGED_SOURCES = ['src', 'media', 'package.json', 'esbuild.js', '.vscodeignore', 'README.md', 'LICENSE'];

function newestModification(entry) {
  if (!fs.existsSync(entry)) return 0;
  const stat = fs.statSync(entry);
  if (!stat.isDirectory()) return stat.mtimeMs;
  return fs.readdirSync(entry).reduce((newest, name) => Math.max(newest, newestModification(path.join(entry, name))), stat.mtimeMs);
}

/**
 * The packaged extension (scripts/package.js, vsce): reused when newer than every packaged source,
 * built otherwise.
 * @param {{ log?: (line: string) => void, rebuild?: boolean }} [options]
 * @returns {string} the VSIX's absolute path
 */
function ensureVsix(options = {}) {
  const say = options.log ?? ((line) => console.log(line));
  const manifest = JSON.parse(fs.readFileSync(path.join(repoRoot, 'package.json'), 'utf8'));
  const vsix = path.join(repoRoot, `${manifest.name}-${manifest.version}.vsix`);
  const sourcesChanged = PACKAGED_SOURCES.reduce((newest, entry) => Math.max(newest, newestModification(path.join(repoRoot, entry))), 0);
  if (!options.rebuild && fs.existsSync(vsix) && fs.statSync(vsix).mtimeMs >= sourcesChanged) return vsix;
  say(`Building ${path.basename(vsix)} (scripts/package.js)…`);
  const { packageExtension } = require('../package');
  return packageExtension(vsix);
}

/**
 * Writes the profile's user settings. A URL with a password is never written to settings: it
 * is returned as REDIS_URL for the editor's environment instead, which the extension reads when
 * workflowMemory.redis.url is unset.
 * @param {string} userDataDir
 * @param {{ redisUrl: string, namespace: string, settings?: Record<string, unknown> }} options
 * @returns {{ env: Record<string, string> }} environment the editor must be started with
 */
function writeProfileSettings(userDataDir, options) {
  const hasPassword = Boolean(new URL(options.redisUrl).password);
  const settings = {
    ...(hasPassword ? {} : { 'workflowMemory.redis.url': options.redisUrl }),
    'workflowMemory.namespace': options.namespace,
    'workbench.startupEditor': 'none',
    'workbench.tips.enabled': false,
    'workbench.enableExperiments': false,
    'security.workspace.trust.enabled': false,
    'telemetry.telemetryLevel': 'off',
    'extensions.autoCheckUpdates': false,
    'extensions.autoUpdate': false,
    'extensions.ignoreRecommendations': true,
    'update.mode': 'none',
    'git.openRepositoryInParentFolders': 'never',
    ...options.settings,
  };
  fs.mkdirSync(path.join(userDataDir, 'User'), { recursive: true });
  fs.writeFileSync(path.join(userDataDir, 'User', 'settings.json'), JSON.stringify(settings, null, 2) + '\n');
  return { env: hasPassword ? { REDIS_URL: options.redisUrl } : {} };
}

/** The folder name of the installed extension (`workflow-memory.workflow-memory-0.1.0`), if any. */
function installedExtension(extensionsDir) {
  if (!fs.existsSync(extensionsDir)) return undefined;
  return fs.readdirSync(extensionsDir).find((name) => name.startsWith(`${EXTENSION_ID}-`));
}

/** The URL with its password replaced: what may be printed. */
function redactUrl(url) {
  try {
    const parsed = new URL(url);
    if (parsed.password) parsed.password = '***';
    return parsed.toString().replace(/\/$/, '');
  } catch {
    return '(an unparsable URL)';
  }
}

module.exports = { EXTENSION_ID, ensureVsix, writeProfileSettings, installedExtension, redactUrl };
