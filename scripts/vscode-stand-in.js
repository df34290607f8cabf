#!/usr/bin/env node
// Stands in for the VS Code executable that @vscode/test-electron's runTests() launches, on a
// machine that cannot download VS Code: serves the real workbench and extension host with
// code-server, opens it in headless Chromium, prints the tests' output and exits with their code.
// Why each trick works: /work/shared/recipes/real-vscode-offline.md.
const fs = require('fs');
const os = require('os');
const path = require('path');
const util = require('util');
const { startCodeServer } = require('./lib/code-server');

const CHROMIUM = process.env.WM_CHROMIUM_PATH || '/usr/bin/chromium';
const WORKBENCH_TIMEOUT_MS = 90000;
const RUN_TIMEOUT_MS = Number(process.env.WM_VSCODE_TIMEOUT_MS) || 15 * 60 * 1000;
const VERBOSE = Boolean(process.env.WM_VSCODE_VERBOSE);
const ARTIFACTS_DIR = path.resolve(__dirname, '..', 'test-results');

/** The subset of VS Code's CLI that runTests() passes; everything else (--no-sandbox, …) is ignored. */
function parseArgs(argv) {
  const parsed = { extensionDevelopmentPath: [], extensionTestsPath: '', userDataDir: '', extensionsDir: '', folder: '' };
  const valueOptions = {
    '--extensionDevelopmentPath': (value) => parsed.extensionDevelopmentPath.push(path.resolve(value)),
    '--extensionTestsPath': (value) => { parsed.extensionTestsPath = path.resolve(value); },
    '--user-data-dir': (value) => { parsed.userDataDir = path.resolve(value); },
    '--extensions-dir': (value) => { parsed.extensionsDir = path.resolve(value); },
  };
  for (let index = 0; index < argv.length; index++) {
    const arg = argv[index];
    const [name, inlineValue] = arg.includes('=') ? [arg.slice(0, arg.indexOf('=')), arg.slice(arg.indexOf('=') + 1)] : [arg, undefined];
    if (valueOptions[name]) valueOptions[name](inlineValue ?? argv[++index]);
    else if (!arg.startsWith('-')) parsed.folder = path.resolve(arg);
  }
  if (!parsed.extensionTestsPath) throw new Error('vscode-stand-in: --extensionTestsPath= is required');
  if (parsed.extensionDevelopmentPath.length === 0) throw new Error('vscode-stand-in: --extensionDevelopmentPath= is required');
  // The extension host requires a file; runTests() also allows a directory holding index.js.
  if (fs.existsSync(parsed.extensionTestsPath) && fs.statSync(parsed.extensionTestsPath).isDirectory()) {
    parsed.extensionTestsPath = path.join(parsed.extensionTestsPath, 'index.js');
  }
  return parsed;
}

/** Settings a test run wants: no welcome page, no trust prompt, no telemetry or update noise. */
function writeUserSettings(userDataDir) {
  const file = path.join(userDataDir, 'User', 'settings.json');
  if (fs.existsSync(file)) return;
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, JSON.stringify({
    'workbench.startupEditor': 'none',
    'workbench.tips.enabled': false,
    'security.workspace.trust.enabled': false,
    'telemetry.telemetryLevel': 'off',
    'update.mode': 'none',
    'extensions.autoUpdate': false,
    'extensions.autoCheckUpdates': false,
  }, null, 2));
}

/**
 * The workbench reads extensionDevelopmentPath/extensionTestsPath from the page's `payload`, and
 * honours them in a built product only with developmentOptions.enableSmokeTestDriver.
 */
function workbenchUrl(serverUrl, authority, args) {
  const remote = (absolutePath) => `vscode-remote://${authority}${absolutePath}`;
  const payload = [
    ...args.extensionDevelopmentPath.map((dir) => ['extensionDevelopmentPath', remote(dir)]),
    ['extensionTestsPath', remote(args.extensionTestsPath)],
  ];
  const query = [`payload=${encodeURIComponent(JSON.stringify(payload))}`];
  if (args.folder) query.unshift(`folder=${encodeURIComponent(args.folder)}`);
  return `${serverUrl}/?${query.join('&')}`;
}

/** Runs in the page before the workbench reads its configuration. */
function enableSmokeTestDriver() {
  const original = Element.prototype.getAttribute;
  Element.prototype.getAttribute = function getAttribute(name) {
    const value = original.call(this, name);
    if (name === 'data-settings' && this.id === 'vscode-workbench-web-configuration' && value) {
      try {
        const settings = JSON.parse(value);
        settings.developmentOptions = { ...(settings.developmentOptions || {}), enableSmokeTestDriver: true };
        return JSON.stringify(settings);
      } catch {
        return value;
      }
    }
    return value;
  };
}

