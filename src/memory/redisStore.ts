// MemoryStore on ioredis. Binary-safe (Buffer commands), never KEYS: listing, counting and
// clearing walk SCAN in budgeted steps; metadata comes in pipelines; big values are previewed.
// Every failure leaves as a MemoryError that says what to do.

import Redis, { Cluster } from 'ioredis';
import { buildConnectionOptions, reconnectDelay, type ConnectionSettings, type ResolvedConnection } from './connectionOptions';
import { MemoryError, explainRedisError } from './errors';
import { isInScope, keyToDisplay, scanPattern, validateKey } from './keys';
import { expiryFromPttl, validateTtlMs } from './ttl';
import { byteRefusal, dumpRefusal, entryBytes, keyCountRefusal, restorePlan, validateBudget, type UndoRecorder } from './undo';
import { renderValue, type RawValue } from './valueRender';
import type {
  ClearOptions,
  ClearProgress,
  ClearResult,
  ConnectionInfo,
  KeyMetadata,
  MemoryStore,
  RedisKey,
  RestoreResult,
  ScanOptions,
  ScanPage,
  TtlChoice,
  UndoBudget,
  UndoFootprint,
  UndoRecord,
  ValueView,
} from './store';

export interface RedisStoreOptions extends ConnectionSettings {
  /** SCAN COUNT used by countPrefix and clearPrefix (and clear's default batch size). */
  scanCount?: number;
}

type StoreState = 'ready' | 'reconnecting' | 'error' | 'end';
type StateListener = (state: StoreState, error?: Error) => void;
/** A pipeline-like reply: per command an error or a result. */
type BatchReply = [Error | null, unknown][];

const DEFAULT_SCAN_COUNT = 1000;
const DEFAULT_MAX_ITEMS = 1000;
/** Elements fetched per HSCAN/LRANGE/… step while previewing a collection. */
const COLLECTION_PAGE = 100;
/** Keys per UNLINK call. */
const UNLINK_CHUNK = 1000;
/** Keys per DUMP or RESTORE round trip: payloads can be big, so only this many are in memory at once beyond the undo copy. */
const DUMP_CHUNK = 100;
const MAX_STRING_VALUE_BYTES = 512 * 1024 * 1024;

const LENGTH_COMMAND: Record<string, string> = { string: 'strlen', hash: 'hlen', list: 'llen', set: 'scard', zset: 'zcard', stream: 'xlen' };

export class RedisMemoryStore implements MemoryStore {
  readonly info: ConnectionInfo;
  private readonly connection: ResolvedConnection;
  /** Replaced by a fresh client on each connect, so no state of a failed attempt lingers. */
  private client: Redis | Cluster;
  /** The client that connected and logged in: only it reconnects by itself after losing Redis. */
  private establishedClient?: Redis | Cluster;
  private connecting?: Promise<void>;
  private readonly listeners = new Set<StateListener>();
  private readonly scanCount: number;

  constructor(options: RedisStoreOptions) {
    this.connection = buildConnectionOptions(options);
    this.info = { ...this.connection.info };
    this.scanCount = positiveInteger(options.scanCount ?? DEFAULT_SCAN_COUNT, 'SCAN count');
    this.client = this.createClient();
  }

  private createClient(): Redis | Cluster {
    // A failed first connect must not retry in the background (a wrong password would loop): the
    // caller shows the error and offers Retry. Once established, losing Redis reconnects with backoff.
    const retry = (times: number) => (client === this.establishedClient ? reconnectDelay(times) : null);
    const client: Redis | Cluster = this.connection.clusterOptions
      ? new Cluster([{ host: this.connection.host, port: this.connection.port }], { ...this.connection.clusterOptions, clusterRetryStrategy: retry })
      : new Redis({ ...this.connection.redisOptions, retryStrategy: retry });
    const current = () => client === this.client;
    // Always listen for 'error': ioredis prints unhandled ones to the console, and the UI wants them explained.
    client.on('error', (error: unknown) => current() && this.notify('error', this.explain(error)));
    client.on('ready', () => client === this.establishedClient && current() && this.notify('ready'));
    client.on('reconnecting', () => current() && this.notify('reconnecting'));
    client.on('end', () => current() && this.notify('end'));
    return client;
  }

