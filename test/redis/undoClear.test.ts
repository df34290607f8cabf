import { strict as assert } from 'assert';
import { randomBytes } from 'crypto';
import { MemoryError } from '../../src/memory/errors';
import type { RedisMemoryStore } from '../../src/memory/redisStore';
import type { ClearResult, UndoRecord } from '../../src/memory/store';
import { DEFAULT_UNDO_BUDGET, UndoRecorder } from '../../src/memory/undo';
import { fillKeys, key, type RedisFixture, useStoreOnFreshRedis } from '../support/redis';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

function keptRecord(result: ClearResult): UndoRecord {
  assert.ok(result.undo, 'the result says whether the clear can be undone');
  assert.equal(result.undo.kind, 'kept', JSON.stringify(result.undo));
  return (result.undo as Extract<ClearResult['undo'], { kind: 'kept' }>).record;
}

describe('redis: undoing a clear (DUMP before UNLINK, RESTORE without REPLACE)', function () {
  this.timeout(60_000);
  let fixture: RedisFixture;
  let store: RedisMemoryStore;

  useStoreOnFreshRedis((started, connected) => {
    fixture = started;
    store = connected;
  });

  /** A key's type and content, read type by type (a DUMP may order a hashtable set differently after RESTORE). */
  async function contentOf(name: string): Promise<string> {
    const admin = fixture.admin;
    const type = await admin.type(name);
    const read: Record<string, () => Promise<unknown>> = {
      string: () => admin.get(name),
      hash: () => admin.hgetall(name),
      list: () => admin.lrange(name, 0, -1),
      set: async () => (await admin.smembers(name)).sort(),
      zset: () => admin.zrange(name, 0, -1, 'WITHSCORES'),
      stream: () => admin.xrange(name, '-', '+'),
    };
    return JSON.stringify([type, await read[type]?.()]);
  }

  /** Every type, some with an expiry; returns each key's content to compare after the undo. */
  async function writeEveryType(prefix: string): Promise<Map<string, string>> {
    const admin = fixture.admin;
    await admin.set(`${prefix}string`, 'digest-1', 'PX', 600_000);
    await admin.set(`${prefix}forever`, 'no expiry');
    await admin.hset(`${prefix}hash`, 'lang', 'en', 'tz', 'UTC');
    await admin.pexpire(`${prefix}hash`, 3_600_000);
    await admin.rpush(`${prefix}list`, 'turn 1', 'turn 2', 'turn 3');
    await admin.pexpire(`${prefix}list`, 86_400_000);
    await admin.sadd(`${prefix}set`, 'a@example.com', 'b@example.com');
    await admin.zadd(`${prefix}zset`, 1, 'one', 2.5, 'two');
    await admin.pexpire(`${prefix}zset`, 120_000);
    await admin.xadd(`${prefix}stream`, '1-1', 'event', 'seen');
    await admin.xadd(`${prefix}stream`, '2-1', 'event', 'sent');
    const contents = new Map<string, string>();
    for (const name of ['string', 'forever', 'hash', 'list', 'set', 'zset', 'stream']) contents.set(`${prefix}${name}`, await contentOf(`${prefix}${name}`));
    return contents;
  }

  it('clears keys of every type and puts them back with their values and the expiry they had left', async () => {
    const contents = await writeEveryType('wf:undo:');
    const ttlsBefore = new Map<string, number>();
    for (const name of contents.keys()) ttlsBefore.set(name, await fixture.admin.pttl(name));
    await fixture.admin.set('wf:undone:neighbour', 'stays');

    const result = await store.clearPrefix(key('wf:undo:'), { batchSize: 3, undo: new UndoRecorder() });
    assert.equal(result.deleted, contents.size);
    const record = keptRecord(result);
    assert.equal(record.entries.length, contents.size);
    assert.ok(record.bytes > 0 && record.bytes < DEFAULT_UNDO_BUDGET.maxBytes);
    for (const name of contents.keys()) assert.equal(await fixture.admin.exists(name), 0, name);

    await sleep(200);
    assert.deepEqual(await store.restore(record), { restored: contents.size, skipped: 0, expired: 0, failed: 0 });
    for (const [name, content] of contents) {
      assert.equal(await contentOf(name), content, `${name} holds the same value`);
      const before = ttlsBefore.get(name)!;
      const after = await fixture.admin.pttl(name);
      if (before === -1) assert.equal(after, -1, `${name} stays without expiry`);
      // The expiry went on counting while the key was gone (≥ 200 ms), and no more than that (< 5 s).
      else assert.ok(after <= before - 200 && after > before - 5000, `${name}: pttl ${before} before, ${after} after`);
    }
    assert.equal(await fixture.admin.get('wf:undone:neighbour'), 'stays');
    const stats = await fixture.admin.info('commandstats');
    assert.match(stats, /cmdstat_dump:calls=\d+/);
    assert.match(stats, /cmdstat_restore:calls=\d+/);
  });

  it('puts back binary keys under a binary prefix, byte for byte', async () => {
    const prefix = Buffer.from([0x77, 0x66, 0x3a, 0xff, 0x3a]);
    const inside = [Buffer.concat([prefix, Buffer.from([0x00, 0x01, 0x80])]), Buffer.concat([prefix, Buffer.from('text')]), prefix];
    const value = Buffer.from([0x00, 0xfe, 0xff, 0x80]);
    for (const name of inside) await fixture.admin.set(name, value, 'PX', 600_000);
    await fixture.admin.set(Buffer.from([0x77, 0x66, 0x3a, 0xfe, 0x3a]), 'outside');

    const record = keptRecord(await store.clearPrefix(prefix, { undo: new UndoRecorder() }));
    assert.deepEqual(record.entries.map((entry) => entry.key.toString('hex')).sort(), inside.map((name) => name.toString('hex')).sort());
    for (const name of inside) assert.equal(await fixture.admin.exists(name), 0);
    assert.equal((await store.restore(record)).restored, inside.length);
    for (const name of inside) {
      assert.deepEqual(await fixture.admin.getBuffer(name), value);
      assert.ok((await fixture.admin.pttl(name)) > 590_000);
    }
    assert.equal(await fixture.admin.dbsize(), inside.length + 1);
  });

  it('leaves a key that was written again before the undo alone, and counts it as skipped', async () => {
    await fixture.admin.set('wf:again:a', 'old a');
    await fixture.admin.set('wf:again:b', 'old b', 'PX', 600_000);
    const record = keptRecord(await store.clearPrefix(key('wf:again:'), { undo: new UndoRecorder() }));
    await fixture.admin.set('wf:again:b', 'new b');
    assert.deepEqual(await store.restore(record), { restored: 1, skipped: 1, expired: 0, failed: 0 });
    assert.equal(await fixture.admin.get('wf:again:a'), 'old a');
    assert.equal(await fixture.admin.get('wf:again:b'), 'new b', 'the newer value is not replaced');
    assert.equal(await fixture.admin.pttl('wf:again:b'), -1, 'nor its expiry');
  });

  it('does not bring back a key whose expiry ran out in between, and counts it as expired', async () => {
    await fixture.admin.set('wf:short:soon', 'x', 'PX', 400);
    await fixture.admin.set('wf:short:later', 'y', 'PX', 600_000);
    const record = keptRecord(await store.clearPrefix(key('wf:short:'), { undo: new UndoRecorder() }));
    assert.equal(record.entries.length, 2);
    await sleep(600);
    assert.deepEqual(await store.restore(record), { restored: 1, skipped: 0, expired: 1, failed: 0 });
    assert.equal(await fixture.admin.exists('wf:short:soon'), 0);
    assert.equal(await fixture.admin.get('wf:short:later'), 'y');
  });

  it('keeps no undo copy when the scope is over the budget, says so, and still clears', async () => {
    await fillKeys(fixture.admin, 'wf:big:', 50, randomBytes(750).toString('base64')); // 1000 bytes DUMP cannot compress
    await fillKeys(fixture.admin, 'wf:many:', 30);
    const byBytes = { maxBytes: 20_000, maxKeys: 1000 };
    const byKeys = { maxBytes: 64 * 1024 * 1024, maxKeys: 20 };

    const measuredBytes = await store.measureUndo({ prefix: key('wf:big:') }, byBytes);
    assert.ok(!measuredBytes.fits && measuredBytes.reason === 'budget' && /more than 20 KB/.test(measuredBytes.message), JSON.stringify(measuredBytes));
    const measuredKeys = await store.measureUndo({ prefix: key('wf:many:') }, byKeys);
    assert.ok(!measuredKeys.fits && /more than 20 keys/.test(measuredKeys.message), JSON.stringify(measuredKeys));
    const fits = await store.measureUndo({ prefix: key('wf:many:') }, DEFAULT_UNDO_BUDGET);
    assert.ok(fits.fits && fits.keys === 30, JSON.stringify(fits));
    assert.equal(await fixture.admin.dbsize(), 80, 'measuring deletes nothing');

    const recorder = new UndoRecorder(byBytes);
    const result = await store.clearPrefix(key('wf:big:'), { batchSize: 10, undo: recorder });
    assert.equal(result.deleted, 50);
    assert.deepEqual(result.undo, { kind: 'unavailable', reason: 'budget', message: measuredBytes.message });
    assert.equal(recorder.keptKeys, 0, 'no partial copy is kept');
    const byCount = await store.clearPrefix(key('wf:many:'), { undo: new UndoRecorder(byKeys) });
    assert.equal(byCount.deleted, 30);
    assert.ok(byCount.undo?.kind === 'unavailable' && byCount.undo.reason === 'budget');
    assert.equal(await fixture.admin.dbsize(), 0);
  });

  it('keeps the copy of what was deleted before a cancel, so the undo puts back exactly that', async () => {
    await fillKeys(fixture.admin, 'wf:part:', 1000);
    const controller = new AbortController();
    const result = await store.clearPrefix(key('wf:part:'), { batchSize: 100, signal: controller.signal, undo: new UndoRecorder(), onProgress: (step) => step.deleted >= 200 && controller.abort() });
    assert.equal(result.cancelled, true);
    const record = keptRecord(result);
    assert.equal(record.entries.length, result.deleted);
    assert.equal(await fixture.admin.dbsize(), 1000 - result.deleted);
    assert.equal((await store.restore(record)).restored, result.deleted);
    assert.equal(await fixture.admin.dbsize(), 1000);
  });

  it('undoes a single deleted key', async () => {
    await fixture.admin.rpush('wf:one', 'a', 'b');
    await fixture.admin.pexpire('wf:one', 60_000);
    const recorder = new UndoRecorder();
    assert.equal(await store.deleteKey(key('wf:one'), { undo: recorder }), true);
    const outcome = recorder.outcome();
    assert.ok(outcome.kind === 'kept' && outcome.record.entries.length === 1);
    assert.equal(await fixture.admin.exists('wf:one'), 0);
    assert.deepEqual(await store.restore(outcome.record), { restored: 1, skipped: 0, expired: 0, failed: 0 });
    assert.deepEqual(await fixture.admin.lrange('wf:one', 0, -1), ['a', 'b']);
    assert.ok((await fixture.admin.pttl('wf:one')) > 55_000);
    const missing = new UndoRecorder();
    assert.equal(await store.deleteKey(key('wf:missing'), { undo: missing }), false);
    assert.equal(missing.keptKeys, 0);
  });

  it('reports a payload the server refuses as failed, without stopping the others', async () => {
    await fixture.admin.set('wf:bad:a', '1');
    await fixture.admin.set('wf:bad:b', '2');
    const record = keptRecord(await store.clearPrefix(key('wf:bad:'), { undo: new UndoRecorder() }));
    const broken = record.entries.find((entry) => entry.key.toString() === 'wf:bad:a')!;
    broken.payload = Buffer.from(broken.payload.map((byte, index) => (index === 0 ? byte ^ 0xff : byte)));
    const result = await store.restore(record);
    assert.equal(result.restored, 1);
    assert.equal(result.failed, 1);
    assert.match(result.error ?? '', /DUMP payload|checksum|reported an error/i);
    assert.equal(await fixture.admin.exists('wf:bad:a'), 0);
    assert.equal(await fixture.admin.get('wf:bad:b'), '2');
  });

  it('refuses a bad budget and changes nothing', async () => {
    await fillKeys(fixture.admin, 'wf:x:', 3);
    for (const budget of [{ maxBytes: 0, maxKeys: 10 }, { maxBytes: 1000, maxKeys: -1 }, { maxBytes: 1.5, maxKeys: 10 }]) {
      assert.throws(() => new UndoRecorder(budget), (error: unknown) => error instanceof MemoryError && error.code === 'invalidInput');
      await assert.rejects(store.measureUndo({ prefix: key('wf:x:') }, budget), (error: unknown) => error instanceof MemoryError && error.code === 'invalidInput');
    }
    assert.equal(await fixture.admin.dbsize(), 3);
  });

  describe('with an ACL user that may not DUMP', () => {
    const PASSWORD = 'no-Dump-Secret-7';
    let limited: RedisMemoryStore;

    before(async () => {
      await fixture.admin.acl('SETUSER', 'ns-nodump', 'on', `>${PASSWORD}`, '~ns:*', '+@all', '-dump');
      limited = await fixture.connectStore({ username: 'ns-nodump', password: PASSWORD });
    });

    it('says so before the clear, refuses to clear with undo (deleting nothing), and clears without it', async () => {
      await fillKeys(fixture.admin, 'ns:wf:', 5);
      const footprint = await limited.measureUndo({ prefix: key('ns:wf:') }, DEFAULT_UNDO_BUDGET);
      assert.ok(!footprint.fits && footprint.reason === 'refused' && /DUMP/.test(footprint.message), JSON.stringify(footprint));
      assert.ok(!footprint.message.includes(PASSWORD));

      await assert.rejects(limited.clearPrefix(key('ns:wf:'), { undo: new UndoRecorder() }), (error: unknown) => {
        assert.ok(error instanceof MemoryError, String(error));
        assert.equal(error.code, 'noperm');
        assert.match(error.message, /Could not keep a copy to undo.*DUMP.*Nothing was deleted; clear without undo/);
        assert.ok(!error.message.includes(PASSWORD));
        return true;
      });
      await assert.rejects(limited.deleteKey(key('ns:wf:1'), { undo: new UndoRecorder() }), (error: unknown) => error instanceof MemoryError && error.code === 'noperm');
      assert.equal(await fixture.admin.dbsize(), 5, 'nothing was deleted');

      const result = await limited.clearPrefix(key('ns:wf:'));
      assert.deepEqual(result, { deleted: 5, cancelled: false, skippedOutsideScope: 0 });
    });
  });
});
