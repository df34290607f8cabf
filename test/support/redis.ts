// Shared set-up for the Redis tests: a real throw-away redis-server per test file, a plain
// ioredis client to arrange and inspect data, and stores connected to it.

import Redis from 'ioredis';
import { startRedisServer } from '../../scripts/lib/redis-server';
import { RedisMemoryStore, type RedisStoreOptions } from '../../src/memory/redisStore';

export type RedisServer = Awaited<ReturnType<typeof startRedisServer>>;

export interface RedisFixture {
  server: RedisServer;
  /** Direct client for arranging and checking data (not the code under test). */
  admin: Redis;
  /** Connected stores made by connectStore, disconnected in stop(). */
  stores: RedisMemoryStore[];
  connectStore(options?: Partial<RedisStoreOptions>): Promise<RedisMemoryStore>;
  stop(): Promise<void>;
}

export async function startRedisFixture(options: { extraArgs?: string[]; password?: string } = {}): Promise<RedisFixture> {
  const extraArgs = [...(options.extraArgs ?? []), ...(options.password ? ['--requirepass', options.password] : [])];
  const server = await startRedisServer({ extraArgs });
  const admin = new Redis({ host: server.host, port: server.port, password: options.password, lazyConnect: true, maxRetriesPerRequest: 1 });
  await admin.connect();
  const stores: RedisMemoryStore[] = [];
  return {
    server,
    admin,
    stores,
    async connectStore(options = {}) {
      const store = new RedisMemoryStore({ url: server.url, commandTimeoutMs: 5000, ...options });
      stores.push(store);
      await store.connect();
      return store;
    },
    async stop() {
      await Promise.all(stores.map((store) => store.disconnect().catch(() => undefined)));
      admin.disconnect();
      await server.stop();
    },
  };
}

export const key = (text: string): Buffer => Buffer.from(text, 'utf8');

/** Sorted UTF-8/hex text of keys, for readable assertions. */
export function keyTexts(keys: Buffer[]): string[] {
  return keys.map((entry) => entry.toString('latin1')).sort();
}

/** Writes n string keys "<prefix><i>" in pipelines. */
export async function fillKeys(admin: Redis, prefix: string, count: number, value = 'v'): Promise<void> {
  for (let start = 0; start < count; start += 5000) {
    const pipeline = admin.pipeline();
    for (let i = start; i < Math.min(count, start + 5000); i++) pipeline.set(`${prefix}${i}`, value);
    await pipeline.exec();
  }
}

/**
 * Mocha hooks for a describe block: one server and one connected store for the block, the
 * database emptied before each test. `ready` receives them once they exist.
 */
export function useStoreOnFreshRedis(ready: (fixture: RedisFixture, store: RedisMemoryStore) => void): void {
  let fixture: RedisFixture | undefined;
  before(async () => {
    fixture = await startRedisFixture();
    ready(fixture, await fixture.connectStore());
  });
  after(async () => {
    await fixture?.stop();
  });
  beforeEach(async () => {
    await fixture!.admin.flushdb();
  });
}
