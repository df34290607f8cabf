// `npm run demo` works and cleans up after itself: it is run for real (code-server, redis-server,
// the packaged extension), then every process it started must be gone and its temporary
// directories removed. TMPDIR points the demo at a directory this test owns, so "nothing left
// behind" is checkable: that directory ends empty, and no process still has it in its environment.
import * as assert from 'assert';
import { spawn, spawnSync, type ChildProcess } from 'child_process';
import * as fs from 'fs';
import Redis from 'ioredis';
import * as net from 'net';
import * as os from 'os';
import * as path from 'path';
import { demoProfileLib, redisServerLib, repoRoot } from './support/repo';
import { waitFor } from './support/session';

interface DemoRun {
  child: ChildProcess;
  output: () => string;
  exited: Promise<number | null>;
}

function runDemo(args: string[], tmpDir: string, env: NodeJS.ProcessEnv = {}): DemoRun {
  let output = '';
  const child = spawn(process.execPath, [path.join(repoRoot, 'scripts', 'demo.js'), ...args], {
    cwd: repoRoot,
    env: { ...process.env, TMPDIR: tmpDir, WM_DEMO_EXIT_AFTER_READY: '', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child.stdout!.on('data', (chunk) => { output += chunk; });
  child.stderr!.on('data', (chunk) => { output += chunk; });
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code, signal) => resolve(code ?? (signal ? 128 : null))));
  return { child, output: () => output, exited };
}

/** Pids of the processes whose environment or command line mention `text` (this process excluded). */
function processesMentioning(text: string): number[] {
  const found: number[] = [];
  for (const entry of fs.readdirSync('/proc')) {
    const pid = Number(entry);
    if (!Number.isInteger(pid) || pid === process.pid) continue;
    for (const file of ['environ', 'cmdline']) {
      try {
        if (fs.readFileSync(`/proc/${pid}/${file}`, 'latin1').includes(text)) {
          found.push(pid);
          break;
        }
      } catch {
        // gone meanwhile, or a kernel thread
      }
    }
  }
  return found;
}

function isListening(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect(port, '127.0.0.1');
    socket.once('connect', () => { socket.destroy(); resolve(true); });
    socket.once('error', () => resolve(false));
  });
}

async function assertNothingLeftBehind(tmpDir: string, output: string): Promise<void> {
  const left = fs.readdirSync(tmpDir);
  assert.deepStrictEqual(left, [], `the demo left temporary files behind in ${tmpDir}: ${left.join(', ')}\n${output}`);
  // Processes die a moment after their group is signalled.
  await waitFor(() => processesMentioning(tmpDir).length === 0, 10000, 'the demo\'s processes to be gone').catch(() => undefined);
  const survivors = processesMentioning(tmpDir);
  for (const pid of survivors) process.kill(pid, 'SIGKILL'); // do not leave them for the next test
  assert.deepStrictEqual(survivors, [], `processes the demo started are still running:\n${output}`);
}

