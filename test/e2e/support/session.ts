// One end-to-end session, as the demo sets it up: a throw-away redis-server seeded with the demo
// memory, a temporary copy of examples/, code-server with the packaged VSIX installed into a fresh
// extensions dir, and headless Chromium on the workbench. stop() undoes all of it.
import * as fs from 'fs';
import Redis from 'ioredis';
import * as os from 'os';
import * as path from 'path';
import { chromium, type BrowserContext } from 'playwright-core';
import { CHROMIUM_ARGS, CHROMIUM_PATH, VIEWPORT, Workbench } from './workbench';
import { codeServerLib, type CodeServer, demoProfileLib, examplesDir, redisServerLib, type RedisServer, repoRoot, seedLib } from './repo';

export const NAMESPACE = 'demo';
/** A key outside the namespace: no view or command scoped to the namespace may touch it. */
export const OUTSIDE_KEY = 'billing:invoices:2026-11';

export class E2eSession {
  redisServer!: RedisServer;
  redis!: Redis;
  codeServer!: CodeServer;
  context!: BrowserContext;
  workbench!: Workbench;
  readonly scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'wm-e2e-'));
  /** The copy of examples/ the workbench has open. */
  readonly workspace = path.join(this.scratch, 'examples');
  /** redis-server's data dir: kept across a restart, so a SAVE before stopping brings the keys back. */
  readonly redisDir = path.join(this.scratch, 'redis');
  private readonly stops: Array<() => Promise<unknown>> = [];

  async start(): Promise<void> {
    await codeServerLib.ensureCodeServer({ log: (line: string) => console.log(`      ${line}`) });
    const vsix = demoProfileLib.ensureVsix({ log: (line: string) => console.log(`      ${line}`) });

    fs.mkdirSync(this.redisDir);
    await this.startRedis();
    await seedLib.seedDemoMemory(this.redis, { namespace: NAMESPACE });
    await this.redis.set(OUTSIDE_KEY, 'not workflow memory', 'EX', 3600);

    fs.cpSync(examplesDir, this.workspace, { recursive: true });
    // Lets the TypeScript examples resolve ioredis and Node's types, as they do in the repository.
    fs.symlinkSync(path.join(repoRoot, 'node_modules'), path.join(this.workspace, 'node_modules'));

    const userDataDir = path.join(this.scratch, 'user-data');
    const extensionsDir = path.join(this.scratch, 'extensions');
    fs.mkdirSync(extensionsDir);
    const { env } = demoProfileLib.writeProfileSettings(userDataDir, {
      redisUrl: this.redisServer.url,
      namespace: NAMESPACE,
      // Files are saved by the test (Ctrl+S), never behind its back.
      settings: {
        'files.autoSave': 'off',
        'workbench.editor.enablePreview': false,
        // The symlink above is plumbing, not part of the examples: keep it out of the pictures.
        'files.exclude': { node_modules: true },
        'editor.minimap.enabled': false,
      },
    });
    await codeServerLib.installExtension(vsix, extensionsDir);
    if (!demoProfileLib.installedExtension(extensionsDir)) throw new Error(`${vsix} did not install into ${extensionsDir}`);

    this.codeServer = await codeServerLib.startCodeServer({
      folder: this.workspace, userDataDir, extensionsDir, logFile: path.join(this.scratch, 'code-server.log'),
      // Its sockets and the extension host's temporary files go into scratch, removed with it.
      env: { ...env, TMPDIR: this.scratch },
    });
    this.stops.push(() => this.codeServer.stop());

    this.context = await chromium.launchPersistentContext(path.join(this.scratch, 'chromium'), {
      executablePath: CHROMIUM_PATH, headless: true, args: CHROMIUM_ARGS, viewport: VIEWPORT, deviceScaleFactor: 1,
      env: { ...process.env, TMPDIR: this.scratch },
    });
    this.stops.push(() => this.context.close());
    this.context.on('close', () => console.log('      (the browser closed)'));
    this.workbench = await Workbench.open(this.context, `${this.codeServer.url}/?folder=${encodeURIComponent(this.workspace)}`);
  }

  /** Starts redis-server on the same port as before (a new one on the first call), in redisDir. */
  async startRedis(): Promise<void> {
    const port = this.redisServer?.port;
    this.redisServer = await redisServerLib.startRedisServer({ dir: this.redisDir, ...(port ? { port } : {}) });
    if (!this.redis) {
      this.redis = new Redis(this.redisServer.url, { maxRetriesPerRequest: 1, retryStrategy: () => 200, lazyConnect: false });
      this.redis.on('error', () => undefined);
    }
    await waitFor(async () => (await this.redis.ping().catch(() => '')) === 'PONG', 10000, 'the test client to reconnect to Redis');
  }

  /** Saves the data to redisDir, then stops redis-server: what a restart keeps. */
  async stopRedis(): Promise<void> {
    await this.redis.save();
    await this.redisServer.stop();
  }

  /** Every key in the namespace, sorted. */
  async namespaceKeys(): Promise<string[]> {
    const keys: string[] = [];
    let cursor = '0';
    do {
      const [next, batch] = await this.redis.scan(cursor, 'MATCH', `${NAMESPACE}:*`, 'COUNT', 1000);
      keys.push(...batch);
      cursor = next;
    } while (cursor !== '0');
    return keys.sort();
  }

  async stop(): Promise<void> {
    for (const stop of this.stops.reverse()) await stop().catch((error: Error) => console.error(`e2e cleanup: ${error.message}`));
    this.redis?.disconnect();
    await this.redisServer?.stop().catch(() => undefined);
    fs.rmSync(this.scratch, { recursive: true, force: true });
  }
}

/** Polls `check` until it is true; throws with `what` after `timeoutMs`. */
export async function waitFor(check: () => Promise<boolean> | boolean, timeoutMs: number, what: string): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (await check()) return;
    if (Date.now() > deadline) throw new Error(`Timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}