/** Workbench start-up messages share the tests' console; these known-harmless ones are hidden. */
const WORKBENCH_NOISE = [
  /^Resolv(ing|ed) connection token/,
  /^Creating a socket \(renderer-/,
  /^Updating additional builtin extensions cache/,
  /^\[Service Worker\]/,
  /^ChatSessionStore:/,
  /ENOTFOUND open-vsx\.org/, // no extension gallery offline
  /vsda/, // a signing module only Microsoft's builds ship
];

/** Extension-host console output arrives as ('%c LABEL', style, format, ...args). */
function formatConsoleArgs(values) {
  if (typeof values[0] === 'string' && values[0].startsWith('%c')) {
    return { label: values[0].slice(2).trim(), text: util.format(...values.slice(2)) };
  }
  return { label: '', text: util.format(...values) };
}

async function main() {
  const args = parseArgs(process.argv.slice(2));
  const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'wm-vscode-stand-in-'));
  const userDataDir = args.userDataDir || path.join(scratch, 'user-data');
  const extensionsDir = args.extensionsDir || path.join(scratch, 'extensions');
  writeUserSettings(userDataDir);

  let server = null;
  let context = null;
  let finishing = false;
  const cleanUp = async () => {
    // The browser first, so the workbench does not log reconnection attempts; bounded, as code-server must stop regardless.
    if (context) await Promise.race([context.close().catch(() => {}), new Promise((resolve) => setTimeout(resolve, 10000))]);
    if (server) await server.stop().catch(() => {});
    fs.rmSync(scratch, { recursive: true, force: true });
  };
  const finish = async (code) => {
    if (finishing) return;
    finishing = true;
    await cleanUp();
    process.exit(code);
  };
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP']) process.on(signal, () => finish(130));

  try {
    server = await startCodeServer({
      userDataDir,
      extensionsDir,
      logFile: path.join(scratch, 'code-server.log'),
      // The tests' environment (WM_TEST_REDIS_URL, …) reaches the extension host through code-server.
      env: process.env,
    });
    const { chromium } = require('playwright-core');
    context = await chromium.launchPersistentContext(path.join(scratch, 'chromium-profile'), {
      executablePath: CHROMIUM,
      headless: true,
      viewport: { width: 1400, height: 900 },
      // Signals are handled here, so code-server is stopped along with the browser.
      handleSIGINT: false,
      handleSIGTERM: false,
      handleSIGHUP: false,
      args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
        '--disable-background-networking', '--disable-component-update', '--disable-sync'],
    });
    const page = context.pages()[0] ?? (await context.newPage());

    let resolveExit;
    const exitCode = new Promise((resolve) => { resolveExit = resolve; });
    // The workbench calls this when the test extension host ends: 0 passed, non-zero failed.
    await page.exposeFunction('codeAutomationExit', (code) => {
      resolveExit(typeof code === 'number' ? code : 1);
    });
    await page.addInitScript(enableSmokeTestDriver);

    // Console messages are decoded asynchronously; a chain keeps them in order.
    let printing = Promise.resolve();
    page.on('console', (message) => {
      const decoded = Promise.all(message.args().map((handle) => handle.jsonValue().catch(() => String(handle))));
      printing = printing.then(async () => {
        const { label, text } = formatConsoleArgs(await decoded);
        if (!VERBOSE && WORKBENCH_NOISE.some((pattern) => pattern.test(text))) return;
        // Labelled messages come through the workbench's logger, which carries the extension host's console.
        if (label === 'INFO' || label === 'LOG') process.stdout.write(`${text}\n`);
        else if (label === 'ERR' || label === 'ERROR' || label === 'WARN') process.stderr.write(`${text}\n`);
        else if (VERBOSE) process.stderr.write(`[workbench ${message.type()}] ${text}\n`);
      });
    });
    page.on('pageerror', (error) => { if (VERBOSE) process.stderr.write(`[workbench error] ${error.message}\n`); });
    page.on('crash', () => {
      process.stderr.write('vscode-stand-in: the workbench page crashed\n');
      resolveExit(1);
    });

    const authority = `${server.host}:${server.port}`;
    await page.goto(workbenchUrl(server.url, authority, args));
    await page.waitForSelector('.monaco-workbench', { timeout: WORKBENCH_TIMEOUT_MS });

    let timer;
    const timedOut = new Promise((resolve) => {
      timer = setTimeout(() => resolve('timeout'), RUN_TIMEOUT_MS);
    });
    const outcome = await Promise.race([exitCode, timedOut]);
    clearTimeout(timer);
    await printing;
    if (outcome === 'timeout') {
      fs.mkdirSync(ARTIFACTS_DIR, { recursive: true });
      const shot = path.join(ARTIFACTS_DIR, 'vscode-stand-in-timeout.png');
      await page.screenshot({ path: shot }).catch(() => {});
      process.stderr.write(`vscode-stand-in: the tests did not finish within ${RUN_TIMEOUT_MS / 1000} s (screenshot: ${shot})\n`);
      process.stderr.write(`code-server output (tail):\n${server.output().slice(-3000)}\n`);
      await finish(1);
      return;
    }
    if (outcome !== 0 && VERBOSE) process.stderr.write(`code-server output (tail):\n${server.output().slice(-3000)}\n`);
    await finish(outcome);
  } catch (error) {
    process.stderr.write(`vscode-stand-in: ${error && error.stack ? error.stack : error}\n`);
    if (server) process.stderr.write(`code-server output (tail):\n${server.output().slice(-3000)}\n`);
    await finish(1);
  }
}

main();
