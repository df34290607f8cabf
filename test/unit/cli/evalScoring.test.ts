// The eval's matching rules (bench/lib/scoring.ts): the numbers it prints are only as good as these.
import * as assert from 'assert';
import { addTally, emptyTally, rates, scoreFile, type Label, type Prediction } from '../../../bench/lib/scoring';

const predict = (name: string, line: number): Prediction => ({ name, line, detail: `${name}@${line}` });

describe('eval scoring', () => {
  it('matches the same kind within the tolerance, closest first, one prediction per label', () => {
    const labels: Label[] = [
      { name: 'cache', line: 10 },
      { name: 'cache', line: 13 },
    ];
    const score = scoreFile(labels, [predict('cache', 12), predict('cache', 11), predict('cache', 30), predict('dedupe', 10)], 2);
    assert.deepStrictEqual(
      score.truePositives.map((match) => [match.label.line, match.prediction.line]),
      [
        [10, 11],
        [13, 12],
      ],
    );
    assert.deepStrictEqual(score.falsePositives.map((p) => p.detail), ['cache@30', 'dedupe@10']);
    assert.deepStrictEqual(score.misses, []);
  });

  it('accepts any alsoAt line and reports labels left unmatched as misses', () => {
    const score = scoreFile([{ name: 'cursor', line: 20, alsoAt: [14] }, { name: 'dedupe', line: 40 }], [predict('cursor', 15), predict('dedupe', 43)], 2);
    assert.strictEqual(score.truePositives.length, 1);
    assert.deepStrictEqual(score.misses.map((label) => label.name), ['dedupe']);
    assert.deepStrictEqual(score.falsePositives.map((p) => p.detail), ['dedupe@43']);
  });

  it('counts optional labels neither as misses nor, when hit, as false positives', () => {
    const labels: Label[] = [
      { name: 'dedupe', line: 5, optional: true },
      { name: 'dedupe', line: 50, optional: true },
    ];
    const score = scoreFile(labels, [predict('dedupe', 6)], 2);
    assert.deepStrictEqual([score.truePositives.length, score.optionalHits.length, score.falsePositives.length, score.misses.length], [0, 1, 0, 0]);
  });

  it('lets a required label win over an optional one for the same prediction', () => {
    const score = scoreFile([{ name: 'cache', line: 8, optional: true }, { name: 'cache', line: 9 }], [predict('cache', 8)], 2);
    assert.deepStrictEqual(score.truePositives.map((match) => match.label.line), [9]);
    assert.deepStrictEqual(score.optionalHits, []);
  });

  it('computes precision, recall and F1, and leaves them undefined with nothing to divide', () => {
    const tally = emptyTally();
    addTally(tally, scoreFile([{ name: 'cache', line: 1 }, { name: 'cache', line: 20 }], [predict('cache', 1), predict('cache', 40), predict('dedupe', 1)], 2));
    assert.deepStrictEqual(tally, { truePositives: 1, falsePositives: 2, misses: 1 });
    const { precision, recall, f1 } = rates(tally);
    assert.strictEqual(precision, 1 / 3);
    assert.strictEqual(recall, 1 / 2);
    assert.ok(Math.abs((f1 ?? 0) - 0.4) < 1e-9);
    const cacheOnly = emptyTally();
    addTally(cacheOnly, scoreFile([], [predict('dedupe', 1)], 2), 'cache');
    assert.deepStrictEqual(rates(cacheOnly), { precision: undefined, recall: undefined, f1: undefined });
  });
});
