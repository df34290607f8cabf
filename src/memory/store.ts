// What the extension needs from Redis, as an interface: the ioredis implementation lives in
// redisStore.ts; views and commands only see this. No vscode import in src/memory.
//
// Keys are Buffers: Redis keys are binary-safe and a key that is not UTF-8 must round-trip
// unchanged. Use keyToDisplay()/keyFromInput() (keys.ts) at the edges.

export type RedisKey = Buffer;

/** Result of PTTL: milliseconds left, or a marker. */
export type Expiry =
  | { kind: 'expires'; ms: number }
  | { kind: 'persistent' }
  | { kind: 'missing' };

/** A requested expiry: a duration, explicitly none, or keep what the key has. */
export type TtlChoice = { kind: 'duration'; ms: number } | { kind: 'none' } | { kind: 'keep' };

export interface KeyMetadata {
  key: RedisKey;
  /** string, hash, list, set, zset, stream, or a module type; 'none' when the key vanished. */
  type: string;
  expiry: Expiry;
  /** MEMORY USAGE in bytes; undefined where the server refuses it (ACL, old Redis). */
  memoryBytes?: number;
  /** OBJECT ENCODING; undefined where refused. */
  encoding?: string;
  /** Element count (HLEN/LLEN/SCARD/ZCARD/XLEN) or STRLEN for strings. */
  length?: number;
  /** Set when the server refused TYPE/PTTL for this key (e.g. NOPERM); type is then 'unknown'. */
  error?: string;
}

export interface ScanOptions {
  /** Only keys starting with this prefix (glob characters are escaped by the store). */
  prefix: RedisKey;
  /** Optional extra user filter, a Redis glob applied after the prefix (e.g. "*monitor*"). */
  filter?: string;
  /** COUNT hint per SCAN call. */
  count: number;
  /** Stop after this many keys were found (the caller shows "Load more…"). */
  limit?: number;
  /** Resume from a cursor returned earlier ("0" = start). */
  cursor?: string;
  /** Return early, with the cursor, after this many milliseconds even when limit is not reached (a sparse prefix in a big database). */
  budgetMs?: number;
  signal?: AbortSignal;
}

export interface ScanPage {
  keys: RedisKey[];
  /** "0" when the whole keyspace was walked. */
  cursor: string;
}

export type ValueView =
  | {
      kind: 'text';
      text: string;
      truncated: boolean;
      totalBytes: number;
      /** Why only part is shown, or that bytes are shown as hex; also the first line(s) of text. */
      note?: string;
      /** Language id for the editor: 'json' for pretty JSON, 'jsonc' for a JSON preview with a note on top. */
      language?: 'json' | 'jsonc' | 'plaintext';
    }
  | { kind: 'missing' };

export interface ClearProgress {
  scanned: number;
  deleted: number;
}

export interface ClearResult {
  deleted: number;
  /** True when stopped by the signal before the scope was empty. */
  cancelled: boolean;
  /** Keys skipped because they were not inside the prefix (defence in depth; should stay 0). */
  skippedOutsideScope: number;
}

export interface ConnectionInfo {
  host: string;
  port: number;
  db: number;
  username?: string;
  tls: boolean;
  cluster: boolean;
  serverVersion?: string;
}

export interface MemoryStore {
  readonly info: ConnectionInfo;
  /** Resolves when ready; rejects with a MemoryError that says what to do. */
  connect(): Promise<void>;
  disconnect(): Promise<void>;
  /** Fires 'ready' | 'error' | 'end' transitions for the status bar and tree. */
  onStateChange(listener: (state: 'ready' | 'reconnecting' | 'error' | 'end', error?: Error) => void): () => void;

  /** One budgeted SCAN pass: never KEYS. */
  scan(options: ScanOptions): Promise<ScanPage>;
  /** TYPE, PTTL, MEMORY USAGE, OBJECT ENCODING, length for the given keys, in one pipeline. */
  metadata(keys: RedisKey[]): Promise<KeyMetadata[]>;
  /** Rendered value, previewed (never loaded whole) beyond maxBytes. */
  readValue(key: RedisKey, maxBytes: number, options?: { maxItems?: number }): Promise<ValueView>;

  /** SET a string value; with ttl 'keep' an existing expiry stays. Refuses (MemoryError 'wrongType') if the key holds another type unless replaceOtherType. */
  setString(key: RedisKey, value: string, ttl: TtlChoice, options?: { replaceOtherType?: boolean }): Promise<void>;
  /** Current type of a key, 'none' if missing. */
  typeOf(key: RedisKey): Promise<string>;
  setExpiry(key: RedisKey, ms: number): Promise<boolean>;
  removeExpiry(key: RedisKey): Promise<boolean>;
  deleteKey(key: RedisKey): Promise<boolean>;

  /** How many keys start with prefix (SCAN, budgeted, cancellable). */
  countPrefix(prefix: RedisKey, signal?: AbortSignal, onProgress?: (counted: number) => void): Promise<number>;
  /** SCAN + UNLINK in batches; checks each key against prefix before deleting it. */
  /** An empty prefix (the whole database) is refused unless wholeDatabase: true. */
  clearPrefix(prefix: RedisKey, options?: { batchSize?: number; signal?: AbortSignal; onProgress?: (progress: ClearProgress) => void; wholeDatabase?: boolean }): Promise<ClearResult>;
}
