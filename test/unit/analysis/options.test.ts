// Options and dismissal: kinds switched off, expiry overrides, dismissed ids, inline
// `workflow-memory: ignore <kind>` comments, ids that survive unrelated edits, workflow names.

import * as assert from 'node:assert/strict';
import { applyEdits } from '../../../src/analysis';
import { analyzeFixture, analyzer, readFixture } from './helpers';

describe('analysis: options and dismissal', () => {
  it('a kind switched off is not suggested; the others still are', async () => {
    const all = await analyzeFixture('python/codewords/weekly_report.py');
    const withoutCache = await analyzeFixture('python/codewords/weekly_report.py', { kinds: { cache: false } });
    assert.deepEqual(all.suggestions.map((s) => s.kind), ['cache', 'cursor', 'snapshot-diff']);
    assert.deepEqual(withoutCache.suggestions.map((s) => s.kind), ['cursor', 'snapshot-diff']);
    const none = await analyzeFixture('python/codewords/weekly_report.py', { kinds: { cache: false, cursor: false, 'snapshot-diff': false } });
    assert.deepEqual(none.suggestions, []);
  });

  it('an expiry override changes the title, the seconds and the inserted code', async () => {
    const { suggestions, text } = await analyzeFixture('typescript/ioredis/weeklyReport.ts', { ttl: { cache: '15m', cursor: '2d' } });
    const cache = suggestions.find((s) => s.kind === 'cache')!;
    assert.equal(cache.ttlLabel, '15m');
    assert.equal(cache.ttlSeconds, 900);
    assert.match(cache.title, /\(cache · 15m\)$/);
    assert.ok(applyEdits(text, cache.edits).includes("'EX', 900);"));
    const cursor = suggestions.find((s) => s.kind === 'cursor')!;
    assert.equal(cursor.ttlSeconds, 2 * 86400);
    assert.ok(applyEdits(text, cursor.edits).includes("'EX', 2 * 86400);"));
    const snapshot = suggestions.find((s) => s.kind === 'snapshot-diff')!;
    assert.equal(snapshot.ttlLabel, '30d', 'kinds without an override keep their default');
  });

  it('defaults per kind: 30d, 24h for conversation, 1h for cache, 90d for preference', async () => {
    const { suggestions } = await analyzeFixture('javascript/bot.mjs');
    assert.deepEqual(
      suggestions.map((s) => [s.kind, s.ttlLabel, s.ttlSeconds]),
      [
        ['preference', '90d', 90 * 86400],
        ['conversation', '24h', 86400],
        ['cache', '1h', 3600],
        ['cursor', '30d', 30 * 86400],
      ],
    );
  });

  it('an unusable override (negative, unparsable, none) falls back to the kind default', async () => {
    for (const bad of ['-5m', 'soon', 'none', '0s', '']) {
      const { suggestions } = await analyzeFixture('python/codewords/weekly_report.py', { ttl: { cache: bad } });
      const cache = suggestions.find((s) => s.kind === 'cache')!;
      assert.deepEqual([cache.ttlLabel, cache.ttlSeconds], ['1h', 3600], JSON.stringify(bad));
    }
  });

  it('a dismissed id hides that suggestion only', async () => {
    const { suggestions } = await analyzeFixture('python/plain/page_watch.py');
    const [first, second] = suggestions;
    const after = await analyzeFixture('python/plain/page_watch.py', { dismissed: new Set([first.id]) });
    assert.deepEqual(after.suggestions.map((s) => s.id), [second.id]);
  });

  it('ids survive unrelated edits above the site, and differ between sites', async () => {
    const { text, language } = readFixture('typescript/node-redis/pageWatch.ts');
    const parser = await analyzer();
    const before = parser.analyze(text, language).suggestions.map((s) => s.id);
    const edited = `// A comment added at the top.\n\n${text.replace("port: 25 }", "port: 2525 }")}`;
    const after = parser.analyze(edited, language).suggestions.map((s) => s.id);
    assert.deepEqual(after, before);
    assert.equal(new Set(before).size, before.length);
  });

  for (const [fixture, kind, comment] of [
    ['python/plain/page_watch.py', 'dedupe', '# workflow-memory: ignore dedupe'],
    ['python/codewords/support_bot.py', 'conversation', '# workflow-memory: ignore all'],
    ['typescript/ioredis/priceMonitor.ts', 'change-detection', '// workflow-memory: ignore change-detection'],
    ['javascript/bot.mjs', 'cursor', '// workflow-memory: ignore cache, cursor'],
  ] as const) {
    it(`an inline comment above the site silences it: ${comment}`, async () => {
      const { text, language } = readFixture(fixture);
      const parser = await analyzer();
      const site = parser.analyze(text, language).suggestions.find((s) => s.kind === kind)!;
      const lines = text.split('\n');
      const indent = /^\s*/.exec(lines[site.range.start.line])![0];
      lines.splice(site.range.start.line, 0, indent + comment);
      const after = parser.analyze(lines.join('\n'), language).suggestions;
      assert.ok(!after.some((s) => s.kind === kind), `${kind} still suggested`);
      assert.equal(after.length, parser.analyze(text, language).suggestions.length - 1 - (comment.includes('cache') ? 0 : 0));
    });
  }

  it('an ignore comment for one kind leaves other kinds on the same line alone', async () => {
    const { text, language } = readFixture('python/plain/page_watch.py');
    const parser = await analyzer();
    const site = parser.analyze(text, language).suggestions.find((s) => s.kind === 'dedupe')!;
    const lines = text.split('\n');
    lines[site.range.start.line] += '  # workflow-memory: ignore cache';
    assert.ok(parser.analyze(lines.join('\n'), language).suggestions.some((s) => s.kind === 'dedupe'));
  });

  it('the workflow in keys comes from the file name, else the route, else the entry function', async () => {
    const { text, language } = readFixture('python/codewords/support_bot.py');
    const parser = await analyzer();
    assert.equal(parser.analyze(text, language, { fileName: 'bots/helpdesk_bot.py' }).suggestions[0].key, '{ns}:helpdesk-bot:preferences:{body.user_id}');
    assert.equal(parser.analyze(text, language).suggestions[0].key, '{ns}:chat:preferences:{body.user_id}', 'route /chat');
    assert.equal(parser.analyze(text, language, { fileName: 'main.py' }).suggestions[0].key, '{ns}:chat:preferences:{body.user_id}', 'a generic file name says nothing');
  });

  it('keys use the namespace the file already uses, else wf (CodeWords: {ns})', async () => {
    assert.match((await analyzeFixture('typescript/ioredis/priceMonitor.ts')).suggestions[0].key, /^pricewatch:price-monitor:/);
    assert.match((await analyzeFixture('typescript/no-redis/assistant.ts')).suggestions[0].key, /^wf:assistant:/);
    assert.match((await analyzeFixture('python/codewords/price_monitor.py')).suggestions[0].key, /^\{ns\}:price-monitor:/);
  });
});