  /** Stops a client for good; its late events are ignored (they no longer come from this.client). */
  private retireClient(): void {
    const old = this.client;
    if (this.establishedClient === old) this.establishedClient = undefined;
    this.client = this.createClient();
    if (old.status !== 'end') old.disconnect();
  }

  /** Connects, or joins a connect already under way (a double click on Retry). */
  connect(): Promise<void> {
    if (this.client.status === 'ready' && this.client === this.establishedClient) return Promise.resolve();
    this.connecting ??= this.connectOnce().finally(() => {
      this.connecting = undefined;
    });
    return this.connecting;
  }

  private async connectOnce(): Promise<void> {
    if (this.client.status !== 'wait') this.retireClient();
    const client = this.client;
    let lastError: unknown;
    const remember = (error: unknown) => {
      lastError = error;
    };
    client.on('error', remember);
    try {
      await client.connect();
      // The ready check is off (restricted ACL users may not run INFO): a PING proves the login.
      await client.ping();
      if (client instanceof Redis && this.info.db !== 0) {
        // ioredis only reports a failed SELECT as an event; select again so a bad db fails here.
        await client.select(this.info.db);
      }
      this.info.serverVersion = await this.serverVersion();
      this.establishedClient = client;
      this.notify('ready');
    } catch (error) {
      this.retireClient();
      throw this.explainBest(error, lastError);
    } finally {
      client.off('error', remember);
    }
  }

  async disconnect(): Promise<void> {
    const client = this.client;
    this.establishedClient = undefined;
    if (client.status === 'ready') {
      const ended = new Promise<void>((resolve) => client.once('end', () => resolve()));
      try {
        await client.quit();
        // QUIT's reply comes before the socket closes: wait, so a connect() right after starts clean.
        let timer: NodeJS.Timeout | undefined;
        await Promise.race([ended, new Promise<void>((resolve) => (timer = setTimeout(resolve, 2000)))]);
        clearTimeout(timer);
        if ((client.status as string) === 'end') return;
      } catch {
        // fall through to a hard disconnect
      }
    }
    this.retireClient();
  }

