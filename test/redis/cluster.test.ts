import { strict as assert } from 'assert';
import { execFileSync } from 'child_process';
import Redis, { Cluster } from 'ioredis';
import { freePort, startRedisServer } from '../../scripts/lib/redis-server';
import { MemoryError } from '../../src/memory/errors';
import { RedisMemoryStore } from '../../src/memory/redisStore';
import { UndoRecorder } from '../../src/memory/undo';
import { key, keyTexts, type RedisServer } from '../support/redis';

/** A real three-primary Redis Cluster on loopback, made with redis-cli --cluster create. */
async function startCluster(): Promise<{ servers: RedisServer[]; stop: () => Promise<void> }> {
  const servers: RedisServer[] = [];
  const stop = async () => {
    await Promise.all(servers.map((server) => server.stop()));
  };
  try {
    for (let i = 0; i < 3; i++) servers.push(await startRedisServer({ extraArgs: ['--cluster-enabled', 'yes', '--cluster-node-timeout', '2000'] }));
    execFileSync('redis-cli', ['--cluster', 'create', ...servers.map((server) => `${server.host}:${server.port}`), '--cluster-replicas', '0', '--cluster-yes'], { stdio: 'pipe', timeout: 20_000 });
    const probe = new Redis({ host: servers[0].host, port: servers[0].port });
    try {
      const deadline = Date.now() + 15_000;
      while (!/cluster_state:ok/.test(await probe.cluster('INFO'))) {
        if (Date.now() > deadline) throw new Error('the test cluster did not become ready');
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
    } finally {
      probe.disconnect();
    }
  } catch (error) {
    await stop();
    throw error;
  }
  return { servers, stop };
}

describe('redis: Redis Cluster', function () {
  this.timeout(60_000);
  let cluster: Awaited<ReturnType<typeof startCluster>>;
  let admin: Cluster;
  let store: RedisMemoryStore;

  before(async () => {
    cluster = await startCluster();
    const seed = cluster.servers[0];
    admin = new Cluster([{ host: seed.host, port: seed.port }]);
    store = new RedisMemoryStore({ url: seed.url, cluster: true });
    await store.connect();
  });
  after(async () => {
    await store?.disconnect();
    admin?.disconnect();
    await cluster?.stop();
  });

  it('lists keys from every primary, in pages with a cursor', async () => {
    const names = Array.from({ length: 300 }, (_, i) => `wf:acme:${i}`);
    await Promise.all(names.map((name) => admin.set(name, '1')));
    await Promise.all(Array.from({ length: 50 }, (_, i) => admin.set(`other:${i}`, '1')));
    const found: Buffer[] = [];
    let cursor = '0';
    let pages = 0;
    do {
      const page = await store.scan({ prefix: key('wf:acme:'), count: 40, limit: 30, cursor });
      found.push(...page.keys);
      cursor = page.cursor;
      pages++;
    } while (cursor !== '0');
    assert.ok(pages >= 3);
    assert.deepEqual(keyTexts(found), [...names].sort());
    const metadata = await store.metadata(found.slice(0, 20));
    assert.ok(metadata.every((entry) => entry.type === 'string' && entry.expiry.kind === 'persistent' && entry.length === 1));
  });

  it('sets, expires, reads and deletes single keys on whichever node holds them', async () => {
    await store.setString(key('wf:cluster:a'), '{"n":1}', { kind: 'duration', ms: 60_000 });
    assert.ok((await admin.pttl('wf:cluster:a')) > 0);
    const view = await store.readValue(key('wf:cluster:a'), 1024);
    assert.ok(view.kind === 'text' && view.text === '{\n  "n": 1\n}');
    assert.equal(await store.removeExpiry(key('wf:cluster:a')), true);
    assert.equal(await store.deleteKey(key('wf:cluster:a')), true);
  });

  it('counts and clears a glob-character prefix across nodes, sparing look-alikes', async () => {
    const prefix = 'wf:a*b?[x]\\:';
    const inside = Array.from({ length: 60 }, (_, i) => `${prefix}${i}`);
    const lookAlikes = ['wf:aXbYx:1', 'wf:a*b?[x]\\X', 'wf:acme-other:1'];
    await Promise.all([...inside, ...lookAlikes].map((name) => admin.set(name, '1')));
    assert.equal(await store.countPrefix(key(prefix)), 60);
    const result = await store.clearPrefix(key(prefix), { batchSize: 10 });
    assert.deepEqual(result, { deleted: 60, cancelled: false, skippedOutsideScope: 0 });
    for (const name of lookAlikes) assert.equal(await admin.exists(name), 1, name);
    assert.equal(await store.countPrefix(key(prefix)), 0);
  });

  it('undoes a clear across nodes: binary keys back on whichever node holds them, with their expiry', async () => {
    const names = [...Array.from({ length: 40 }, (_, i) => key(`wf:undo:${i}`)), Buffer.from([0x77, 0x66, 0x3a, 0x75, 0x6e, 0x64, 0x6f, 0x3a, 0xff, 0x00])];
    await Promise.all(names.map((name) => admin.set(name, name, 'PX', 600_000)));
    const result = await store.clearPrefix(key('wf:undo:'), { batchSize: 10, undo: new UndoRecorder() });
    assert.equal(result.deleted, names.length);
    assert.ok(result.undo?.kind === 'kept', JSON.stringify(result.undo));
    await admin.set(names[0], 'written again');
    assert.deepEqual(await store.restore(result.undo.record), { restored: names.length - 1, skipped: 1, expired: 0, failed: 0 });
    for (const name of names.slice(1)) {
      assert.deepEqual(await admin.getBuffer(name), name);
      assert.ok((await admin.pttl(name)) > 590_000);
    }
    assert.equal(await admin.get(names[0]), 'written again');
  });

  it('refuses a database other than 0 and a cursor from another topology', async () => {
    assert.throws(() => new RedisMemoryStore({ url: cluster.servers[0].url, cluster: true, db: 1 }), (error: unknown) => error instanceof MemoryError && error.code === 'cluster');
    await assert.rejects(store.scan({ prefix: key('wf:'), count: 10, cursor: '7-0' }), (error: unknown) => error instanceof MemoryError && error.code === 'invalidInput');
  });

  it('fails fast with "unreachable" when no cluster node answers', async () => {
    const port = await freePort();
    const unreachable = new RedisMemoryStore({ url: `redis://127.0.0.1:${port}`, cluster: true });
    const started = Date.now();
    await assert.rejects(unreachable.connect(), (error: unknown) => error instanceof MemoryError && error.code === 'unreachable');
    assert.ok(Date.now() - started < 3000, `took ${Date.now() - started} ms`);
    await unreachable.disconnect();
  });

  it('explains the cluster when connected without cluster mode', async () => {
    const plain = new RedisMemoryStore({ url: cluster.servers[0].url });
    await plain.connect();
    // Some key lands on another node: without cluster mode that is a MOVED reply.
    const errors = await Promise.all(Array.from({ length: 10 }, (_, i) => plain.setString(key(`wf:moved:${i}`), '1', { kind: 'none' }).then(() => undefined, (error: unknown) => error)));
    const moved = errors.find((error): error is MemoryError => error instanceof MemoryError);
    assert.ok(moved, 'at least one key lives on another node');
    assert.equal(moved.code, 'cluster');
    assert.match(moved.message, /Turn on cluster mode/);
    await plain.disconnect();
  });
});
