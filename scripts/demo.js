#!/usr/bin/env node
// `npm run demo`: VS Code (code-server in the browser, or desktop VS Code with --desktop) with the
// packaged extension installed, a Redis holding realistic workflow memory, and examples/ open.
// Stops everything it started on Ctrl+C / SIGTERM and leaves no process or temporary directory.
//
//   npm run demo                      code-server on http://127.0.0.1:8080
//   npm run demo -- --port 8081       another port (or WM_DEMO_PORT=8081)
//   npm run demo -- --desktop         desktop VS Code (`code` on PATH) instead of the browser
//   npm run demo -- --check           start everything, check the workbench answers, stop (or WM_DEMO_EXIT_AFTER_READY=1)
//   REDIS_URL=redis://host:6379 npm run demo   use that Redis when it answers
const { spawn, spawnSync } = require('child_process');
const fs = require('fs');
const http = require('http');
const net = require('net');
const os = require('os');
const path = require('path');

const repoRoot = path.resolve(__dirname, '..');
const examplesDir = path.join(repoRoot, 'examples');
const DEFAULT_REDIS_URL = 'redis://127.0.0.1:6379';
const { ensureVsix, writeProfileSettings, installedExtension, redactUrl } = require('./lib/demo-profile');

const USAGE = `Usage: npm run demo -- [--port N] [--namespace NS] [--redis-url URL] [--desktop] [--check]

  --port N         port for code-server on 127.0.0.1 (default 8080, or WM_DEMO_PORT)
  --namespace NS   namespace the sample memory is seeded under and the view shows (default demo)
  --redis-url URL  Redis to use if it answers (default: REDIS_URL, else workflowMemory.redis.url
                   from your desktop VS Code user settings, else ${DEFAULT_REDIS_URL}); otherwise
                   a local redis-server is started in a temporary directory
  --desktop        open desktop VS Code (\`code\` on PATH) instead of code-server
  --check          start everything, check the workbench answers, then stop and clean up
                   (also WM_DEMO_EXIT_AFTER_READY=1)`;

function parseArguments(argv) {
  const options = {
    port: process.env.WM_DEMO_PORT,
    namespace: 'demo',
    redisUrl: undefined,
    desktop: false,
    check: process.env.WM_DEMO_EXIT_AFTER_READY === '1',
  };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    const [name, inlineValue] = arg.startsWith('--') && arg.includes('=') ? [arg.slice(0, arg.indexOf('=')), arg.slice(arg.indexOf('=') + 1)] : [arg, undefined];
    const value = () => {
      const next = inlineValue ?? argv[++i];
      if (next === undefined || next === '') throw new UsageError(`${name} needs a value.`);
      return next;
    };
    switch (name) {
      case '--port': options.port = value(); break;
      case '--namespace': options.namespace = value(); break;
      case '--redis-url': options.redisUrl = value(); break;
      case '--desktop': options.desktop = true; break;
      case '--check': options.check = true; break;
      case '-h': case '--help': console.log(USAGE); process.exit(0); break;
      default: throw new UsageError(`Unknown option ${arg}.`);
    }
  }
  const port = options.port === undefined ? 8080 : Number(options.port);
  if (!Number.isInteger(port) || port < 1 || port > 65535) {
    throw new UsageError(`The port must be a whole number from 1 to 65535, not "${options.port}".`);
  }
  options.port = port;
  options.namespace = options.namespace.replace(/:+$/, '');
  if (!/^[A-Za-z0-9_.\-]+$/.test(options.namespace)) {
    throw new UsageError(`Use letters, digits, "_", "-" or "." for the namespace, not "${options.namespace}".`);
  }
  return options;
}

class UsageError extends Error {}

/** workflowMemory.redis.url from desktop VS Code's user settings, when there is one. */
function redisUrlFromVsCodeSettings() {
  const file = path.join(os.homedir(), '.config', 'Code', 'User', 'settings.json');
  if (!fs.existsSync(file)) return undefined;
  try {
    const { parse } = require('jsonc-parser');
    const value = parse(fs.readFileSync(file, 'utf8'))?.['workflowMemory.redis.url'];
    return typeof value === 'string' && value ? value : undefined;
  } catch {
    return undefined;
  }
}

/** PINGs a Redis; resolves to undefined when it answers, else to the reason it did not. */
async function pingRedis(url) {
  const Redis = require('ioredis');
  const redis = new Redis(url, {
    lazyConnect: true,
    connectTimeout: 2000,
    commandTimeout: 2000,
    maxRetriesPerRequest: 0,
    enableOfflineQueue: false,
    retryStrategy: () => null,
  });
  // The 'error' event has the cause (ECONNREFUSED, ENOTFOUND…); the rejection only says "closed".
  let cause;
  redis.on('error', (error) => { cause ??= error.message; });
  try {
    await redis.connect();
    await redis.ping();
    return undefined;
  } catch (error) {
    return cause ?? error.message;
  } finally {
    redis.disconnect();
  }
}

