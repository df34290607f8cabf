import { strict as assert } from 'assert';
import { MemoryError } from '../../../src/memory/errors';
import type { UndoEntry } from '../../../src/memory/store';
import { DEFAULT_UNDO_BUDGET, entryBytes, keyCountRefusal, restorePlan, UndoRecorder } from '../../../src/memory/undo';

function entry(name: string, payloadBytes: number, ttlMs?: number, deletedAt = 1_000_000): UndoEntry {
  return { key: Buffer.from(name), payload: Buffer.alloc(payloadBytes, 1), ttlMs, deletedAt };
}

describe('undo copy of a clear', () => {
  describe('UndoRecorder', () => {
    it('keeps entries within the budget and counts their bytes', () => {
      const recorder = new UndoRecorder({ maxBytes: 10_000, maxKeys: 10 });
      recorder.add(entry('a', 100));
      recorder.add(entry('bb', 200, 5000));
      const outcome = recorder.outcome();
      assert.equal(outcome.kind, 'kept');
      assert.ok(outcome.kind === 'kept');
      assert.equal(outcome.record.entries.length, 2);
      assert.equal(outcome.record.bytes, entryBytes(Buffer.from('a'), Buffer.alloc(100)) + entryBytes(Buffer.from('bb'), Buffer.alloc(200)));
      assert.ok(recorder.recording);
    });

    it('drops the whole copy, not part of it, once the bytes go over the budget', () => {
      const recorder = new UndoRecorder({ maxBytes: 1000, maxKeys: 10 });
      recorder.add(entry('a', 500));
      recorder.add(entry('b', 500));
      assert.equal(recorder.recording, false);
      assert.equal(recorder.keptKeys, 0);
      recorder.add(entry('c', 1)); // ignored after giving up
      const outcome = recorder.outcome();
      assert.ok(outcome.kind === 'unavailable' && outcome.reason === 'budget', JSON.stringify(outcome));
      assert.match(outcome.message, /more than 1000 B/);
    });

    it('drops the copy once the key count goes over the budget', () => {
      const recorder = new UndoRecorder({ maxBytes: 1_000_000, maxKeys: 2 });
      for (const name of ['a', 'b', 'c']) recorder.add(entry(name, 1));
      const outcome = recorder.outcome();
      assert.ok(outcome.kind === 'unavailable' && /more than 2 keys/.test(outcome.message), JSON.stringify(outcome));
    });

    it('gives the copy up when DUMP is refused, saying why', () => {
      const recorder = new UndoRecorder();
      recorder.add(entry('a', 1));
      recorder.refuse(new MemoryError('noperm', 'User "u" is not allowed to do that: the DUMP command is not permitted.'));
      const outcome = recorder.outcome();
      assert.ok(outcome.kind === 'unavailable' && outcome.reason === 'refused' && /may not read the keys with DUMP.*DUMP command is not permitted\)$/.test(outcome.message), JSON.stringify(outcome));
      assert.equal(recorder.keptKeys, 0);
    });

    it('refuses a budget that is not whole numbers above zero', () => {
      for (const budget of [{ maxBytes: 0, maxKeys: 1 }, { maxBytes: 1, maxKeys: 0 }, { maxBytes: -5, maxKeys: 1 }, { maxBytes: 1.5, maxKeys: 1 }, { maxBytes: NaN, maxKeys: 1 }]) {
        assert.throws(() => new UndoRecorder(budget), (error: unknown) => error instanceof MemoryError && error.code === 'invalidInput');
      }
    });

    it('defaults to 64 MB and 100,000 keys', () => {
      assert.deepEqual(DEFAULT_UNDO_BUDGET, { maxBytes: 64 * 1024 * 1024, maxKeys: 100_000 });
      assert.equal(keyCountRefusal(100_000, DEFAULT_UNDO_BUDGET), undefined);
      assert.match(keyCountRefusal(100_001, DEFAULT_UNDO_BUDGET) ?? '', /more than 100,000 keys.*64 MB or 100,000 keys/);
    });
  });

  describe('restorePlan', () => {
    it('restores a key without expiry without one (RESTORE ttl 0)', () => {
      assert.deepEqual(restorePlan(entry('a', 1, undefined), 9_999_999), { kind: 'restore', ttlMs: 0 });
    });

    it('restores with the ttl left minus the time since the clear', () => {
      assert.deepEqual(restorePlan(entry('a', 1, 60_000, 1_000_000), 1_010_000), { kind: 'restore', ttlMs: 50_000 });
    });

    it('counts a key whose ttl ran out meanwhile as expired, including exactly at zero', () => {
      assert.deepEqual(restorePlan(entry('a', 1, 60_000, 1_000_000), 1_060_000), { kind: 'expired' });
      assert.deepEqual(restorePlan(entry('a', 1, 60_000, 1_000_000), 2_000_000), { kind: 'expired' });
      assert.deepEqual(restorePlan(entry('a', 1, 0, 1_000_000), 1_000_000), { kind: 'expired' });
    });

    it('does not add time when the clock went backwards', () => {
      assert.deepEqual(restorePlan(entry('a', 1, 60_000, 1_000_000), 900_000), { kind: 'restore', ttlMs: 60_000 });
    });
  });
});
