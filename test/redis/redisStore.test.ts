import { strict as assert } from 'assert';
import { MemoryError } from '../../src/memory/errors';
import { groupKeys } from '../../src/memory/grouping';
import { keyFromInput, keyToDisplay } from '../../src/memory/keys';
import type { RedisMemoryStore } from '../../src/memory/redisStore';
import type { ValueView } from '../../src/memory/store';
import { fillKeys, key, keyTexts, type RedisFixture, useStoreOnFreshRedis } from '../support/redis';

function textOf(view: ValueView): Extract<ValueView, { kind: 'text' }> {
  assert.equal(view.kind, 'text');
  return view as Extract<ValueView, { kind: 'text' }>;
}

async function rejectsWith(promise: Promise<unknown>, code: MemoryError['code'], pattern: RegExp): Promise<MemoryError> {
  try {
    await promise;
  } catch (error) {
    assert.ok(error instanceof MemoryError, `expected a MemoryError, got ${String(error)}`);
    assert.equal(error.code, code, error.message);
    assert.match(error.message, pattern);
    return error;
  }
  assert.fail('expected a rejection');
}

describe('redis: RedisMemoryStore on a real redis-server', function () {
  this.timeout(30_000);
  let fixture: RedisFixture;
  let store: RedisMemoryStore;

  useStoreOnFreshRedis((started, connected) => {
    fixture = started;
    store = connected;
  });

  describe('connection', () => {
    it('connects and reports host, port, db and server version', () => {
      assert.equal(store.info.host, '127.0.0.1');
      assert.equal(store.info.port, fixture.server.port);
      assert.equal(store.info.db, 0);
      assert.match(store.info.serverVersion ?? '', /^\d+\.\d+/);
    });

    it('uses the configured database', async () => {
      const db3 = await fixture.connectStore({ db: 3 });
      await db3.setString(key('wf:db3'), 'x', { kind: 'none' });
      assert.equal(await fixture.admin.exists('wf:db3'), 0);
      await fixture.admin.select(3);
      assert.equal(await fixture.admin.get('wf:db3'), 'x');
      await fixture.admin.flushdb();
      await fixture.admin.select(0);
    });
  });

  describe('listing', () => {
    it('scans pages with a cursor and a limit until the keyspace is walked, never KEYS', async () => {
      await fillKeys(fixture.admin, 'wf:acme:', 250);
      await fillKeys(fixture.admin, 'other:', 250);
      await fixture.admin.config('RESETSTAT');
      const found: Buffer[] = [];
      let cursor = '0';
      let pages = 0;
      do {
        const page = await store.scan({ prefix: key('wf:acme:'), count: 50, limit: 40, cursor });
        assert.ok(page.keys.length >= 40 || page.cursor === '0', 'a page stops at its limit only');
        found.push(...page.keys);
        cursor = page.cursor;
        pages++;
      } while (cursor !== '0');
      assert.ok(pages > 1, 'listing took several pages');
      assert.equal(new Set(keyTexts(found)).size, 250);
      assert.ok(found.every((entry) => entry.toString().startsWith('wf:acme:')));
      const stats = await fixture.admin.info('commandstats');
      assert.doesNotMatch(stats, /cmdstat_keys:/);
      assert.match(stats, /cmdstat_scan:/);
    });

    it('narrows with a filter after the prefix', async () => {
      await fixture.admin.mset('wf:acme:monitor:a', '1', 'wf:acme:monitor:b', '1', 'wf:acme:notify:a', '1', 'monitor:x', '1');
      const page = await store.scan({ prefix: key('wf:'), filter: '*monitor*', count: 100 });
      assert.equal(page.cursor, '0');
      assert.deepEqual(keyTexts(page.keys), ['wf:acme:monitor:a', 'wf:acme:monitor:b']);
    });

    it('returns early within a time budget, with a cursor to go on from', async () => {
      await fillKeys(fixture.admin, 'noise:', 3000);
      const page = await store.scan({ prefix: key('absent:'), count: 10, budgetMs: 0 });
      assert.deepEqual(page.keys, []);
      assert.notEqual(page.cursor, '0');
    });

    it('lists the groups of a level from scanned keys', async () => {
      await fixture.admin.mset('wf:a:1', '1', 'wf:a:2', '1', 'wf:b:1', '1', 'wf:top', '1');
      const page = await store.scan({ prefix: key('wf:'), count: 100 });
      const level = groupKeys(page.keys, key('wf:'), ':');
      assert.deepEqual(level.groups.map((group) => [group.segment.toString(), group.keyCount]), [['a', 2], ['b', 1]]);
      assert.deepEqual(keyTexts(level.leaves), ['wf:top']);
    });

    it('refuses a bad count or cursor, and stops when aborted', async () => {
      await rejectsWith(store.scan({ prefix: key('wf:'), count: 0 }), 'invalidInput', /SCAN count/);
      await rejectsWith(store.scan({ prefix: key('wf:'), count: 10, cursor: 'abc' }), 'invalidInput', /not a SCAN cursor/);
      const controller = new AbortController();
      controller.abort();
      await assert.rejects(store.scan({ prefix: key('wf:'), count: 10, signal: controller.signal }), { name: 'AbortError' });
    });
  });

  describe('metadata', () => {
    it('reads type, expiry, size, encoding and length of every type in one go', async () => {
      const admin = fixture.admin;
      await admin.set('m:string', 'hello', 'EX', 3600);
      await admin.hset('m:hash', 'a', '1', 'b', '2');
      await admin.rpush('m:list', 'x', 'y', 'z');
      await admin.sadd('m:set', 'p', 'q');
      await admin.zadd('m:zset', 1, 'one', 2, 'two');
      await admin.xadd('m:stream', '*', 'event', 'seen');
      const names = ['m:string', 'm:hash', 'm:list', 'm:set', 'm:zset', 'm:stream', 'm:missing'];
      const metadata = await store.metadata(names.map(key));
      const byName = new Map(metadata.map((entry) => [entry.key.toString(), entry]));
      const expected: [string, string, number | undefined][] = [
        ['m:string', 'string', 5],
        ['m:hash', 'hash', 2],
        ['m:list', 'list', 3],
        ['m:set', 'set', 2],
        ['m:zset', 'zset', 2],
        ['m:stream', 'stream', 1],
        ['m:missing', 'none', undefined],
      ];
      for (const [name, type, length] of expected) {
        const entry = byName.get(name)!;
        assert.equal(entry.type, type, name);
        assert.equal(entry.length, length, name);
        if (type !== 'none') {
          assert.ok((entry.memoryBytes ?? 0) > 0, `${name} has a size`);
          assert.ok(entry.encoding, `${name} has an encoding`);
        }
      }
      const stringExpiry = byName.get('m:string')!.expiry;
      assert.equal(stringExpiry.kind, 'expires');
      assert.ok(stringExpiry.kind === 'expires' && stringExpiry.ms > 3590_000 && stringExpiry.ms <= 3600_000);
      assert.deepEqual(byName.get('m:hash')!.expiry, { kind: 'persistent' });
      assert.deepEqual(byName.get('m:missing')!.expiry, { kind: 'missing' });
      assert.deepEqual(await store.metadata([]), []);
    });
  });

  describe('reading values', () => {
    it('reads each type rendered', async () => {
      const admin = fixture.admin;
      await admin.set('v:json', '{"seen":["a","b"],"n":12345678901234567890}');
      await admin.set('v:text', 'plain text');
      await admin.hset('v:hash', 'name', 'Ada', 'lang', 'en');
      await admin.rpush('v:list', 'turn 1', 'turn 2');
      await admin.sadd('v:set', 'only');
      await admin.zadd('v:zset', 2.5, 'b', 1, 'a');
      await admin.xadd('v:stream', '1-1', 'event', 'seen');
      assert.equal(textOf(await store.readValue(key('v:json'), 1024)).text, '{\n  "seen": [\n    "a",\n    "b"\n  ],\n  "n": 12345678901234567890\n}');
      assert.equal(textOf(await store.readValue(key('v:text'), 1024)).text, 'plain text');
      assert.deepEqual(JSON.parse(textOf(await store.readValue(key('v:hash'), 1024)).text), { name: 'Ada', lang: 'en' });
      assert.deepEqual(JSON.parse(textOf(await store.readValue(key('v:list'), 1024)).text), ['turn 1', 'turn 2']);
      assert.deepEqual(JSON.parse(textOf(await store.readValue(key('v:set'), 1024)).text), ['only']);
      assert.deepEqual(JSON.parse(textOf(await store.readValue(key('v:zset'), 1024)).text), [{ member: 'a', score: 1 }, { member: 'b', score: 2.5 }]);
      assert.deepEqual(JSON.parse(textOf(await store.readValue(key('v:stream'), 1024)).text), [{ id: '1-1', fields: { event: 'seen' } }]);
      assert.deepEqual(await store.readValue(key('v:gone'), 1024), { kind: 'missing' });
    });

    it('previews a 50 MB value with GETRANGE instead of loading it', async () => {
      const big = Buffer.alloc(50 * 1024 * 1024, 'a');
      await fixture.admin.set('v:big', big);
      await fixture.admin.config('RESETSTAT');
      const view = textOf(await store.readValue(key('v:big'), 1024 * 1024));
      assert.equal(view.truncated, true);
      assert.equal(view.totalBytes, big.length);
      assert.match(view.text, /^Showing the first 1 MB of 50 MB\./);
      assert.ok(view.text.length < 1024 * 1024 + 200);
      const stats = await fixture.admin.info('commandstats');
      assert.match(stats, /cmdstat_getrange:calls=1/);
      assert.doesNotMatch(stats, /cmdstat_get:/, 'the whole value was never fetched');
    });

    it('previews the first elements of a big collection', async () => {
      const pipeline = fixture.admin.pipeline();
      for (let i = 0; i < 3000; i++) pipeline.rpush('v:biglist', `item-${i}`);
      for (let i = 0; i < 3000; i++) pipeline.hset('v:bighash', `f${i}`, `v${i}`);
      await pipeline.exec();
      const list = textOf(await store.readValue(key('v:biglist'), 1024 * 1024, { maxItems: 250 }));
      assert.equal(list.truncated, true);
      assert.match(list.note!, /Showing the first 250 of 3,000 items/);
      const hash = textOf(await store.readValue(key('v:bighash'), 2000));
      assert.equal(hash.truncated, true);
      assert.match(hash.note!, /of 3,000 fields/);
    });

    it('shows a value that is not UTF-8 as hex', async () => {
      await fixture.admin.set(key('v:bin'), Buffer.from([0xde, 0xad, 0xbe, 0xef]));
      const view = textOf(await store.readValue(key('v:bin'), 1024));
      assert.match(view.text, /00000000  de ad be ef/);
    });

    it('refuses an empty key and a bad size limit', async () => {
      await rejectsWith(store.readValue(Buffer.alloc(0), 1024), 'invalidInput', /empty/);
      await rejectsWith(store.readValue(key('x'), -1), 'invalidInput', /size limit/);
    });
  });

  describe('changing values', () => {
    it('sets a string with an expiry, without one, and keeps the expiry when asked', async () => {
      await store.setString(key('wf:s'), 'one', { kind: 'duration', ms: 60_000 });
      assert.equal(await fixture.admin.get('wf:s'), 'one');
      const pttl = await fixture.admin.pttl('wf:s');
      assert.ok(pttl > 55_000 && pttl <= 60_000, String(pttl));

      await store.setString(key('wf:s'), 'two', { kind: 'keep' });
      assert.equal(await fixture.admin.get('wf:s'), 'two');
      assert.ok((await fixture.admin.pttl('wf:s')) > 55_000, 'KEEPTTL kept the expiry');

      await store.setString(key('wf:s'), 'three', { kind: 'none' });
      assert.equal(await fixture.admin.pttl('wf:s'), -1, '"none" removes the expiry');
    });

    it('sets, changes and removes an expiry, and deletes a key', async () => {
      await fixture.admin.set('wf:e', 'x');
      assert.equal(await store.setExpiry(key('wf:e'), 5000), true);
      const pttl = await fixture.admin.pttl('wf:e');
      assert.ok(pttl > 0 && pttl <= 5000);
      assert.equal(await store.removeExpiry(key('wf:e')), true);
      assert.equal(await fixture.admin.pttl('wf:e'), -1);
      assert.equal(await store.removeExpiry(key('wf:e')), false, 'nothing to remove');
      assert.equal(await store.setExpiry(key('wf:absent'), 5000), false);
      assert.equal(await store.deleteKey(key('wf:e')), true);
      assert.equal(await fixture.admin.exists('wf:e'), 0);
      assert.equal(await store.deleteKey(key('wf:e')), false);
    });

    it('refuses to overwrite another type unless asked, and changes nothing', async () => {
      await fixture.admin.hset('wf:h', 'a', '1');
      await fixture.admin.pexpire('wf:h', 90_000);
      const error = await rejectsWith(store.setString(key('wf:h'), 'text', { kind: 'keep' }), 'wrongType', /holds a hash, not a string.*Nothing was changed/);
      assert.ok(!error.message.includes('text'), 'the value is not echoed');
      assert.equal(await fixture.admin.type('wf:h'), 'hash');
      assert.deepEqual(await fixture.admin.hgetall('wf:h'), { a: '1' });
      await store.setString(key('wf:h'), 'text', { kind: 'keep' }, { replaceOtherType: true });
      assert.equal(await fixture.admin.get('wf:h'), 'text');
      assert.ok((await fixture.admin.pttl('wf:h')) > 0);
      assert.equal(await store.typeOf(key('wf:h')), 'string');
    });

    it('refuses bad input and changes nothing', async () => {
      await fixture.admin.set('wf:keep', 'same', 'PX', 60_000);
      await rejectsWith(store.setString(Buffer.alloc(0), 'x', { kind: 'none' }), 'invalidInput', /empty/);
      await rejectsWith(store.setString(key('wf:keep'), 'new', { kind: 'duration', ms: -5 }), 'invalidInput', /above zero/);
      await rejectsWith(store.setString(key('wf:keep'), 'new', { kind: 'duration', ms: 1.5 }), 'invalidInput', /whole number/);
      await rejectsWith(store.setExpiry(key('wf:keep'), 0), 'invalidInput', /above zero/);
      await rejectsWith(store.setExpiry(key('wf:keep'), Number.MAX_SAFE_INTEGER + 10), 'invalidInput', /at most/);
      assert.equal(await fixture.admin.get('wf:keep'), 'same');
      assert.ok((await fixture.admin.pttl('wf:keep')) > 50_000);
    });
  });

  describe('binary keys', () => {
    const binary = Buffer.from([0x77, 0x66, 0x3a, 0xff, 0xfe, 0x00, 0x3a, 0x80]);

    it('lists, reads, sets and deletes a key that is not UTF-8, byte for byte', async () => {
      await fixture.admin.set(binary, Buffer.from('payload'));
      const page = await store.scan({ prefix: key('wf:'), count: 100 });
      assert.equal(page.keys.length, 1);
      assert.deepEqual(page.keys[0], binary);
      const shown = keyToDisplay(page.keys[0]);
      assert.equal(shown, 'wf:\\xff\\xfe\\x00:\\x80');
      assert.deepEqual(keyFromInput(shown), binary);
      assert.equal(textOf(await store.readValue(keyFromInput(shown), 1024)).text, 'payload');
      const [metadata] = await store.metadata([binary]);
      assert.equal(metadata.type, 'string');
      await store.setString(binary, 'changed', { kind: 'keep' });
      assert.equal((await fixture.admin.getBuffer(binary))!.toString(), 'changed');
      assert.equal(await store.deleteKey(binary), true);
      assert.equal(await fixture.admin.exists(binary), 0);
    });
  });
});