  onStateChange(listener: StateListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  async scan(options: ScanOptions): Promise<ScanPage> {
    const count = positiveInteger(options.count, 'SCAN count');
    const limit = options.limit ?? Infinity;
    const deadline = options.budgetMs !== undefined ? Date.now() + options.budgetMs : Infinity;
    const pattern = scanPattern(options.prefix, options.filter);
    const keys: RedisKey[] = [];
    const seen = new Set<string>();
    let cursor = options.cursor ?? '0';
    do {
      options.signal?.throwIfAborted();
      const step = await this.scanStep(cursor, pattern, count);
      cursor = step.cursor;
      for (const key of step.keys) {
        const identity = key.toString('latin1');
        if (!isInScope(key, options.prefix) || seen.has(identity)) continue;
        seen.add(identity);
        keys.push(key);
      }
    } while (cursor !== '0' && keys.length < limit && Date.now() < deadline);
    return { keys, cursor };
  }

  async metadata(keys: RedisKey[]): Promise<KeyMetadata[]> {
    if (keys.length === 0) return [];
    const first = await this.batch(
      keys.flatMap((key) => [
        ['type', key],
        ['pttl', key],
        ['memory', 'USAGE', key, 'SAMPLES', '0'],
        ['object', 'ENCODING', key],
      ]),
    );
    const metadata = keys.map((key, index): KeyMetadata => {
      const [typeError, type] = first[index * 4];
      const [pttlError, pttl] = first[index * 4 + 1];
      const [memoryError, memory] = first[index * 4 + 2];
      const [encodingError, encoding] = first[index * 4 + 3];
      const refused = typeError ?? pttlError;
      if (refused) return { key, type: 'unknown', expiry: { kind: 'persistent' }, error: this.explain(refused).message };
      return {
        key,
        type: String(type),
        expiry: type === 'none' ? { kind: 'missing' } : expiryFromPttl(Number(pttl)),
        memoryBytes: memoryError || memory === null ? undefined : Number(memory),
        encoding: encodingError || encoding === null ? undefined : String(encoding),
      };
    });
    // Lengths need the type first, so they come in a second round trip.
    const measured = metadata.filter((entry) => entry.type in LENGTH_COMMAND);
    const lengths = await this.batch(measured.map((entry) => [LENGTH_COMMAND[entry.type], entry.key]));
    measured.forEach((entry, index) => {
      const [error, length] = lengths[index];
      if (!error) entry.length = Number(length);
    });
    return metadata;
  }

  async readValue(key: RedisKey, maxBytes: number, options: { maxItems?: number } = {}): Promise<ValueView> {
    validateKey(key);
    positiveInteger(maxBytes, 'size limit');
    const maxItems = positiveInteger(options.maxItems ?? DEFAULT_MAX_ITEMS, 'item limit');
    return this.run(async () => {
      const type = await this.client.type(key);
      if (type === 'none') return { kind: 'missing' };
      if (type === 'string') return this.readString(key, maxBytes);
      const raw = await this.readCollection(key, type, maxBytes, maxItems);
      if (!raw) return { kind: 'missing' };
      const memoryBytes = raw.type === 'unsupported' ? undefined : await this.memoryUsage(key);
      return renderValue(raw, { maxElementBytes: maxBytes, memoryBytes });
    });
  }

  async setString(key: RedisKey, value: string, ttl: TtlChoice, options: { replaceOtherType?: boolean } = {}): Promise<void> {
    validateKey(key);
    if (typeof value !== 'string') throw new MemoryError('invalidInput', 'The value must be text.');
    if (Buffer.byteLength(value) > MAX_STRING_VALUE_BYTES) throw new MemoryError('invalidInput', 'The value is larger than Redis allows (512 MB). Store something smaller.');
    if (ttl.kind === 'duration') validateTtlMs(ttl.ms);
    await this.run(async () => {
      const type = await this.client.type(key);
      if (type !== 'none' && type !== 'string' && !options.replaceOtherType) {
        throw new MemoryError('wrongType', `The key "${keyToDisplay(key)}" holds a ${type}, not a string. Setting it would replace the whole ${type}: confirm replacing it, or use another key. Nothing was changed.`);
      }
      if (ttl.kind === 'keep') await this.client.set(key, value, 'KEEPTTL');
      else if (ttl.kind === 'duration') await this.client.set(key, value, 'PX', ttl.ms);
      else await this.client.set(key, value); // a plain SET also drops an existing expiry
    });
  }

  typeOf(key: RedisKey): Promise<string> {
    validateKey(key);
    return this.run(() => this.client.type(key));
  }

  async setExpiry(key: RedisKey, ms: number): Promise<boolean> {
    validateKey(key);
    validateTtlMs(ms);
    return (await this.run(() => this.client.pexpire(key, ms))) === 1;
  }

  async removeExpiry(key: RedisKey): Promise<boolean> {
    validateKey(key);
    return (await this.run(() => this.client.persist(key))) === 1;
  }

  async deleteKey(key: RedisKey, options: { undo?: UndoRecorder } = {}): Promise<boolean> {
    validateKey(key);
    if (options.undo?.recording) return (await this.unlinkKeepingCopies([key], options.undo, true)) > 0;
    return (await this.run(() => this.client.unlink(key))) > 0;
  }

  async countPrefix(prefix: RedisKey, signal?: AbortSignal, onProgress?: (counted: number) => void): Promise<number> {
    signal?.throwIfAborted();
    if (prefix.length === 0 && this.client instanceof Redis) {
      const size = await this.run(() => (this.client as Redis).dbsize());
      onProgress?.(size);
      return size;
    }
    const pattern = scanPattern(prefix);
    let counted = 0;
    let cursor = '0';
    do {
      signal?.throwIfAborted();
      const step = await this.scanStep(cursor, pattern, this.scanCount);
      cursor = step.cursor;
      counted += step.keys.filter((key) => isInScope(key, prefix)).length;
      onProgress?.(counted);
    } while (cursor !== '0');
    return counted;
  }

  async clearPrefix(prefix: RedisKey, options: ClearOptions = {}): Promise<ClearResult> {
    if (prefix.length === 0 && !options.wholeDatabase) {
      throw new MemoryError('invalidInput', 'No prefix was given, which would clear the whole database. Choose a group or set a namespace; nothing was deleted.');
    }
    const batchSize = positiveInteger(options.batchSize ?? this.scanCount, 'batch size');
    const pattern = scanPattern(prefix);
    const progress: ClearProgress = { scanned: 0, deleted: 0 };
    let skippedOutsideScope = 0;
    const undo = options.undo;
    const finish = (cancelled: boolean): ClearResult => ({ deleted: progress.deleted, cancelled, skippedOutsideScope, ...(undo ? { undo: undo.outcome() } : {}) });
    let cursor = '0';
    do {
      if (options.signal?.aborted) return finish(true);
      const step = await this.scanStep(cursor, pattern, batchSize);
      cursor = step.cursor;
      progress.scanned += step.keys.length;
      // Defence in depth: MATCH already limits the scope, but nothing outside it may ever be deleted.
      const inScope = step.keys.filter((key) => isInScope(key, prefix));
      skippedOutsideScope += step.keys.length - inScope.length;
      if (inScope.length > 0) {
        if (options.signal?.aborted) return finish(true);
        progress.deleted += undo?.recording ? await this.unlinkKeepingCopies(inScope, undo, progress.deleted === 0) : await this.unlinkMany(inScope);
      }
      options.onProgress?.({ ...progress });
    } while (cursor !== '0');
    return finish(false);
  }

  async measureUndo(scope: { prefix: RedisKey } | { key: RedisKey }, budget: UndoBudget, signal?: AbortSignal): Promise<UndoFootprint> {
    validateBudget(budget);
    const tally = { keys: 0, bytes: 0 };
    const measure = async (keys: RedisKey[]): Promise<UndoFootprint | undefined> => {
      for (let start = 0; start < keys.length; start += DUMP_CHUNK) {
        signal?.throwIfAborted();
        const chunk = keys.slice(start, start + DUMP_CHUNK);
        const replies = await this.batch(chunk.map((key) => ['dumpBuffer', key]));
        for (const [index, [error, payload]] of replies.entries()) {
          if (error) return { fits: false, reason: 'refused', message: dumpRefusal(this.explain(error)) };
          if (!(payload instanceof Buffer)) continue; // gone meanwhile: nothing to keep
          tally.keys++;
          tally.bytes += entryBytes(chunk[index], payload);
          const refusal = keyCountRefusal(tally.keys, budget) ?? byteRefusal(tally.bytes, budget);
          if (refusal) return { fits: false, reason: 'budget', message: refusal };
        }
      }
      return undefined;
    };
    if ('key' in scope) {
      validateKey(scope.key);
      return (await measure([scope.key])) ?? { fits: true, ...tally };
    }
    const pattern = scanPattern(scope.prefix);
    let cursor = '0';
    do {
      signal?.throwIfAborted();
      const step = await this.scanStep(cursor, pattern, this.scanCount);
      cursor = step.cursor;
      const verdict = await measure(step.keys.filter((key) => isInScope(key, scope.prefix)));
      if (verdict) return verdict;
    } while (cursor !== '0');
    return { fits: true, ...tally };
  }

  async restore(record: UndoRecord): Promise<RestoreResult> {
    const result: RestoreResult = { restored: 0, skipped: 0, expired: 0, failed: 0 };
    for (let start = 0; start < record.entries.length; start += DUMP_CHUNK) {
      const now = Date.now();
      const due: { key: RedisKey; payload: Buffer; ttlMs: number }[] = [];
      for (const entry of record.entries.slice(start, start + DUMP_CHUNK)) {
        const plan = restorePlan(entry, now);
        if (plan.kind === 'expired') result.expired++;
        else due.push({ key: entry.key, payload: entry.payload, ttlMs: plan.ttlMs });
      }
      // No REPLACE: a key written again since the clear is newer than our copy and stays.
      const replies = await this.batch(due.map(({ key, payload, ttlMs }) => ['restore', key, String(ttlMs), payload]));
      for (const [error] of replies) {
        if (!error) result.restored++;
        else if (/^BUSYKEY\b/.test(error.message)) result.skipped++;
        else {
          result.failed++;
          result.error ??= this.explain(error).message;
        }
      }
    }
    return result;
  }

  // --- internals ---

  private notify(state: StoreState, error?: Error): void {
    for (const listener of [...this.listeners]) {
      try {
        listener(state, error);
      } catch {
        // a listener's failure must not break the connection handling
      }
    }
  }

  private explain(error: unknown): MemoryError {
    return explainRedisError(error, { endpoint: this.connection.endpoint, username: this.info.username, secrets: this.connection.secrets, tls: this.info.tls });
  }

  /** The more telling of the command's error and the last connection error (WRONGPASS beats "Connection is closed"). */
  private explainBest(commandError: unknown, connectionError: unknown): MemoryError {
    const fromCommand = this.explain(commandError);
    if (connectionError === undefined) return fromCommand;
    const fromConnection = this.explain(connectionError);
    return fromCommand.code === 'unreachable' || fromCommand.code === 'unknown' ? fromConnection : fromCommand;
  }

  private async run<T>(action: () => Promise<T>): Promise<T> {
    try {
      return await action();
    } catch (error) {
      throw this.explain(error);
    }
  }

  private async serverVersion(): Promise<string | undefined> {
    try {
      const target = this.client instanceof Cluster ? this.client.nodes('master')[0] : this.client;
      const info = await target?.info('server');
      return info ? /redis_version:([^\r\n]+)/.exec(info)?.[1] : undefined;
    } catch {
      return undefined; // INFO may be refused to a restricted ACL user; the version is only informative
    }
  }

  /**
   * One SCAN step. On a cluster every master is walked in turn; the cursor is "<master>-<cursor>"
   * there, and "0" still means start / done.
   */
  private async scanStep(cursor: string, pattern: Buffer, count: number): Promise<{ cursor: string; keys: RedisKey[] }> {
    // ioredis passes Buffer arguments through unchanged; its typings only name strings.
    const match = pattern as unknown as string;
    if (this.client instanceof Redis) {
      if (!/^\d+$/.test(cursor)) throw new MemoryError('invalidInput', `"${cursor}" is not a SCAN cursor. Start again from the top (refresh).`);
      const [next, keys] = await this.run(() => (this.client as Redis).scanBuffer(cursor, 'MATCH', match, 'COUNT', count));
      return { cursor: next.toString(), keys };
    }
    const masters = this.masters();
    const [nodeText, nodeCursor] = cursor === '0' ? ['0', '0'] : cursor.split('-');
    const nodeIndex = Number(nodeText);
    if (!Number.isInteger(nodeIndex) || nodeIndex >= masters.length || !/^\d+$/.test(nodeCursor ?? '')) {
      throw new MemoryError('invalidInput', `"${cursor}" is not a cluster SCAN cursor (the cluster may have changed). Start again from the top (refresh).`);
    }
    const [next, keys] = await this.run(() => masters[nodeIndex].scanBuffer(nodeCursor, 'MATCH', match, 'COUNT', count));
    const nextCursor = next.toString();
    if (nextCursor !== '0') return { cursor: `${nodeIndex}-${nextCursor}`, keys };
    return { cursor: nodeIndex + 1 < masters.length ? `${nodeIndex + 1}-0` : '0', keys };
  }

  /** Cluster masters in a stable order, so a cursor keeps meaning the same node. */
  private masters(): Redis[] {
    const nodes = (this.client as Cluster).nodes('master');
    if (nodes.length === 0) throw new MemoryError('cluster', 'The Redis Cluster has no reachable primary. Check the cluster, then retry.');
    const name = (node: Redis) => `${node.options.host}:${node.options.port}`;
    return [...nodes].sort((a, b) => name(a).localeCompare(name(b)));
  }

  /**
   * Several commands in one round trip; per-command errors are returned, not thrown. A cluster
   * cannot pipeline keys of different slots, so there each command goes alone and ioredis'
   * auto-pipelining batches them per node.
   */
  private async batch(commands: (string | Buffer)[][]): Promise<BatchReply> {
    if (commands.length === 0) return [];
    if (this.client instanceof Redis) {
      const replies = await this.run(() => (this.client as Redis).pipeline(commands as string[][]).exec());
      if (!replies) throw new MemoryError('unreachable', `The connection to Redis at ${this.connection.endpoint} was lost. Retry when it is back.`);
      const connectionLost = replies.find(([error]) => error && explainRedisError(error).code === 'unreachable');
      if (connectionLost) throw this.explain(connectionLost[0]);
      return replies;
    }
    const cluster = this.client as Cluster;
    const client = cluster as unknown as Record<string, (...args: unknown[]) => Promise<unknown>>;
    // Auto-pipelining groups by the key read as UTF-8 text, which misroutes a key that is not
    // UTF-8 (and fails its whole group): such a command goes in a pipeline of its own, which
    // ioredis routes by the key's bytes. The first Buffer argument of our commands is the key.
    const sentAlone = async (command: (string | Buffer)[]) => {
      const replies = await cluster.pipeline([command]).exec();
      const [error, value] = replies?.[0] ?? [new Error('Connection is closed.'), null];
      if (error) throw error;
      return value;
    };
    const settled = await Promise.allSettled(
      commands.map((command) => {
        const [name, ...args] = command;
        const key = args.find((arg): arg is Buffer => arg instanceof Buffer);
        return key && !Buffer.from(key.toString('utf8'), 'utf8').equals(key) ? sentAlone(command) : client[name as string](...args);
      }),
    );
    return settled.map((outcome) => (outcome.status === 'fulfilled' ? [null, outcome.value] : [outcome.reason as Error, null]));
  }

  private async unlinkMany(keys: RedisKey[]): Promise<number> {
    let deleted = 0;
    for (let start = 0; start < keys.length; start += UNLINK_CHUNK) {
      const chunk = keys.slice(start, start + UNLINK_CHUNK);
      if (this.client instanceof Redis) {
        deleted += await this.run(() => (this.client as Redis).unlink(...chunk));
      } else {
        // Keys of different slots cannot share one UNLINK on a cluster.
        const replies = await this.batch(chunk.map((key) => ['unlink', key]));
        for (const [error, removed] of replies) {
          if (error) throw this.explain(error);
          deleted += Number(removed);
        }
      }
    }
    return deleted;
  }

  /**
   * UNLINK keys one by one after DUMP + PTTL of them in one pipeline, keeping a copy of each key
   * that was really deleted (one that vanished meanwhile stays gone). DUMP refused before anything
   * was deleted throws; later, the copy is given up and deleting goes on.
   */
  private async unlinkKeepingCopies(keys: RedisKey[], undo: UndoRecorder, nothingDeletedYet: boolean): Promise<number> {
    let deleted = 0;
    for (let start = 0; start < keys.length; start += DUMP_CHUNK) {
      const chunk = keys.slice(start, start + DUMP_CHUNK);
      if (!undo.recording) return deleted + (await this.unlinkMany(keys.slice(start)));
      const readAt = Date.now();
      const copies = await this.batch(chunk.flatMap((key) => [['pttl', key], ['dumpBuffer', key]]));
      const refused = copies.find(([error]) => error)?.[0];
      if (refused) {
        const explained = this.explain(refused);
        if (nothingDeletedYet && deleted === 0) {
          throw new MemoryError(explained.code, `Could not keep a copy to undo this clear: ${explained.message} Nothing was deleted; clear without undo to delete anyway.`, explained.detail);
        }
        undo.refuse(explained);
        return deleted + (await this.unlinkMany(keys.slice(start)));
      }
      const removed = await this.batch(chunk.map((key) => ['unlink', key]));
      let failure: Error | undefined;
      removed.forEach(([error, count], index) => {
        if (error) failure ??= error;
        if (error || Number(count) === 0) return;
        deleted++;
        const ttl = Number(copies[index * 2][1]);
        const payload = copies[index * 2 + 1][1];
        if (payload instanceof Buffer && ttl !== -2) undo.add({ key: chunk[index], payload, ttlMs: ttl >= 0 ? ttl : undefined, deletedAt: readAt });
      });
      if (failure) throw this.explain(failure);
    }
    return deleted;
  }

  private async memoryUsage(key: RedisKey): Promise<number | undefined> {
    try {
      const bytes = await this.client.memory('USAGE', key, 'SAMPLES', 0);
      return bytes === null ? undefined : Number(bytes);
    } catch {
      return undefined; // refused to this ACL user or unknown to an old server: the size is optional
    }
  }

  private async readString(key: RedisKey, maxBytes: number): Promise<ValueView> {
    const length = await this.client.strlen(key);
    if (length <= maxBytes) {
      const bytes = await this.client.getBuffer(key);
      if (bytes === null) return { kind: 'missing' };
      // It may have grown between STRLEN and GET: still show no more than maxBytes.
      return renderValue({ type: 'string', bytes: bytes.subarray(0, maxBytes), totalBytes: bytes.length });
    }
    const preview = await this.client.getrangeBuffer(key, 0, maxBytes - 1);
    return renderValue({ type: 'string', bytes: preview, totalBytes: length });
  }

  /** The first elements of a collection, in pages, until maxItems or about maxBytes were read. */
  private async readCollection(key: RedisKey, type: string, maxBytes: number, maxItems: number): Promise<RawValue | undefined> {
    const page = Math.min(COLLECTION_PAGE, maxItems);
    let bytes = 0;
    const full = (count: number) => count >= maxItems || bytes >= maxBytes;
    const measure = (...parts: Buffer[]) => parts.forEach((part) => (bytes += part.length));
    switch (type) {
      case 'hash': {
        const total = await this.client.hlen(key);
        const entries: [Buffer, Buffer][] = [];
        let cursor = '0';
        do {
          const [next, flat] = await this.client.hscanBuffer(key, cursor, 'COUNT', page);
          cursor = next.toString();
          for (let i = 0; i + 1 < flat.length && !full(entries.length); i += 2) {
            entries.push([flat[i], flat[i + 1]]);
            measure(flat[i], flat[i + 1]);
          }
        } while (cursor !== '0' && !full(entries.length));
        return total === 0 ? undefined : { type: 'hash', entries, total: Math.max(total, entries.length) };
      }
      case 'set': {
        const total = await this.client.scard(key);
        const items: Buffer[] = [];
        let cursor = '0';
        do {
          const [next, members] = await this.client.sscanBuffer(key, cursor, 'COUNT', page);
          cursor = next.toString();
          for (const member of members) {
            if (full(items.length)) break;
            items.push(member);
            measure(member);
          }
        } while (cursor !== '0' && !full(items.length));
        return total === 0 ? undefined : { type: 'set', items, total: Math.max(total, items.length) };
      }
      case 'list': {
        const total = await this.client.llen(key);
        const items: Buffer[] = [];
        while (items.length < total && !full(items.length)) {
          const chunk = await this.client.lrangeBuffer(key, items.length, items.length + page - 1);
          if (chunk.length === 0) break;
          for (const item of chunk) {
            if (full(items.length)) break;
            items.push(item);
            measure(item);
          }
        }
        return total === 0 ? undefined : { type: 'list', items, total };
      }
      case 'zset': {
        const total = await this.client.zcard(key);
        const items: { member: Buffer; score: string }[] = [];
        while (items.length < total && !full(items.length)) {
          const flat = await this.client.zrangeBuffer(key, items.length, items.length + page - 1, 'WITHSCORES');
          if (flat.length === 0) break;
          for (let i = 0; i + 1 < flat.length && !full(items.length); i += 2) {
            items.push({ member: flat[i], score: flat[i + 1].toString() });
            measure(flat[i]);
          }
        }
        return total === 0 ? undefined : { type: 'zset', items, total };
      }
      case 'stream': {
        const total = await this.client.xlen(key);
        const entries: { id: string; fields: [Buffer, Buffer][] }[] = [];
        let start = '-';
        while (!full(entries.length)) {
          const chunk = await this.client.xrangeBuffer(key, start, '+', 'COUNT', page);
          if (chunk.length === 0) break;
          for (const [id, flat] of chunk) {
            if (full(entries.length)) break;
            const fields: [Buffer, Buffer][] = [];
            for (let i = 0; i + 1 < flat.length; i += 2) {
              fields.push([flat[i], flat[i + 1]]);
              measure(flat[i], flat[i + 1]);
            }
            entries.push({ id: id.toString(), fields });
          }
          start = `(${chunk[chunk.length - 1][0].toString()}`; // exclusive start (Redis 6.2+)
        }
        return { type: 'stream', entries, total: Math.max(total, entries.length) };
      }
      default:
        return { type: 'unsupported', redisType: type };
    }
  }
}

function positiveInteger(value: number, what: string): number {
  if (!Number.isSafeInteger(value) || value <= 0) {
    throw new MemoryError('invalidInput', `The ${what} must be a whole number above zero; got ${value}.`);
  }
  return value;
}
