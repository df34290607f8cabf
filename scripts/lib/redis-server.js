// Starts a real, throw-away redis-server on a free loopback port, in a temporary directory.
// Used by the Redis tests, the VS Code tests, the end-to-end tests and the demo.
const { spawn } = require('child_process');
const fs = require('fs');
const net = require('net');
const os = require('os');
const path = require('path');

/** Asks the kernel for a free loopback port. */
function freePort(host = '127.0.0.1') {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, host, () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

function waitForPort(port, host, timeoutMs) {
  const deadline = Date.now() + timeoutMs;
  return new Promise((resolve, reject) => {
    const attempt = () => {
      const socket = net.connect(port, host);
      socket.once('connect', () => {
        socket.end();
        resolve();
      });
      socket.once('error', () => {
        socket.destroy();
        if (Date.now() > deadline) reject(new Error(`redis-server did not listen on ${host}:${port} within ${timeoutMs} ms`));
        else setTimeout(attempt, 50);
      });
    };
    attempt();
  });
}

/**
 * @param {{ port?: number, extraArgs?: string[], dir?: string }} [options]
 * @returns {Promise<{ url: string, host: string, port: number, dir: string, process: import('child_process').ChildProcess, stop: () => Promise<void> }>}
 */
async function startRedisServer(options = {}) {
  const host = '127.0.0.1';
  const port = options.port ?? (await freePort(host));
  const dir = options.dir ?? fs.mkdtempSync(path.join(os.tmpdir(), 'wm-redis-'));
  const ownsDir = !options.dir;
  const args = [
    '--port', String(port),
    '--bind', host,
    '--dir', dir,
    '--save', '',
    '--appendonly', 'no',
    '--protected-mode', 'yes',
    ...(options.extraArgs ?? []),
  ];
  const child = spawn('redis-server', args, { stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout.on('data', (chunk) => { output += chunk; });
  child.stderr.on('data', (chunk) => { output += chunk; });
  const exited = new Promise((resolve) => child.once('exit', resolve));
  const spawnError = new Promise((_, reject) => child.once('error', (error) => reject(
    error.code === 'ENOENT' ? new Error('redis-server is not installed (apt-get install redis-server)') : error)));
  try {
    await Promise.race([waitForPort(port, host, 10000), spawnError, exited.then(() => {
      throw new Error(`redis-server exited at start:\n${output}`);
    })]);
  } catch (error) {
    child.kill('SIGKILL');
    throw error;
  }
  let stopped = false;
  const stop = async () => {
    if (stopped) return;
    stopped = true;
    if (child.exitCode === null) {
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 3000);
      await exited;
      clearTimeout(timer);
    }
    if (ownsDir) fs.rmSync(dir, { recursive: true, force: true });
  };
  return { url: `redis://${host}:${port}`, host, port, dir, process: child, stop };
}

module.exports = { startRedisServer, freePort, waitForPort };
