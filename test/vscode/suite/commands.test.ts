// Every memory command run with an argument object in a real extension host, checked at the
// source with our own client: what it changes, what it refuses, and that a refusal changes nothing.
import * as assert from 'assert';
import type Redis from 'ioredis';
import { Commands } from '../../../src/constants';
import { Api, assertRefused, CommandResult, DAY, run, setSetting, testRedisUrl, useFreshNamespaceEachTest, waitFor, whenConnected } from './memoryBrowserKit';

describe('memory commands', function () {
  this.timeout(30000);
  let api: Api;
  let redis: Redis;
  let ns: string;

  useFreshNamespaceEachTest('cmd', {
    ready: (activated, client) => ([api, redis] = [activated, client]),
    namespace: (fresh) => (ns = fresh),
    resetAfter: ['readOnly', 'defaultTtl'],
  });

  /** Snapshot of every key under the namespace with value and TTL, to prove nothing changed. */
  async function snapshot(): Promise<string> {
    const keys = (await redis.keys(`${ns}*`)).sort(); // test-only: a tiny throw-away database
    const entries = await Promise.all(keys.map(async (key) => [key, await redis.type(key), (await redis.pttl(key)) > 0 ? 'volatile' : 'persistent', await redis.dump(key)]));
    return JSON.stringify(entries);
  }

  describe('Set Value', () => {
    it('sets text with the given expiry', async () => {
      const result = await run(Commands.setValue, { key: `${ns}:monitor:last`, value: 'digest-1', ttl: '2h' });
      assert.ok(result.ok, JSON.stringify(result));
      assert.strictEqual(await redis.get(`${ns}:monitor:last`), 'digest-1');
      const pttl = await redis.pttl(`${ns}:monitor:last`);
      assert.ok(pttl > 2 * 3600 * 1000 - 10000 && pttl <= 2 * 3600 * 1000, `pttl ${pttl}`);
    });

    it('gives a new key the default expiry when none is given', async () => {
      await run(Commands.setValue, { key: `${ns}:a`, value: 'x' });
      const pttl = await redis.pttl(`${ns}:a`);
      assert.ok(pttl > 7 * DAY - 10000 && pttl <= 7 * DAY, `pttl ${pttl}`);
    });

    it('stores validated JSON', async () => {
      const result = await run(Commands.setValue, { key: `${ns}:json`, value: '{"seen":[1,2]}', format: 'json', ttl: '10m' });
      assert.ok(result.ok, JSON.stringify(result));
      assert.deepStrictEqual(JSON.parse((await redis.get(`${ns}:json`))!), { seen: [1, 2] });
    });

    it('keeps the expiry of an existing key unless a new one is given', async () => {
      await redis.set(`${ns}:kept`, 'old', 'EX', 3600);
      await run(Commands.setValue, { key: `${ns}:kept`, value: 'new' });
      assert.strictEqual(await redis.get(`${ns}:kept`), 'new');
      const pttl = await redis.pttl(`${ns}:kept`);
      assert.ok(pttl > 3500 * 1000 && pttl <= 3600 * 1000, `pttl ${pttl}`);
      await run(Commands.setValue, { key: `${ns}:kept`, value: 'newer', ttl: '30s' });
      assert.ok((await redis.pttl(`${ns}:kept`)) <= 30000);
    });

    it('stores without expiry only when "none" is chosen explicitly', async () => {
      await run(Commands.setValue, { key: `${ns}:forever`, value: 'x', ttl: 'none' });
      assert.strictEqual(await redis.pttl(`${ns}:forever`), -1);
    });

    it('refuses to replace a key of another type unless asked to', async () => {
      await redis.hset(`${ns}:prefs`, 'lang', 'en');
      const before = api.notifications.history.length;
      const refused = await run<CommandResult>(Commands.setValue, { key: `${ns}:prefs`, value: 'x' });
      assertRefused(api, refused, before, /holds a hash.*replaceOtherType/);
      assert.strictEqual(await redis.type(`${ns}:prefs`), 'hash');
      const replaced = await run(Commands.setValue, { key: `${ns}:prefs`, value: 'x', replaceOtherType: true, ttl: '1h' });
      assert.ok(replaced.ok, JSON.stringify(replaced));
      assert.strictEqual(await redis.get(`${ns}:prefs`), 'x');
    });

    const badInputs: [string, Record<string, unknown>, RegExp][] = [
      ['an unparsable expiry', { value: 'x', ttl: 'soon' }, /"soon" is not an expiry/],
      ['a negative expiry', { value: 'x', ttl: '-5m' }, /cannot be negative/],
      ['a negative number of seconds', { value: 'x', ttl: -5 }, /not a positive whole number/],
      ['invalid JSON', { value: '{not json', format: 'json' }, /not valid JSON/],
      ['an unknown format', { value: 'x', format: 'yaml' }, /"text" or "json"/],
      ['a missing value', {}, /No value given/],
    ];
    for (const [what, fields, message] of badInputs) {
      it(`refuses ${what} and changes nothing`, async () => {
        await redis.set(`${ns}:existing`, 'unchanged', 'EX', 600);
        const state = await snapshot();
        const before = api.notifications.history.length;
        const result = await run<CommandResult>(Commands.setValue, { key: `${ns}:existing`, ...fields });
        assertRefused(api, result, before, message);
        assert.strictEqual(await snapshot(), state);
      });
    }

    it('refuses an empty key, a key outside the namespace, and a non-object argument', async () => {
      const state = await snapshot();
      let before = api.notifications.history.length;
      assertRefused(api, await run<CommandResult>(Commands.setValue, { key: '', value: 'x' }), before, /key is empty/);
      before = api.notifications.history.length;
      assertRefused(api, await run<CommandResult>(Commands.setValue, { key: `${ns}x:other`, value: 'x' }), before, /outside the configured namespace/);
      before = api.notifications.history.length;
      assertRefused(api, await run<CommandResult>(Commands.setValue, `${ns}:x`), before, /one argument object/);
      assert.strictEqual(await snapshot(), state);
      assert.strictEqual(await redis.exists(`${ns}x:other`), 0);
    });

    it('refuses when the defaultTtl setting holds nonsense', async () => {
      await setSetting('defaultTtl', 'forever-ish');
      try {
        const before = api.notifications.history.length;
        assertRefused(api, await run<CommandResult>(Commands.setValue, { key: `${ns}:new`, value: 'x' }), before, /workflowMemory\.defaultTtl is not usable/);
        assert.strictEqual(await redis.exists(`${ns}:new`), 0);
      } finally {
        await setSetting('defaultTtl', undefined);
      }
    });
  });

  describe('Set Expiry / Remove Expiry', () => {
    it('sets and removes an expiry', async () => {
      await redis.set(`${ns}:k`, 'v');
      const set = await run(Commands.setTtl, { key: `${ns}:k`, ttl: '10m' });
      assert.ok(set.ok, JSON.stringify(set));
      const pttl = await redis.pttl(`${ns}:k`);
      assert.ok(pttl > 590000 && pttl <= 600000, `pttl ${pttl}`);
      const persisted = await run(Commands.persist, { key: `${ns}:k` });
      assert.ok(persisted.ok, JSON.stringify(persisted));
      assert.strictEqual(await redis.pttl(`${ns}:k`), -1);
    });

    it('refuses a bad or missing ttl, and a missing key, changing nothing', async () => {
      await redis.set(`${ns}:k`, 'v', 'EX', 600);
      const state = await snapshot();
      let before = api.notifications.history.length;
      assertRefused(api, await run<CommandResult>(Commands.setTtl, { key: `${ns}:k`, ttl: 'abc' }), before, /not an expiry/);
      before = api.notifications.history.length;
      assertRefused(api, await run<CommandResult>(Commands.setTtl, { key: `${ns}:k`, ttl: 0 }), before, /not a positive whole number/);
      before = api.notifications.history.length;
      assertRefused(api, await run<CommandResult>(Commands.setTtl, { key: `${ns}:k` }), before, /No ttl given/);
      before = api.notifications.history.length;
      assertRefused(api, await run<CommandResult>(Commands.setTtl, { key: `${ns}:missing`, ttl: '1h' }), before, /does not exist/);
      before = api.notifications.history.length;
      assertRefused(api, await run<CommandResult>(Commands.persist, { key: `${ns}:missing` }), before, /does not exist/);
      assert.strictEqual(await snapshot(), state);
    });
  });

  describe('Clear', () => {
    it('clears one key', async () => {
      await redis.set(`${ns}:a`, '1');
      await redis.set(`${ns}:b`, '1');
      const result = await run(Commands.clearKey, { key: `${ns}:a`, confirm: false });
      assert.deepStrictEqual(result, { ok: true, deleted: 1, undoable: true });
      assert.strictEqual(await redis.exists(`${ns}:a`), 0);
      assert.strictEqual(await redis.exists(`${ns}:b`), 1);
    });

    it('clears a group and leaves look-alike keys alone', async () => {
      for (const key of [`${ns}:monitor:a`, `${ns}:monitor:b:c`, `${ns}:monitor:`]) await redis.set(key, '1');
      const survivors = [`${ns}:monitor2:a`, `${ns}:monitorx`, `${ns}:monitor`, `${ns}:chat:monitor:a`, `other:${ns}:monitor:a`];
      for (const key of survivors) await redis.set(key, '1');
      const result = await run<{ ok: boolean; deleted: number }>(Commands.clearGroup, { prefix: `${ns}:monitor:`, confirm: false });
      assert.ok(result.ok, JSON.stringify(result));
      assert.strictEqual(result.deleted, 3);
      assert.strictEqual(await redis.exists(`${ns}:monitor:a`, `${ns}:monitor:b:c`, `${ns}:monitor:`), 0);
      assert.strictEqual(await redis.exists(...survivors), survivors.length);
      await redis.del(`other:${ns}:monitor:a`);
    });

    it('escapes glob characters in a group prefix', async () => {
      const prefix = `${ns}:we*ird?[1]\\:`;
      await redis.set(`${prefix}a`, '1');
      // Each would match the prefix read as a glob (we*ird?[1]\: → "we…ird" + one char + "1:").
      const survivors = [`${ns}:weXXirdZ1:a`, `${ns}:we*ird?1:a`, `${ns}:weirdZ1:a`];
      for (const key of survivors) await redis.set(key, '1');
      const result = await run<{ ok: boolean; deleted: number }>(Commands.clearGroup, { prefix, confirm: false });
      assert.ok(result.ok, JSON.stringify(result));
      assert.strictEqual(result.deleted, 1);
      assert.strictEqual(await redis.exists(...survivors), survivors.length);
    });

    it('refuses a group prefix that is empty or outside the namespace', async () => {
      await redis.set(`${ns}x:a`, '1');
      let before = api.notifications.history.length;
      assertRefused(api, await run<CommandResult>(Commands.clearGroup, { prefix: `${ns}x:`, confirm: false }), before, /outside the configured namespace/);
      before = api.notifications.history.length;
      assertRefused(api, await run<CommandResult>(Commands.clearGroup, { prefix: '', confirm: false }), before, /prefix is empty/);
      before = api.notifications.history.length;
      assertRefused(api, await run<CommandResult>(Commands.clearGroup, { prefix: `${ns}:`, confirm: 'no' }), before, /confirm must be true or false/);
      assert.strictEqual(await redis.exists(`${ns}x:a`), 1);
      await redis.del(`${ns}x:a`);
    });

    it('clears all workflow memory within the namespace only', async () => {
      for (let index = 0; index < 30; index++) await redis.set(`${ns}:k${index}`, '1');
      await redis.set(`${ns}:deep:er:key`, '1');
      await redis.set(`${ns}x:neighbour`, '1');
      await redis.set(`outside:${ns}:k1`, '1');
      const result = await run<{ ok: boolean; deleted: number; cancelled: boolean }>(Commands.clearAll, { confirm: false });
      assert.ok(result.ok, JSON.stringify(result));
      assert.strictEqual(result.deleted, 31);
      assert.strictEqual(result.cancelled, false);
      assert.deepStrictEqual(await redis.keys(`${ns}:*`), []);
      assert.strictEqual(await redis.exists(`${ns}x:neighbour`, `outside:${ns}:k1`), 2);
      await redis.del(`${ns}x:neighbour`, `outside:${ns}:k1`);
    });
  });

  describe('Undo Last Clear', () => {
    type Restored = { ok: true; restored: number; skipped: number; expired: number };
    type Cleared = { ok: boolean; deleted: number; undoable: boolean; undoUnavailable?: string };

    /** Keys of three types under `<ns>:monitor:`, two with an expiry, plus keys that must not be touched. */
    async function writeGroup(): Promise<string[]> {
      await redis.set(`${ns}:monitor:a`, 'digest-a', 'PX', 600_000);
      await redis.hset(`${ns}:monitor:b:prefs`, 'lang', 'en');
      await redis.rpush(`${ns}:monitor:turns`, 'one', 'two');
      await redis.pexpire(`${ns}:monitor:turns`, 3_600_000);
      const survivors = [`${ns}:monitor2:a`, `${ns}:chat:a`];
      for (const key of survivors) await redis.set(key, 'stays');
      return survivors;
    }

    it('after Clear Group…, offers Undo, and Undo Last Clear brings exactly those keys back', async () => {
      await writeGroup();
      const before = await snapshot();
      const ttlBefore = await redis.pttl(`${ns}:monitor:a`);
      const shown = api.notifications.history.length;
      const cleared = await run<Cleared>(Commands.clearGroup, { prefix: `${ns}:monitor:`, confirm: false });
      assert.deepStrictEqual(cleared, { ok: true, deleted: 3, cancelled: false, prefix: `${ns}:monitor:`, undoable: true });
      assert.strictEqual(await redis.exists(`${ns}:monitor:a`, `${ns}:monitor:b:prefs`, `${ns}:monitor:turns`), 0);
      const done = api.notifications.history.slice(shown).find((note) => /Deleted 3 keys under/.test(note.message));
      assert.ok(done, JSON.stringify(api.notifications.history.slice(shown)));
      assert.deepStrictEqual(done.actions, ['Undo'], 'the completion message offers Undo');
      // Keys written meanwhile elsewhere are not part of the undo.
      await redis.set(`${ns}:chat:b`, 'new');

      const shownUndo = api.notifications.history.length;
      const undone = await run<Restored>(Commands.undoClear);
      assert.deepStrictEqual(undone, { ok: true, restored: 3, skipped: 0, expired: 0 });
      await redis.del(`${ns}:chat:b`);
      assert.strictEqual(await snapshot(), before, 'the same keys, values and kind of expiry');
      const ttlAfter = await redis.pttl(`${ns}:monitor:a`);
      assert.ok(ttlAfter <= ttlBefore && ttlAfter > ttlBefore - 10_000, `pttl ${ttlBefore} before, ${ttlAfter} after`);
      assert.ok(api.notifications.history.slice(shownUndo).some((note) => note.level === 'info' && /Restored 3 keys under/.test(note.message)));

      const again = api.notifications.history.length;
      assertRefused(api, await run<CommandResult>(Commands.undoClear), again, /no clear to undo/);
    });

    it('undoes Clear Key and Clear All, leaving a key written again since alone', async () => {
      await redis.set(`${ns}:one`, 'old', 'PX', 600_000);
      assert.strictEqual((await run<Cleared>(Commands.clearKey, { key: `${ns}:one`, confirm: false })).undoable, true);
      assert.deepStrictEqual(await run(Commands.undoClear), { ok: true, restored: 1, skipped: 0, expired: 0 });
      assert.strictEqual(await redis.get(`${ns}:one`), 'old');
      assert.ok((await redis.pttl(`${ns}:one`)) > 590_000);

      await redis.set(`${ns}:two`, 'old two');
      await run(Commands.clearAll, { confirm: false });
      assert.deepStrictEqual(await redis.keys(`${ns}:*`), []);
      await redis.set(`${ns}:two`, 'written again');
      assert.deepStrictEqual(await run(Commands.undoClear), { ok: true, restored: 1, skipped: 1, expired: 0 });
      assert.strictEqual(await redis.get(`${ns}:one`), 'old');
      assert.strictEqual(await redis.get(`${ns}:two`), 'written again');
    });

    it('keeps only the last clear: a new clear replaces it', async () => {
      await redis.set(`${ns}:first:a`, '1');
      await redis.set(`${ns}:second:a`, '2');
      await run(Commands.clearGroup, { prefix: `${ns}:first:`, confirm: false });
      await run(Commands.clearGroup, { prefix: `${ns}:second:`, confirm: false });
      assert.deepStrictEqual(await run(Commands.undoClear), { ok: true, restored: 1, skipped: 0, expired: 0 });
      assert.strictEqual(await redis.exists(`${ns}:first:a`), 0);
      assert.strictEqual(await redis.get(`${ns}:second:a`), '2');
    });

    it('clears without undo when asked (undo: false), and refuses a bad undo flag changing nothing', async () => {
      await redis.set(`${ns}:first:a`, '1');
      await run(Commands.clearGroup, { prefix: `${ns}:first:`, confirm: false });
      await redis.set(`${ns}:x:a`, '1');
      let before = api.notifications.history.length;
      assertRefused(api, await run<CommandResult>(Commands.clearGroup, { prefix: `${ns}:x:`, confirm: false, undo: 'no' }), before, /undo must be true or false/);
      assert.strictEqual(await redis.exists(`${ns}:x:a`), 1);
      const cleared = await run<Cleared>(Commands.clearGroup, { prefix: `${ns}:x:`, confirm: false, undo: false });
      assert.ok(cleared.ok && cleared.deleted === 1 && !cleared.undoable && /undo: false/.test(cleared.undoUnavailable ?? ''), JSON.stringify(cleared));
      before = api.notifications.history.length;
      assertRefused(api, await run<CommandResult>(Commands.undoClear), before, /no clear to undo/);
      assert.strictEqual(await redis.exists(`${ns}:first:a`, `${ns}:x:a`), 0, 'the earlier clear was replaced, not undone');
    });

    it('is refused in read-only mode, changing nothing, and works again afterwards', async () => {
      await writeGroup();
      await run(Commands.clearGroup, { prefix: `${ns}:monitor:`, confirm: false });
      const state = await snapshot();
      await setSetting('readOnly', true);
      try {
        await waitFor('read-only mode', () => api.config.readOnly);
        const before = api.notifications.history.length;
        assertRefused(api, await run<CommandResult>(Commands.undoClear), before, /read-only mode/);
        assert.strictEqual(await snapshot(), state);
      } finally {
        await setSetting('readOnly', undefined);
      }
      assert.deepStrictEqual(await run(Commands.undoClear), { ok: true, restored: 3, skipped: 0, expired: 0 });
    });

    it('forgets the undo when disconnecting', async () => {
      await redis.set(`${ns}:gone:a`, '1');
      await run(Commands.clearGroup, { prefix: `${ns}:gone:`, confirm: false });
      assert.ok((await run<CommandResult>(Commands.disconnect)).ok);
      const retried = await run<CommandResult>(Commands.retry);
      assert.ok(retried.ok, JSON.stringify(retried));
      await whenConnected(api);
      const before = api.notifications.history.length;
      assertRefused(api, await run<CommandResult>(Commands.undoClear), before, /no clear to undo/);
      assert.strictEqual(await redis.exists(`${ns}:gone:a`), 0);
    });
  });

  describe('read-only mode', () => {
    it('refuses every write and changes nothing', async () => {
      await redis.set(`${ns}:monitor:a`, '1', 'EX', 600);
      await redis.set(`${ns}:b`, '1');
      const state = await snapshot();
      await setSetting('readOnly', true);
      try {
        await waitFor('read-only mode', () => api.config.readOnly);
        const writes: [string, unknown][] = [
          [Commands.setValue, { key: `${ns}:b`, value: 'changed', ttl: '1h' }],
          [Commands.setTtl, { key: `${ns}:b`, ttl: '1h' }],
          [Commands.persist, { key: `${ns}:monitor:a` }],
          [Commands.clearKey, { key: `${ns}:b`, confirm: false }],
          [Commands.clearGroup, { prefix: `${ns}:monitor:`, confirm: false }],
          [Commands.clearAll, { confirm: false }],
          [Commands.undoClear, undefined],
        ];
        for (const [command, argument] of writes) {
          const before = api.notifications.history.length;
          assertRefused(api, await run<CommandResult>(command, argument), before, /read-only mode/);
        }
        assert.strictEqual(await snapshot(), state);
        const read = await run(Commands.openValue, { key: `${ns}:b` });
        assert.ok(read.ok, 'reading still works in read-only mode');
      } finally {
        await setSetting('readOnly', undefined);
      }
    });
  });

  describe('when Redis is unreachable', () => {
    it('fails fast with "Not connected" and changes nothing', async () => {
      await redis.set(`${ns}:a`, '1', 'EX', 600);
      const state = await snapshot();
      const failed = await run<CommandResult>(Commands.connect, { url: 'redis://127.0.0.1:1' });
      try {
        assert.strictEqual(failed.ok, false);
        for (const [command, argument] of [
          [Commands.setValue, { key: `${ns}:a`, value: 'x' }],
          [Commands.clearAll, { confirm: false }],
          [Commands.openValue, { key: `${ns}:a` }],
        ] as [string, unknown][]) {
          const before = api.notifications.history.length;
          const started = Date.now();
          assertRefused(api, await run<CommandResult>(command, argument), before, /Not connected to Redis — run Connect…/);
          assert.ok(Date.now() - started < 1000, 'the refusal is immediate');
        }
      } finally {
        const restored = await run<CommandResult>(Commands.connect, { url: testRedisUrl() });
        assert.ok(restored.ok, JSON.stringify(restored));
      }
      assert.strictEqual(await snapshot(), state);
    });

    it('after Disconnect, shows no tree and refuses commands until reconnected', async () => {
      const result = await run<CommandResult>(Commands.disconnect);
      try {
        assert.ok(result.ok);
        assert.strictEqual(api.connection.state, 'disconnected');
        assert.deepStrictEqual(await api.memoryTree.childrenWhenSettled(), [], 'the welcome text with Connect… shows instead');
        assert.match(api.statusBar.text, /not connected/);
        const before = api.notifications.history.length;
        assertRefused(api, await run<CommandResult>(Commands.setTtl, { key: `${ns}:a`, ttl: '1h' }), before, /Not connected to Redis — run Connect…/);
      } finally {
        const retried = await run<CommandResult>(Commands.retry);
        assert.ok(retried.ok, JSON.stringify(retried));
      }
      assert.strictEqual(api.connection.state, 'connected');
    });

    it('refuses a connection URL that is not redis://', async () => {
      const before = api.notifications.history.length;
      assertRefused(api, await run<CommandResult>(Commands.connect, { url: 'http://127.0.0.1:6379' }), before, /redis:\/\/ or rediss:\/\//);
      assert.strictEqual(api.connection.state, 'connected', 'a refused Connect… leaves the current connection alone');
      const before2 = api.notifications.history.length;
      assertRefused(api, await run<CommandResult>(Commands.connect, { url: testRedisUrl(), db: -1 }), before2, /0 or above/);
      assert.strictEqual(api.connection.state, 'connected');
    });
  });

  describe('Copy Key', () => {
    it('copies the full key', async () => {
      const result = await run<{ ok: boolean; text: string }>(Commands.copyKey, { key: `${ns}:monitor:last` });
      assert.ok(result.ok);
      assert.strictEqual(result.text, `${ns}:monitor:last`);
    });
  });
});
