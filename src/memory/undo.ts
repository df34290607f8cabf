// What Undo needs from a clear: DUMP payloads of the deleted keys with the expiry each had left,
// kept within a byte and key budget (all or nothing: a copy that does not fit is dropped whole,
// so an undo never puts back only part of a clear), and how each key is put back later.
// Pure logic: the store feeds it and replays it (redisStore.ts). No vscode import.

import { MemoryError } from './errors';
import type { RedisKey, UndoBudget, UndoEntry, UndoOutcome, UndoRecord } from './store';
import { formatBytes, formatCount } from './valueRender';

/** Enough for any workflow memory we know of, small enough to hold in the editor's memory. */
export const DEFAULT_UNDO_BUDGET: UndoBudget = { maxBytes: 64 * 1024 * 1024, maxKeys: 100_000 };

/** What an entry costs besides its key and payload (object, ttl, time), so many tiny keys still count. */
const ENTRY_OVERHEAD_BYTES = 64;

export function entryBytes(key: RedisKey, payload: Buffer): number {
  return key.length + payload.length + ENTRY_OVERHEAD_BYTES;
}

export function describeBudget(budget: UndoBudget): string {
  return `${formatBytes(budget.maxBytes)} or ${formatCount(budget.maxKeys)} keys`;
}

/** Why a scope of this many keys cannot be undone, or undefined while it may fit. */
export function keyCountRefusal(count: number, budget: UndoBudget): string | undefined {
  if (count <= budget.maxKeys) return undefined;
  return `it holds more than ${formatCount(budget.maxKeys)} keys, too many to keep a copy of (the undo limit is ${describeBudget(budget)})`;
}

/** Why a copy of this many bytes cannot be kept, or undefined when it fits. */
export function byteRefusal(bytes: number, budget: UndoBudget): string | undefined {
  if (bytes <= budget.maxBytes) return undefined;
  return `its values take more than ${formatBytes(budget.maxBytes)}, too much to keep a copy of (the undo limit is ${describeBudget(budget)})`;
}

/** Why DUMP was refused, in words for the confirmation and the result. */
export function dumpRefusal(error: MemoryError): string {
  return `this Redis user may not read the keys with DUMP (${error.message.replace(/\.$/, '')})`;
}

export function validateBudget(budget: UndoBudget): void {
  if (!Number.isSafeInteger(budget.maxBytes) || budget.maxBytes <= 0 || !Number.isSafeInteger(budget.maxKeys) || budget.maxKeys <= 0) {
    throw new MemoryError('invalidInput', `The undo limit must be whole numbers above zero; got ${budget.maxBytes} bytes and ${budget.maxKeys} keys.`);
  }
}

/**
 * Collects the undo copy while a clear runs. The caller makes one per clear and hands it to
 * clearPrefix/deleteKey; whatever happens (done, cancelled, or an error half-way), it then
 * holds exactly the keys that were deleted, or says why it holds none.
 */
export class UndoRecorder {
  private entries: UndoEntry[] = [];
  private bytes = 0;
  private lost?: { reason: 'budget' | 'refused'; message: string };

  constructor(readonly budget: UndoBudget = DEFAULT_UNDO_BUDGET) {
    validateBudget(budget);
  }

  /** False once the copy was given up: the store then stops taking DUMPs. */
  get recording(): boolean {
    return this.lost === undefined;
  }

  get keptKeys(): number {
    return this.entries.length;
  }

  /** Keeps a deleted key; past the budget the whole copy is dropped (no partial undo). */
  add(entry: UndoEntry): void {
    if (this.lost) return;
    const bytes = this.bytes + entryBytes(entry.key, entry.payload);
    const refusal = keyCountRefusal(this.entries.length + 1, this.budget) ?? byteRefusal(bytes, this.budget);
    if (refusal) {
      this.giveUp('budget', refusal);
      return;
    }
    this.entries.push(entry);
    this.bytes = bytes;
  }

  /** DUMP was refused after some keys were already deleted: keep nothing rather than part. */
  refuse(error: MemoryError): void {
    this.giveUp('refused', dumpRefusal(error));
  }

  outcome(): UndoOutcome {
    if (this.lost) return { kind: 'unavailable', reason: this.lost.reason, message: this.lost.message };
    const record: UndoRecord = { entries: this.entries, bytes: this.bytes };
    return { kind: 'kept', record };
  }

  private giveUp(reason: 'budget' | 'refused', message: string): void {
    this.lost = { reason, message };
    this.entries = []; // free the payloads now, not when the clear ends
    this.bytes = 0;
  }
}

/** How to put one entry back at time `now`: RESTORE's ttl argument (0 = no expiry), or expired meanwhile. */
export function restorePlan(entry: UndoEntry, now: number): { kind: 'restore'; ttlMs: number } | { kind: 'expired' } {
  if (entry.ttlMs === undefined) return { kind: 'restore', ttlMs: 0 };
  const left = entry.ttlMs - Math.max(0, now - entry.deletedAt);
  return left > 0 ? { kind: 'restore', ttlMs: Math.ceil(left) } : { kind: 'expired' };
}
