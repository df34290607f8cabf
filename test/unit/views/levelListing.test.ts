// One tree level fills in page by page from budgeted scans, stops at a page of children for
// "Load more…", and asks for metadata only for the keys on show. The store is a hand-written
// in-memory fake (the real store is tested against redis-server in test/redis).
import * as assert from 'assert';
import type { KeyMetadata, MemoryStore, ScanOptions, ScanPage } from '../../../src/memory/store';
import { isInScope, scanPattern } from '../../../src/memory/keys';
import { LevelListing, LevelOptions } from '../../../src/views/levelListing';

/** Keys in memory; SCAN walks them in `count`-sized steps, the cursor being an index. */
class InMemoryScanStore {
  readonly scanCalls: ScanOptions[] = [];
  readonly metadataCalls: Buffer[][] = [];
  readonly deleted = new Set<string>();
  failScan: Error | undefined;

  constructor(readonly keys: Buffer[]) {}

  async scan(options: ScanOptions): Promise<ScanPage> {
    this.scanCalls.push(options);
    if (this.failScan) throw this.failScan;
    const start = Number(options.cursor ?? '0');
    const end = Math.min(this.keys.length, start + options.count);
    const pattern = globRegExp(scanPattern(options.prefix, options.filter).toString('latin1'));
    const keys = this.keys.slice(start, end).filter((key) => isInScope(key, options.prefix) && pattern.test(key.toString('latin1')));
    return { keys, cursor: end >= this.keys.length ? '0' : String(end) };
  }

  async metadata(keys: Buffer[]): Promise<KeyMetadata[]> {
    this.metadataCalls.push(keys);
    return keys.map((key) =>
      this.deleted.has(key.toString('latin1'))
        ? { key, type: 'none', expiry: { kind: 'missing' } }
        : { key, type: 'string', expiry: { kind: 'expires', ms: 60000 }, memoryBytes: 56 },
    );
  }
}

/** Enough of Redis glob matching for the tests: `*`, `?` and backslash escapes. */
function globRegExp(glob: string): RegExp {
  let source = '';
  for (let index = 0; index < glob.length; index++) {
    const char = glob[index];
    if (char === '\\') source += escapeRegExp(glob[++index] ?? '');
    else if (char === '*') source += '[\\s\\S]*';
    else if (char === '?') source += '[\\s\\S]';
    else source += escapeRegExp(char);
  }
  return new RegExp(`^${source}$`);
}
function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

function keys(...names: string[]): Buffer[] {
  return names.map((name) => Buffer.from(name));
}

function listing(store: InMemoryScanStore, options: Partial<LevelOptions> = {}, onChange: () => void = () => {}): LevelListing {
  const prefix = options.prefix ?? Buffer.from('ns:');
  return new LevelListing(store as unknown as MemoryStore, { prefix, scanPrefix: prefix, delimiter: ':', scanCount: 2, pageSize: 10, ...options }, onChange);
}

const text = (buffer: Buffer) => buffer.toString('utf8');

