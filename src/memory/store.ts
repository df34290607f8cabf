// What the extension needs from Redis, as an interface: the ioredis implementation lives in
// redisStore.ts; views and commands only see this. No vscode import in src/memory.
//
// Keys are Buffers: Redis keys are binary-safe and a key that is not UTF-8 must round-trip
// unchanged. Use keyToDisplay()/keyFromInput() (keys.ts) at the edges.

import type { UndoRecorder } from './undo';

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
  /** Only when an UndoRecorder was given: whether the clear can be undone. */
  undo?: UndoOutcome;
}

/** Options of clearPrefix. */
export interface ClearOptions {
  batchSize?: number;
  signal?: AbortSignal;
  onProgress?: (progress: ClearProgress) => void;
  /** An empty prefix (the whole database) is refused unless this is true. */
  wholeDatabase?: boolean;
  /**
   * Keep an undo copy here. DUMP refused before anything was deleted throws MemoryError 'noperm'
   * (nothing deleted: clear without undo instead); past the budget the copy is dropped and the
   * clear goes on (result.undo says so).
   */
  undo?: UndoRecorder;
}

// --- Undo of a clear ---------------------------------------------------------------------
// A clear given an UndoRecorder (undo.ts) DUMPs each batch and reads its PTTL in one pipeline
// just before UNLINKing it; restore() puts the keys back with RESTORE (never REPLACE). The copy is
// all or nothing within a budget; measureUndo() tells beforehand whether a scope fits.

/** How much an undo copy may hold. */
export interface UndoBudget {
  maxBytes: number;
  maxKeys: number;
}

/** One deleted key, as it was just before UNLINK. */
export interface UndoEntry {
  key: RedisKey;
  /** DUMP payload (version-tagged by the server; RESTORE checks it). */
  payload: Buffer;
  /** PTTL when deleted; undefined for a key without expiry. */
  ttlMs: number | undefined;
  /** Date.now() when the ttl was read, just before UNLINK: the ttl counts down from here. */
  deletedAt: number;
}

export interface UndoRecord {
  entries: UndoEntry[];
  /** Keys, payloads and overhead, counted against UndoBudget.maxBytes. */
  bytes: number;
}

/** Whether a clear kept an undo copy; if not, why (the keys were deleted all the same). */
export type UndoOutcome =
  | { kind: 'kept'; record: UndoRecord }
  | { kind: 'unavailable'; reason: 'budget' | 'refused'; message: string };

/** Would an undo copy of a scope fit the budget (checked before asking the user)? */
export type UndoFootprint =
  | { fits: true; keys: number; bytes: number }
  | { fits: false; reason: 'budget' | 'refused'; message: string };

export interface RestoreResult {
  restored: number;
  /** A key of that name exists again: left alone (no REPLACE). */
  skipped: number;
  /** Its ttl ran out since the clear: not restored. */
  expired: number;
  /** Refused by the server (e.g. NOPERM, a payload from another Redis version). */
  failed: number;
  /** The first failure, explained. */
  error?: string;
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
  /** UNLINK one key; with `undo`, DUMP it first (as clearPrefix does). */
  deleteKey(key: RedisKey, options?: { undo?: UndoRecorder }): Promise<boolean>;

  /** How many keys start with prefix (SCAN, budgeted, cancellable). */
  countPrefix(prefix: RedisKey, signal?: AbortSignal, onProgress?: (counted: number) => void): Promise<number>;
  /** SCAN + UNLINK in batches; checks each key against prefix before deleting it. */
  clearPrefix(prefix: RedisKey, options?: ClearOptions): Promise<ClearResult>;

  /** Whether an undo copy of a prefix's keys (or of one key) would fit the budget: DUMPs without keeping, stops once over. */
  measureUndo(scope: { prefix: RedisKey } | { key: RedisKey }, budget: UndoBudget, signal?: AbortSignal): Promise<UndoFootprint>;
  /** Puts a clear's keys back: RESTORE with the ttl left now, never over a key that exists again. */
  restore(record: UndoRecord): Promise<RestoreResult>;
}