describe('npm run demo', function () {
  this.timeout(15 * 60 * 1000);
  let tmpDir: string;
  let run: DemoRun | undefined;

  beforeEach(() => {
    tmpDir = fs.mkdtempSync(path.join(os.tmpdir(), 'wm-demo-test-'));
  });

  afterEach(async () => {
    if (run && run.child.exitCode === null && run.child.signalCode === null) {
      run.child.kill('SIGTERM');
      await run.exited;
    }
    run = undefined;
    fs.rmSync(tmpDir, { recursive: true, force: true });
  });

  it('--check starts code-server with the extension and a local Redis, checks the workbench, then removes everything', async () => {
    const port = await redisServerLib.freePort();
    const nothingThere = `redis://127.0.0.1:${await redisServerLib.freePort()}`;
    run = runDemo(['--check', '--port', String(port), '--redis-url', nothingThere], tmpDir);
    const code = await run.exited;
    const output = run.output();
    assert.strictEqual(code, 0, `demo --check failed:\n${output}`);
    assert.match(output, /check passed: workbench at http:\/\/127\.0\.0\.1:\d+ answers, workflow-memory\.workflow-memory-[\d.]+ installed/);
    const redisPort = Number(/Started redis-server on redis:\/\/127\.0\.0\.1:(\d+)/.exec(output)?.[1]);
    assert.ok(redisPort > 0, `the demo started its own Redis since ${nothingThere} does not answer:\n${output}`);
    await assertNothingLeftBehind(tmpDir, output);
    assert.strictEqual(await isListening(port), false, 'code-server is stopped');
    assert.strictEqual(await isListening(redisPort), false, 'the demo\'s redis-server is stopped');
  });

  it('uses a Redis that answers (REDIS_URL), seeds it, runs until SIGTERM, then stops only what it started', async () => {
    const redisServer = await redisServerLib.startRedisServer();
    const redis = new Redis(redisServer.url, { maxRetriesPerRequest: 1 });
    try {
      await redis.set('someone-else:key', 'kept');
      const port = await redisServerLib.freePort();
      run = runDemo(['--namespace', 'demo-e2e'], tmpDir, { REDIS_URL: redisServer.url, WM_DEMO_PORT: String(port) });
      const current = run;
      await waitFor(() => /ready at http:\/\/127\.0\.0\.1:\d+/.test(current.output()) || current.child.exitCode !== null, 10 * 60 * 1000, 'the demo to be ready');
      assert.match(run.output(), new RegExp(`Using the Redis at redis://127\\.0\\.0\\.1:${redisServer.port}`), run.output());
      assert.match(run.output(), new RegExp(`Open\\s+http://127\\.0\\.0\\.1:${port}/`), 'it prints the address to open');

      // Seeded at the source, each key with its expiry except the one deliberately without.
      assert.strictEqual(await redis.ttl('demo-e2e:enrich:last-run'), -1);
      const monitorTtl = await redis.ttl('demo-e2e:monitor:page-hash:acme.example/pricing');
      assert.ok(monitorTtl > 29 * 86400, `monitor hashes live 30d: ${monitorTtl}`);
      assert.ok((await redis.ttl('demo-e2e:chatbot:turns:sess_7f3a')) <= 86400);
      assert.strictEqual(await redis.llen('demo-e2e:chatbot:turns:sess_7f3a'), 4);
      assert.ok((await redis.ttl('demo-e2e:enrich:cache:geocode:5e0d2c91')) <= 3600);
      assert.strictEqual(await isListening(port), true, 'code-server answers while the demo runs');
      // The leftover check below would see them: the demo's processes carry its TMPDIR.
      assert.ok(processesMentioning(tmpDir).length >= 2, 'code-server and its children are found by their environment');

      run.child.kill('SIGTERM');
      const code = await run.exited;
      assert.strictEqual(code, 143, `the demo exits with 128+SIGTERM:\n${run.output()}`);
      await assertNothingLeftBehind(tmpDir, run.output());
      assert.strictEqual(await isListening(port), false, 'code-server is stopped');
      assert.strictEqual(await redis.get('someone-else:key'), 'kept', 'a Redis the demo did not start keeps running, untouched outside its namespace');
    } finally {
      redis.disconnect();
      await redisServer.stop();
    }
  });

  it('refuses a port that is in use, says what to do, and starts nothing', async () => {
    const blocker = net.createServer();
    await new Promise<void>((resolve) => blocker.listen(0, '127.0.0.1', resolve));
    const port = (blocker.address() as net.AddressInfo).port;
    try {
      run = runDemo(['--check', '--port', String(port)], tmpDir);
      const code = await run.exited;
      assert.strictEqual(code, 1, run.output());
      assert.match(run.output(), new RegExp(`Port ${port} on 127\\.0\\.0\\.1 is in use.*--port ${port + 1}`));
      assert.doesNotMatch(run.output(), /Started redis-server|Seeded/, 'nothing was started or written');
      await assertNothingLeftBehind(tmpDir, run.output());
    } finally {
      blocker.close();
    }
  });

  it('refuses bad options with a usage message', async () => {
    for (const args of [['--port', 'abc'], ['--port', '70000'], ['--namespace', 'a*b'], ['--bogus']]) {
      run = runDemo(args, tmpDir);
      assert.strictEqual(await run.exited, 2, `${args.join(' ')}:\n${run.output()}`);
      assert.match(run.output(), /^demo: .+\n\nUsage: npm run demo/m, `${args.join(' ')} explains itself:\n${run.output()}`);
    }
    assert.deepStrictEqual(fs.readdirSync(tmpDir), []);
  });

  it('--desktop without a `code` command says how to get one and starts nothing', async function () {
    const path_ = [path.dirname(process.execPath), '/usr/sbin', '/usr/bin', '/sbin', '/bin'].join(':');
    if (spawnSync('sh', ['-c', 'command -v code'], { env: { PATH: path_ } }).status === 0) this.skip(); // a desktop VS Code is installed here
    run = runDemo(['--desktop'], tmpDir, { PATH: path_ });
    assert.strictEqual(await run.exited, 1, run.output());
    assert.match(run.output(), /--desktop needs VS Code's `code` command on PATH/);
    assert.doesNotMatch(run.output(), /Started redis-server|Seeded/);
    await assertNothingLeftBehind(tmpDir, run.output());
  });

  it('never writes a Redis password into the profile settings', () => {
    const userDataDir = path.join(tmpDir, 'profile');
    const { env } = demoProfileLib.writeProfileSettings(userDataDir, { redisUrl: 'redis://app:s3cret-pw@10.0.0.5:6380', namespace: 'demo' });
    const settings = fs.readFileSync(path.join(userDataDir, 'User', 'settings.json'), 'utf8');
    assert.doesNotMatch(settings, /s3cret-pw/);
    assert.strictEqual(JSON.parse(settings)['workflowMemory.redis.url'], undefined, 'the extension reads REDIS_URL instead');
    assert.deepStrictEqual(env, { REDIS_URL: 'redis://app:s3cret-pw@10.0.0.5:6380' });
    assert.strictEqual(demoProfileLib.redactUrl('redis://app:s3cret-pw@10.0.0.5:6380'), 'redis://app:***@10.0.0.5:6380');

    demoProfileLib.writeProfileSettings(userDataDir, { redisUrl: 'redis://127.0.0.1:6390', namespace: 'demo' });
    const plain = JSON.parse(fs.readFileSync(path.join(userDataDir, 'User', 'settings.json'), 'utf8'));
    assert.strictEqual(plain['workflowMemory.redis.url'], 'redis://127.0.0.1:6390');
    assert.strictEqual(plain['workflowMemory.namespace'], 'demo');
  });
});
