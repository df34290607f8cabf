// openDocument().update() keeps the tree between edits; after any sequence of LSP-style changes
// its analysis must equal a fresh analysis of the same text.

import * as assert from 'node:assert/strict';
import { type AnalyzedDocument, type Range } from '../../../src/analysis';
import { lineStarts, positionAt } from '../../../src/analysis/text';
import { analyzer, readFixture } from './helpers';

async function assertSameAsFresh(document: AnalyzedDocument, step: string): Promise<void> {
  const fresh = (await analyzer()).analyze(document.text, document.language);
  assert.deepEqual(document.analyze(), fresh, step);
}

function rangeAt(text: string, start: number, end: number): Range {
  const starts = lineStarts(text);
  return { start: positionAt(starts, start), end: positionAt(starts, end) };
}

describe('analysis: incremental documents', () => {
  for (const fixture of ['python/codewords/weekly_report.py', 'typescript/node-redis/pageWatch.ts', 'javascript/bot.mjs']) {
    it(`${fixture}: typing, deleting and replacing give the same result as a fresh analysis`, async () => {
      const { text, language } = readFixture(fixture);
      const document = (await analyzer()).openDocument(text, language);
      try {
        await assertSameAsFresh(document, 'opened');
        // Type a new line character by character in the middle of the file.
        const typed = language === 'python' ? '\nprint("typing")' : '\nconsole.log("typing");';
        let offset = text.indexOf('\n', Math.floor(text.length / 2));
        for (const character of typed) {
          const range = rangeAt(document.text, offset, offset);
          document.update([{ range, text: character }]);
          offset += 1;
        }
        await assertSameAsFresh(document, 'after typing');
        // Delete what was typed in one change.
        const start = offset - typed.length;
        document.update([{ range: rangeAt(document.text, start, offset), text: '' }]);
        assert.equal(document.text, text);
        await assertSameAsFresh(document, 'after deleting');
        // Break the file, then mend it, in one update with two changes.
        const firstColon = document.text.indexOf(language === 'python' ? ':' : '{');
        document.update([
          { range: rangeAt(document.text, firstColon, firstColon + 1), text: '' },
          { range: rangeAt(document.text.slice(0, firstColon) + document.text.slice(firstColon + 1), firstColon, firstColon), text: language === 'python' ? ':' : '{' },
        ]);
        assert.equal(document.text, text);
        await assertSameAsFresh(document, 'after break and mend');
        // A full replacement (no range).
        document.update([{ text: text.replace(/wf|example/g, 'xx') }]);
        await assertSameAsFresh(document, 'after full replacement');
      } finally {
        document.dispose();
      }
    });
  }

  it('random edits (seeded) never drift from a fresh analysis', async function () {
    this.timeout(20000);
    const { text, language } = readFixture('python/plain/page_watch.py');
    const document = (await analyzer()).openDocument(text, language);
    let seed = 42;
    const random = (n: number): number => {
      seed = (seed * 1103515245 + 12345) % 2147483648;
      return seed % n;
    };
    const pieces = ['r.get(url)', '\n    ', 'for x in y:\n        send(x)\n', '"', '(', ')', 'é😀', ' ', '\t'];
    try {
      for (let step = 0; step < 60; step++) {
        const length = document.text.length;
        const start = random(length + 1);
        const end = Math.min(length, start + random(4));
        document.update([{ range: rangeAt(document.text, start, end), text: pieces[random(pieces.length)] }]);
        if (step % 10 === 9) await assertSameAsFresh(document, `step ${step}`);
      }
      await assertSameAsFresh(document, 'end');
    } finally {
      document.dispose();
    }
  });

  it('a disposed document refuses to analyze', async () => {
    const document = (await analyzer()).openDocument('x = 1\n', 'python');
    document.dispose();
    assert.throws(() => document.analyze(), /disposed/);
  });
});