describe('LevelListing', () => {
  it('groups the keys of a level and counts keys per group', async () => {
    const store = new InMemoryScanStore(keys('ns:monitor:a', 'ns:monitor:b', 'ns:chat:1', 'ns:top', 'other:x', 'ns:monitor:deep:c'));
    const level = listing(store);
    await level.settled();
    const view = level.view();
    assert.deepStrictEqual(view.groups.map((group) => [text(group.segment), group.keyCount]), [['chat', 1], ['monitor', 3]]);
    assert.deepStrictEqual(view.keys.map((shown) => text(shown.key)), ['ns:top']);
    assert.strictEqual(view.complete, true);
    assert.strictEqual(view.hasMore, false);
    assert.strictEqual(view.keysSeen, 5);
  });

  it('streams: the tree is told after every scan page', async () => {
    const store = new InMemoryScanStore(keys('ns:a', 'ns:b', 'ns:c', 'ns:d', 'ns:e'));
    let changes = 0;
    const level = listing(store, {}, () => changes++);
    await level.firstPage();
    assert.ok(level.view().keysSeen >= 1 && level.view().keysSeen <= 2, 'the first page is shown before the scan ends');
    await level.settled();
    assert.strictEqual(store.scanCalls.length, 3);
    assert.ok(changes >= 3, `expected a change per page, got ${changes}`);
    assert.ok(store.scanCalls.every((call) => call.budgetMs !== undefined && call.limit === 2));
  });

  it('says when its first scan run has stopped, metadata included, and tells the tree once', async () => {
    const store = new InMemoryScanStore(keys('ns:a', 'ns:b', 'ns:c'));
    const stoppedAtChange: boolean[] = [];
    const level = listing(store, {}, () => stoppedAtChange.push(level.hasStopped));
    assert.strictEqual(level.hasFirstPage, false);
    await level.firstPage();
    assert.strictEqual(level.hasFirstPage, true);
    assert.strictEqual(level.hasStopped, false, 'the scan is still walking after the first page');
    await level.settled();
    assert.strictEqual(level.hasStopped, true);
    assert.ok(level.view().keys.every((shown) => shown.metadata), 'the shown keys have their metadata by then');
    assert.strictEqual(stoppedAtChange.filter(Boolean).length, 1, 'one change says the run stopped');
    assert.strictEqual(stoppedAtChange[stoppedAtChange.length - 1], true);
    const changes = stoppedAtChange.length;
    await level.load();
    assert.strictEqual(stoppedAtChange.length, changes, 'a later run that finds nothing new tells the tree nothing');
  });

  it('stops at a page of children and continues from the cursor on Load more', async () => {
    const names = Array.from({ length: 25 }, (_, index) => `ns:k${String(index).padStart(2, '0')}`);
    const store = new InMemoryScanStore(keys(...names));
    const level = listing(store, { pageSize: 10 });
    await level.settled();
    let view = level.view();
    assert.strictEqual(view.keys.length, 10);
    assert.strictEqual(view.hasMore, true);
    assert.strictEqual(view.complete, false);
    const callsBefore = store.scanCalls.length;
    await level.loadMore();
    view = level.view();
    assert.strictEqual(view.keys.length, 20);
    assert.notStrictEqual(store.scanCalls[callsBefore].cursor, '0', 'Load more resumes, it does not start over');
    await level.loadMore();
    view = level.view();
    assert.strictEqual(view.keys.length, 25);
    assert.strictEqual(view.hasMore, false);
  });

  it('fetches metadata only for the keys on show, each key once', async () => {
    const names = Array.from({ length: 30 }, (_, index) => `ns:k${String(index).padStart(2, '0')}`);
    const store = new InMemoryScanStore(keys(...names));
    const level = listing(store, { pageSize: 10, scanCount: 5 });
    await level.settled();
    const asked = store.metadataCalls.flat().map(text);
    assert.strictEqual(new Set(asked).size, asked.length, 'no key is asked twice');
    assert.ok(asked.length <= 10, `metadata for ${asked.length} keys, only 10 are shown`);
    assert.ok(level.view().keys.every((shown) => shown.metadata?.type === 'string'));
  });

  it('drops a key that vanished between SCAN and metadata', async () => {
    const store = new InMemoryScanStore(keys('ns:kept', 'ns:gone'));
    store.deleted.add('ns:gone');
    const level = listing(store);
    await level.settled();
    assert.deepStrictEqual(level.view().keys.map((shown) => text(shown.key)), ['ns:kept']);
    assert.strictEqual(level.view().keysSeen, 1);
  });

  it('with a filter, scans the namespace and keeps only keys under its own prefix', async () => {
    const store = new InMemoryScanStore(keys('ns:monitor:a:last', 'ns:monitor:b:first', 'ns:chat:a:last', 'ns:monitor2:a:last'));
    const level = listing(store, { prefix: Buffer.from('ns:monitor:'), scanPrefix: Buffer.from('ns:'), filter: '*last*' });
    await level.settled();
    const view = level.view();
    assert.deepStrictEqual(view.groups.map((group) => text(group.prefix)), ['ns:monitor:a:']);
    assert.strictEqual(view.keysSeen, 1);
  });

  it('explains a failed scan instead of throwing', async () => {
    const store = new InMemoryScanStore(keys('ns:a'));
    store.failScan = Object.assign(new Error("NOPERM User bob has no permissions to access one of the keys used as arguments"), {});
    const level = listing(store);
    await level.settled();
    assert.match(level.view().error ?? '', /not allowed/);
  });

  it('stops scanning once disposed', async () => {
    const store = new InMemoryScanStore(keys(...Array.from({ length: 50 }, (_, index) => `ns:${index}`)));
    const level = listing(store, { pageSize: 1000 });
    const loading = level.load();
    level.dispose();
    await loading;
    assert.ok(store.scanCalls.length <= 1);
  });
});
