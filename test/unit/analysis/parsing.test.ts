// Languages, text edits and robustness: files that do not parse, empty and binary-looking input,
// big files. Analysis never throws and says when the file did not parse.

import * as assert from 'node:assert/strict';
import { applyEdits, createAnalyzer, languageFromEditorId, languageFromPath, type LanguageId } from '../../../src/analysis';
import { analyzeFixture, analyzer } from './helpers';

const LANGUAGES: LanguageId[] = ['python', 'typescript', 'tsx', 'javascript'];

describe('analysis: languages, edits and robustness', () => {
  it('maps file paths to languages', () => {
    const cases: Array<[string, LanguageId | undefined]> = [
      ['a/b/monitor.py', 'python'],
      ['job.ts', 'typescript'],
      ['job.mts', 'typescript'],
      ['job.cts', 'typescript'],
      ['Card.tsx', 'tsx'],
      ['bot.js', 'javascript'],
      ['bot.mjs', 'javascript'],
      ['bot.cjs', 'javascript'],
      ['App.jsx', 'javascript'],
      ['C:\\work\\JOB.PY', 'python'],
      ['types.d.ts', undefined],
      ['README.md', undefined],
      ['Makefile', undefined],
    ];
    for (const [file, language] of cases) assert.equal(languageFromPath(file), language, file);
  });

  it('maps VS Code language ids to languages', () => {
    assert.equal(languageFromEditorId('python'), 'python');
    assert.equal(languageFromEditorId('typescript'), 'typescript');
    assert.equal(languageFromEditorId('typescriptreact'), 'tsx');
    assert.equal(languageFromEditorId('javascript'), 'javascript');
    assert.equal(languageFromEditorId('javascriptreact'), 'javascript');
    assert.equal(languageFromEditorId('rust'), undefined);
  });

  it('applies LSP edits against the original text, inserts at one point in order', () => {
    const text = 'a\nbc\nd';
    const edits = [
      { range: { start: { line: 1, character: 1 }, end: { line: 1, character: 2 } }, newText: 'X' },
      { range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } }, newText: '1' },
      { range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } }, newText: '2' },
      { range: { start: { line: 2, character: 1 }, end: { line: 9, character: 0 } }, newText: '!' },
    ];
    assert.equal(applyEdits(text, edits), '12a\nbX\nd!');
    assert.throws(() =>
      applyEdits(text, [
        { range: { start: { line: 0, character: 0 }, end: { line: 1, character: 1 } }, newText: '' },
        { range: { start: { line: 0, character: 1 }, end: { line: 0, character: 1 } }, newText: '' },
      ]),
    /overlapping/);
  });

  it('a file that does not parse: hasSyntaxErrors, and what did parse is still analyzed', async () => {
    const python = await analyzeFixture('syntax-errors/broken.py');
    assert.equal(python.hasSyntaxErrors, true);
    assert.deepEqual(python.findings.map((f) => f.code), ['write-without-expiry', 'whole-body-in-memory']);
    const typescript = await analyzeFixture('syntax-errors/broken.ts');
    assert.equal(typescript.hasSyntaxErrors, true);
    assert.deepEqual(typescript.findings.map((f) => f.code), ['write-without-expiry']);
  });

  it('never throws on odd input in any language', async () => {
    const parser = await analyzer();
    const inputs = [
      '',
      '\n\n\n',
      '\u0000\u0001\u0002\uFFFD binary \u0000',
      '('.repeat(2000),
      'x'.repeat(200000),
      'async with redis_client() as (redis, ns):\n    await redis.set(',
      'for (const x of) { await fetch( }',
      '"""unterminated',
      '`${`${`',
    ];
    for (const language of LANGUAGES) {
      for (const input of inputs) {
        const result = parser.analyze(input, language);
        assert.equal(result.language, language);
        assert.ok(Array.isArray(result.suggestions) && Array.isArray(result.findings));
      }
    }
  });

  it('a big workflow file (about 5,000 lines) is analyzed whole', async function () {
    this.timeout(20000);
    const { text } = await analyzeFixture('python/plain/page_watch.py');
    const body = text.replace(/if __name__[\s\S]*$/, '');
    const big = Array.from({ length: 150 }, (_, i) => body.replace(/\b(notify|main)\(/g, `$1_${i}(`)).join('\n') + '\nif __name__ == "__main__":\n    main_0()\n';
    const result = (await analyzer()).analyze(big, 'python', { fileName: 'page_watch.py' });
    assert.ok(big.split('\n').length > 4000);
    assert.equal(result.hasSyntaxErrors, false);
    assert.deepEqual(result.suggestions.map((s) => s.kind), ['change-detection', 'dedupe']);
  });

  it('a wrong wasm directory fails with an error naming the file', async () => {
    await assert.rejects(createAnalyzer({ wasmDir: '/nonexistent/wasm' }), /nonexistent|ENOENT|wasm/i);
  });

  it('parsesCleanly tells clean text from broken text', async () => {
    const parser = await analyzer();
    assert.equal(parser.parsesCleanly('x = 1\n', 'python'), true);
    assert.equal(parser.parsesCleanly('x = (\n', 'python'), false);
    assert.equal(parser.parsesCleanly('const a = <div>{1}</div>;', 'tsx'), true);
    assert.equal(parser.parsesCleanly('const a = <div>{1}</div>;', 'typescript'), false);
  });
});
