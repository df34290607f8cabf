// The keys of one tree level, found by budgeted SCAN passes that stream in page by page. Stops
// once a page of children is found (the tree shows "Load more…"), and fetches metadata in one
// pipeline only for the keys on show. No vscode import: tested with a hand-written fake store.
import { explainRedisError } from '../memory/errors';
import { KeyGroup, KeyLevelGrouping } from '../memory/grouping';
import type { KeyMetadata, MemoryStore, RedisKey } from '../memory/store';

export interface LevelOptions {
  /** Prefix of this level: keys below it are split on the delimiter. */
  prefix: Buffer;
  /** Prefix given to SCAN: the level's own, or the namespace when a filter narrows it. */
  scanPrefix: Buffer;
  /** A glob after scanPrefix (the user's filter), or undefined. */
  filter?: string;
  delimiter: string;
  scanCount: number;
  pageSize: number;
  /** How long one SCAN pass may run before the tree is updated with what it found. */
  budgetMs?: number;
}

export interface ShownKey {
  key: RedisKey;
  /** Undefined until the metadata pipeline for it returned. */
  metadata?: KeyMetadata;
}

export interface LevelView {
  groups: KeyGroup[];
  keys: ShownKey[];
  /** The whole level was scanned: counts are exact. */
  complete: boolean;
  /** More children exist (or may exist) than are shown. */
  hasMore: boolean;
  /** Keys at or below this level seen so far. */
  keysSeen: number;
  /** Explained failure of the last scan, if any. */
  error?: string;
}

const METADATA_BATCH = 500;

export class LevelListing {
  private grouping: KeyLevelGrouping;
  private readonly metadata = new Map<string, KeyMetadata>();
  private readonly vanished = new Set<string>();
  private cursor = '0';
  private started = false;
  private stopped = false;
  private done = false;
  private cap: number;
  private error: string | undefined;
  private running: Promise<void> | undefined;
  private readonly abort = new AbortController();

  constructor(
    private readonly store: MemoryStore,
    private readonly options: LevelOptions,
    /** Called after each page and each metadata batch, and when the first scan run stops, so the tree refreshes the level. */
    private readonly onChange: () => void,
  ) {
    this.grouping = new KeyLevelGrouping(options.prefix, options.delimiter);
    this.cap = options.pageSize;
  }

  /** A first page is in (or the first scan failed): view() has something to show. */
  get hasFirstPage(): boolean {
    return this.started;
  }

  /** The first scan run has stopped (page full, keyspace walked, or failed), metadata for the shown keys included. */
  get hasStopped(): boolean {
    return this.stopped;
  }

  get disposed(): boolean {
    return this.abort.signal.aborted;
  }

  dispose(): void {
    this.abort.abort();
  }

  /** Scans until a page of children is found or the keyspace is walked. Resolves when it stops. */
  load(): Promise<void> {
    if (!this.running) {
      this.running = this.scanLoop().finally(() => {
        this.running = undefined;
        if (this.stopped || this.disposed) return;
        this.stopped = true;
        this.onChange();
      });
    }
    return this.running;
  }

  /** Resolves after the first page is in (or the scan stopped), for a first quick render. */
  async firstPage(): Promise<void> {
    const loading = this.load();
    if (this.started) return;
    await Promise.race([loading, new Promise<void>((resolve) => {
      this.firstPageListeners.push(resolve);
    })]);
  }
  private firstPageListeners: (() => void)[] = [];

  /** Shows one more page of children. */
  loadMore(): Promise<void> {
    this.cap += this.options.pageSize;
    this.error = undefined;
    return this.load();
  }

  /** Waits until the scan stops (page full, keyspace walked, or failed). */
  async settled(): Promise<void> {
    while (this.running) await this.running;
    if (!this.started && !this.disposed) await this.load();
  }

  view(): LevelView {
    const snapshot = this.grouping.snapshot();
    const leaves = snapshot.leaves.filter((key) => !this.vanished.has(identity(key)));
    const groups = snapshot.groups.slice(0, this.cap);
    const keys = leaves.slice(0, Math.max(0, this.cap - groups.length)).map((key) => ({ key, metadata: this.metadata.get(identity(key)) }));
    const shown = groups.length + keys.length;
    return {
      groups,
      keys,
      complete: this.done,
      hasMore: !this.done || shown < snapshot.groups.length + leaves.length,
      keysSeen: this.grouping.size - this.vanished.size,
      error: this.error,
    };
  }

  private childCount(): number {
    const snapshot = this.grouping.snapshot();
    return snapshot.groups.length + snapshot.leaves.length - this.vanished.size;
  }

  private async scanLoop(): Promise<void> {
    try {
      while (!this.disposed && !(this.started && this.done) && this.childCount() < this.cap) {
        const page = await this.store.scan({
          prefix: this.options.scanPrefix,
          filter: this.options.filter,
          count: this.options.scanCount,
          limit: this.options.scanCount,
          cursor: this.cursor,
          budgetMs: this.options.budgetMs ?? 250,
          signal: this.abort.signal,
        });
        if (this.disposed) return;
        this.started = true;
        this.cursor = page.cursor;
        this.done = page.cursor === '0';
        this.grouping.add(page.keys);
        this.notifyFirstPage();
        this.onChange();
        await this.fetchShownMetadata();
      }
      if (!this.disposed) await this.fetchShownMetadata();
    } catch (error) {
      if (this.disposed) return;
      this.started = true;
      this.error = explainRedisError(error).message;
      this.onChange();
    } finally {
      this.notifyFirstPage();
    }
  }

  /** TYPE/PTTL/MEMORY USAGE for shown keys that have none yet, in pipelined batches. */
  private async fetchShownMetadata(): Promise<void> {
    const missing = this.view().keys.filter((shown) => !shown.metadata).map((shown) => shown.key);
    for (let start = 0; start < missing.length && !this.disposed; start += METADATA_BATCH) {
      const batch = missing.slice(start, start + METADATA_BATCH);
      const fetched = await this.store.metadata(batch);
      if (this.disposed) return;
      for (const metadata of fetched) {
        // A key that expired or was deleted since SCAN saw it is dropped from the level.
        if (metadata.type === 'none' || metadata.expiry.kind === 'missing') this.vanished.add(identity(metadata.key));
        else this.metadata.set(identity(metadata.key), metadata);
      }
      this.onChange();
    }
  }

  private notifyFirstPage(): void {
    const listeners = this.firstPageListeners;
    this.firstPageListeners = [];
    for (const listener of listeners) listener();
  }
}

/** One char per byte: a lossless map key for binary Redis keys. */
function identity(key: RedisKey): string {
  return key.toString('latin1');
}