function isPortFree(port, host = '127.0.0.1') {
  return new Promise((resolve) => {
    const server = net.createServer();
    server.once('error', () => resolve(false));
    server.listen(port, host, () => server.close(() => resolve(true)));
  });
}

function httpGet(url) {
  return new Promise((resolve) => {
    const request = http.get(url, (response) => {
      let body = '';
      response.setEncoding('utf8');
      response.on('data', (chunk) => { body += chunk; });
      response.on('end', () => resolve({ status: response.statusCode, body }));
    });
    request.on('error', (error) => resolve({ status: 0, body: error.message }));
    request.setTimeout(10000, () => request.destroy(new Error('timed out')));
  });
}

/** Everything the demo started, undone in reverse order; safe to call twice. */
class Cleanup {
  constructor() {
    this.steps = [];
    this.running = undefined;
  }

  add(description, undo) {
    this.steps.push({ description, undo });
  }

  run() {
    this.running ??= (async () => {
      for (const { description, undo } of this.steps.reverse()) {
        try {
          await undo();
        } catch (error) {
          console.error(`demo: could not ${description}: ${error.message}`);
        }
      }
    })();
    return this.running;
  }
}

async function resolveRedis(options, cleanup, say) {
  const { startRedisServer } = require('./lib/redis-server');
  const configured = options.redisUrl ?? (process.env.REDIS_URL || undefined) ?? redisUrlFromVsCodeSettings();
  const candidate = configured ?? DEFAULT_REDIS_URL;
  const problem = await pingRedis(candidate);
  if (!problem) {
    say(`Using the Redis at ${redactUrl(candidate)} (it answered PING).`);
    return { url: candidate, started: false };
  }
  if (configured) say(`The Redis at ${redactUrl(candidate)} did not answer (${problem}); starting a local one instead.`);
  const port = (await isPortFree(6379)) ? 6379 : undefined;
  const server = await startRedisServer({ port });
  cleanup.add('stop redis-server', () => server.stop());
  say(`Started redis-server on ${server.url} (data in a temporary directory, gone when the demo stops).`);
  return { url: server.url, started: true, server };
}

async function seed(url, namespace, say) {
  const Redis = require('ioredis');
  const { seedDemoMemory } = require('./lib/seed');
  const redis = new Redis(url, { maxRetriesPerRequest: 1, connectTimeout: 5000, retryStrategy: () => null });
  redis.on('error', () => {});
  try {
    const keys = await seedDemoMemory(redis, { namespace });
    say(`Seeded ${keys.length} keys of sample workflow memory under ${namespace}:`);
  } catch (error) {
    throw new Error(`Could not write the sample memory to ${redactUrl(url)}: ${error.message}. ` +
      'Point the demo at a Redis it may write to (--redis-url), or leave REDIS_URL unset to get a local one.');
  } finally {
    redis.disconnect();
  }
}

async function runCodeServer(options, profile, cleanup, say) {
  const { startCodeServer, installExtension } = require('./lib/code-server');
  say('Installing the extension into the demo profile…');
  await installExtension(profile.vsix, profile.extensionsDir);
  if (!installedExtension(profile.extensionsDir)) throw new Error(`code-server did not install ${profile.vsix}.`);
  say('Starting code-server…');
  const codeServer = await startCodeServer({
    port: options.port,
    folder: examplesDir,
    userDataDir: profile.userDataDir,
    extensionsDir: profile.extensionsDir,
    env: profile.env,
  });
  cleanup.add('stop code-server', () => codeServer.stop());
  return codeServer;
}

/** Checks what --check promises: the workbench answers and the extension is in the profile. */
async function checkWorkbench(codeServer, profile) {
  const health = await httpGet(`${codeServer.url}/healthz`);
  if (health.status !== 200) throw new Error(`code-server /healthz answered ${health.status}: ${health.body}`);
  const page = await httpGet(`${codeServer.url}/?folder=${encodeURIComponent(examplesDir)}`);
  if (page.status !== 200 || !page.body.includes('vscode-workbench-web-configuration')) {
    throw new Error(`code-server did not serve the workbench page (HTTP ${page.status}).`);
  }
  const installed = installedExtension(profile.extensionsDir);
  if (!installed) throw new Error('The extension is not installed in the demo profile.');
  return installed;
}

/** Desktop VS Code's `code` command, or an error that says how to get it. */
function findCodeCommand() {
  const code = spawnSync('sh', ['-c', 'command -v code'], { encoding: 'utf8' }).stdout.trim();
  if (!code) throw new Error('--desktop needs VS Code\'s `code` command on PATH (in VS Code: "Shell Command: Install \'code\' command in PATH"). Without --desktop the demo runs in the browser.');
  return code;
}

