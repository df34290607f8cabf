// One tree level from a set of keys: the keys under a prefix are split on the delimiter into
// child groups (with how many keys each holds) and leaf keys. Pure and byte-wise; the tree feeds
// it scan pages as they arrive, so it accumulates instead of needing every key up front.

import { isInScope } from './keys';
import type { RedisKey } from './store';

export interface KeyGroup {
  /** The part between the level's prefix and the next delimiter. */
  segment: Buffer;
  /** Full prefix of the group: level prefix + segment + delimiter. */
  prefix: Buffer;
  /** Distinct keys seen under the group so far. */
  keyCount: number;
}

export interface KeyLevel {
  groups: KeyGroup[];
  /** Keys directly at this level (no delimiter after the prefix), sorted. */
  leaves: RedisKey[];
}

/** Accumulates keys for one level; duplicates (SCAN may return a key twice) count once. */
export class KeyLevelGrouping {
  private readonly delimiter: Buffer;
  private readonly seen = new Set<string>();
  private readonly groups = new Map<string, KeyGroup>();
  private readonly leaves = new Map<string, RedisKey>();

  constructor(readonly prefix: Buffer, delimiter: string | Buffer) {
    this.delimiter = typeof delimiter === 'string' ? Buffer.from(delimiter, 'utf8') : delimiter;
    if (this.delimiter.length === 0) throw new RangeError('The delimiter must not be empty.');
  }

  /** Adds keys; keys outside the prefix are ignored. Returns how many were new. */
  add(keys: Iterable<RedisKey>): number {
    let added = 0;
    for (const key of keys) {
      if (!isInScope(key, this.prefix)) continue;
      const identity = key.toString('latin1'); // one char per byte: a lossless map key
      if (this.seen.has(identity)) continue;
      this.seen.add(identity);
      added++;
      const end = key.indexOf(this.delimiter, this.prefix.length);
      if (end === -1) {
        this.leaves.set(identity, key);
        continue;
      }
      const segment = key.subarray(this.prefix.length, end);
      const groupIdentity = segment.toString('latin1');
      const group = this.groups.get(groupIdentity);
      if (group) group.keyCount++;
      else this.groups.set(groupIdentity, { segment: Buffer.from(segment), prefix: Buffer.from(key.subarray(0, end + this.delimiter.length)), keyCount: 1 });
    }
    return added;
  }

  /** Distinct keys seen at or below this level. */
  get size(): number {
    return this.seen.size;
  }

  snapshot(): KeyLevel {
    return {
      groups: [...this.groups.values()].map((group) => ({ ...group })).sort((a, b) => Buffer.compare(a.segment, b.segment)),
      leaves: [...this.leaves.values()].sort(Buffer.compare),
    };
  }
}

/** Groups keys under prefix into one level split on delimiter. */
export function groupKeys(keys: Iterable<RedisKey>, prefix: Buffer, delimiter: string | Buffer): KeyLevel {
  const grouping = new KeyLevelGrouping(prefix, delimiter);
  grouping.add(keys);
  return grouping.snapshot();
}
