import { strict as assert } from 'assert';
import { MemoryError } from '../../src/memory/errors';
import { keyFromInput } from '../../src/memory/keys';
import type { RedisMemoryStore } from '../../src/memory/redisStore';
import type { ClearProgress } from '../../src/memory/store';
import { fillKeys, key, keyTexts, type RedisFixture, useStoreOnFreshRedis } from '../support/redis';

describe('redis: counting and clearing a prefix', function () {
  this.timeout(60_000);
  let fixture: RedisFixture;
  let store: RedisMemoryStore;

  useStoreOnFreshRedis((started, connected) => {
    fixture = started;
    store = connected;
  });

  async function allKeys(): Promise<string[]> {
    const keys: Buffer[] = [];
    let cursor = '0';
    do {
      const [next, batch] = await fixture.admin.scanBuffer(cursor, 'COUNT', 1000);
      keys.push(...batch);
      cursor = next.toString();
    } while (cursor !== '0');
    return keyTexts(keys);
  }

  it('clears a prefix full of glob characters and leaves look-alike keys alone', async () => {
    const prefix = 'wf:a*b?[x]\\:';
    const inside = [`${prefix}one`, `${prefix}two:deep`, prefix];
    const lookAlikes = ['wf:a*b?[x]\\X', 'wf:a*b?[x]\\Xone', 'wf:aXbYx:one', 'wf:a*b?x:one', 'wf:aXbY[x]\\:one', 'wf:acme-other:one', 'wf:a*b?[x]', 'wf:ab?[x]\\:one'];
    for (const name of [...inside, ...lookAlikes]) await fixture.admin.set(name, '1');
    // The test means something: the same prefix used as a raw glob would take look-alikes too.
    const [, naive] = await fixture.admin.scan('0', 'MATCH', `${prefix}*`, 'COUNT', 1000);
    assert.ok(naive.includes('wf:aXbYx:one') && naive.includes('wf:a*b?x:one'), naive.join(' '));

    assert.equal(await store.countPrefix(key(prefix)), inside.length);
    const result = await store.clearPrefix(key(prefix), { batchSize: 2 });
    assert.deepEqual(result, { deleted: inside.length, cancelled: false, skippedOutsideScope: 0 });
    assert.deepEqual(await allKeys(), [...lookAlikes].sort());
  });

  it('clears a namespace without touching a neighbour that shares its start', async () => {
    await fillKeys(fixture.admin, 'wf:acme:monitor:', 30);
    await fillKeys(fixture.admin, 'wf:acme-other:', 10);
    await fillKeys(fixture.admin, 'wf:acmemonitor:', 10);
    const result = await store.clearPrefix(key('wf:acme:'));
    assert.equal(result.deleted, 30);
    assert.equal((await allKeys()).length, 20);
    assert.ok((await allKeys()).every((name) => !name.startsWith('wf:acme:')));
  });

  it('counts and clears binary keys under a binary prefix, byte for byte', async () => {
    const prefix = Buffer.from([0x77, 0x66, 0x3a, 0xff, 0x3a]);
    const inside = [Buffer.concat([prefix, Buffer.from([0x00, 0x01])]), Buffer.concat([prefix, Buffer.from('text')])];
    const outside = [Buffer.from([0x77, 0x66, 0x3a, 0xfe, 0x3a, 0x00]), Buffer.from([0x77, 0x66, 0x3a, 0xff]), Buffer.from('wf:\\xff:text')];
    for (const name of [...inside, ...outside]) await fixture.admin.set(name, Buffer.from([0x80]));
    assert.equal(await store.countPrefix(keyFromInput('wf:\\xff:')), 2);
    const result = await store.clearPrefix(prefix);
    assert.equal(result.deleted, 2);
    for (const name of inside) assert.equal(await fixture.admin.exists(name), 0);
    for (const name of outside) assert.equal(await fixture.admin.exists(name), 1);
  });

  it('clears 20,000 keys in batches, reporting progress', async () => {
    await fillKeys(fixture.admin, 'wf:bulk:', 20_000);
    await fillKeys(fixture.admin, 'wf:keep:', 500);
    assert.equal(await store.countPrefix(key('wf:bulk:')), 20_000);
    const progress: ClearProgress[] = [];
    const result = await store.clearPrefix(key('wf:bulk:'), { batchSize: 1000, onProgress: (step) => progress.push(step) });
    assert.deepEqual(result, { deleted: 20_000, cancelled: false, skippedOutsideScope: 0 });
    assert.ok(progress.length >= 10, `cleared in ${progress.length} batches`);
    assert.equal(progress[progress.length - 1].deleted, 20_000);
    for (let i = 1; i < progress.length; i++) assert.ok(progress[i].deleted >= progress[i - 1].deleted);
    assert.equal(await fixture.admin.dbsize(), 500);
    const stats = await fixture.admin.info('commandstats');
    assert.match(stats, /cmdstat_unlink:calls=\d+/);
    assert.doesNotMatch(stats, /cmdstat_keys:/);
  });

  it('stops when cancelled and reports what it deleted so far', async () => {
    await fillKeys(fixture.admin, 'wf:cancel:', 5000);
    const controller = new AbortController();
    const result = await store.clearPrefix(key('wf:cancel:'), {
      batchSize: 100,
      signal: controller.signal,
      onProgress: (step) => {
        if (step.deleted >= 300) controller.abort();
      },
    });
    assert.equal(result.cancelled, true);
    assert.ok(result.deleted >= 300 && result.deleted < 5000, String(result.deleted));
    assert.equal(await fixture.admin.dbsize(), 5000 - result.deleted);
  });

  it('counting can be cancelled and reports progress', async () => {
    await fillKeys(fixture.admin, 'wf:count:', 3000);
    const seen: number[] = [];
    assert.equal(await store.countPrefix(key('wf:count:'), undefined, (counted) => seen.push(counted)), 3000);
    assert.ok(seen.length > 1 && seen[seen.length - 1] === 3000);
    const controller = new AbortController();
    await assert.rejects(
      store.countPrefix(key('wf:count:'), controller.signal, () => controller.abort()),
      { name: 'AbortError' },
    );
  });

  it('refuses to clear the whole database unless told so explicitly', async () => {
    await fillKeys(fixture.admin, 'any:', 20);
    await assert.rejects(store.clearPrefix(Buffer.alloc(0)), (error: unknown) => error instanceof MemoryError && error.code === 'invalidInput' && /whole database.*nothing was deleted/.test(error.message));
    assert.equal(await fixture.admin.dbsize(), 20);
    assert.equal(await store.countPrefix(Buffer.alloc(0)), 20);
    assert.equal((await store.clearPrefix(Buffer.alloc(0), { wholeDatabase: true })).deleted, 20);
    assert.equal(await fixture.admin.dbsize(), 0);
  });

  it('refuses a bad batch size and changes nothing', async () => {
    await fillKeys(fixture.admin, 'wf:x:', 5);
    for (const batchSize of [0, -1, 2.5]) {
      await assert.rejects(store.clearPrefix(key('wf:x:'), { batchSize }), (error: unknown) => error instanceof MemoryError && error.code === 'invalidInput');
    }
    assert.equal(await fixture.admin.dbsize(), 5);
  });

  it('deletes nothing when the prefix matches nothing', async () => {
    await fillKeys(fixture.admin, 'wf:x:', 5);
    assert.deepEqual(await store.clearPrefix(key('wf:none:')), { deleted: 0, cancelled: false, skippedOutsideScope: 0 });
    assert.equal(await fixture.admin.dbsize(), 5);
  });
});