async function runDesktop(code, profile, say) {
  const profileArgs = ['--extensions-dir', profile.extensionsDir, '--user-data-dir', profile.userDataDir];
  const install = spawnSync(code, [...profileArgs, '--install-extension', profile.vsix], { encoding: 'utf8' });
  if (install.status !== 0) throw new Error(`code --install-extension failed:\n${install.stdout}${install.stderr}`);
  say('Opening desktop VS Code with examples/ (close its window to stop the demo)…');
  const child = spawn(code, [...profileArgs, '--new-window', '--wait', examplesDir], {
    stdio: 'inherit',
    env: { ...process.env, ...profile.env },
  });
  return new Promise((resolve) => child.once('exit', resolve));
}

async function main() {
  const say = (line) => console.log(`demo: ${line}`);
  const options = parseArguments(process.argv.slice(2));
  const cleanup = new Cleanup();
  let stopping = false;
  const stop = async (exitCode) => {
    if (stopping) return;
    stopping = true;
    await cleanup.run();
    process.exit(exitCode);
  };
  for (const [signal, code] of [['SIGINT', 130], ['SIGTERM', 143], ['SIGHUP', 129]]) {
    process.on(signal, () => {
      say(`${signal}: stopping everything the demo started…`);
      stop(code);
    });
  }

  // Every temporary directory (ours, redis-server's, code-server's) goes under one root, removed last.
  const tempRoot = fs.mkdtempSync(path.join(os.tmpdir(), 'wm-demo-'));
  cleanup.add(`remove ${tempRoot}`, () => fs.rmSync(tempRoot, { recursive: true, force: true }));
  process.env.TMPDIR = tempRoot;
  say(`temporary directory: ${tempRoot}`);

  try {
    // Before anything starts: a taken port should cost nothing.
    const codeCommand = options.desktop ? findCodeCommand() : undefined;
    if (!options.desktop && !(await isPortFree(options.port))) {
      throw new Error(`Port ${options.port} on 127.0.0.1 is in use. Stop what uses it, or pick another: npm run demo -- --port ${options.port + 1} (or WM_DEMO_PORT).`);
    }
    const { ensureNodeModules, ensureDebianPackages, DEBIAN_PACKAGES } = require('./lib/ensure');
    ensureNodeModules(repoRoot, say);
    // Not chromium: only the browser tests need it.
    ensureDebianPackages(DEBIAN_PACKAGES.filter((name) => name !== 'chromium'), say);
    if (!options.desktop) {
      const { ensureCodeServer } = require('./lib/code-server');
      await ensureCodeServer({ log: say });
    }
    const vsix = ensureVsix({ log: say });

    const redis = await resolveRedis(options, cleanup, say);
    await seed(redis.url, options.namespace, say);

    const userDataDir = path.join(tempRoot, 'user-data');
    const extensionsDir = path.join(tempRoot, 'extensions');
    fs.mkdirSync(extensionsDir, { recursive: true });
    const profile = { vsix, userDataDir, extensionsDir, ...writeProfileSettings(userDataDir, { redisUrl: redis.url, namespace: options.namespace }) };

    if (options.desktop) {
      await runDesktop(codeCommand, profile, say);
      return stop(0);
    }

    const codeServer = await runCodeServer(options, profile, cleanup, say);
    if (options.check) {
      const installed = await checkWorkbench(codeServer, profile);
      say(`check passed: workbench at ${codeServer.url} answers, ${installed} installed, Redis at ${redactUrl(redis.url)} seeded.`);
      return stop(0);
    }
    console.log(`
  Workflow Memory demo is ready.

    Open  ${codeServer.url}/?folder=${encodeURIComponent(examplesDir)}

  Redis:      ${redactUrl(redis.url)}${redis.started ? ' (local, started by the demo)' : ''}
  Namespace:  ${options.namespace}
  Try: the Workflow Memory view in the activity bar; open examples/codewords/website_monitor.py
  for code lenses; the Problems panel for a memory write without expiry.

  Press Ctrl+C to stop (everything the demo started is stopped and removed).
`);
    say(`ready at ${codeServer.url} (code-server pid ${codeServer.pid}${redis.server ? `, redis-server pid ${redis.server.process.pid}` : ''})`);
    return undefined; // keep running until a signal
  } catch (error) {
    console.error(`demo: ${error.message}`);
    return stop(1);
  }
}

main().catch((error) => {
  console.error(error instanceof UsageError ? `demo: ${error.message}\n\n${USAGE}` : `demo: ${error.stack ?? error}`);
  process.exit(2);
});
