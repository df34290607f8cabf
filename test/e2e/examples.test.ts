// examples/ is what a person opens in the demo: it must show every suggestion kind and a hygiene
// problem, and every accepted suggestion must leave a file that still parses. Checked with the
// analyzer itself (no editor needed), so a change to the analyzer that loses a kind shows here.
import * as assert from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import { applyEdits, createAnalyzer, languageFromPath, SUGGESTION_KINDS, type Analyzer, type AnalysisResult } from '../../src/analysis';
import { examplesDir } from './support/repo';

function exampleFiles(dir = examplesDir): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) return entry.name === 'node_modules' ? [] : exampleFiles(full);
    return languageFromPath(full) ? [full] : [];
  }).sort();
}

describe('examples/: the sample workflows of the demo', function () {
  this.timeout(60000);
  let analyzer: Analyzer;
  const results = new Map<string, AnalysisResult>();

  before(async () => {
    analyzer = await createAnalyzer();
    for (const file of exampleFiles()) {
      results.set(path.relative(examplesDir, file), analyzer.analyze(fs.readFileSync(file, 'utf8'), languageFromPath(file)!));
    }
  });

  after(() => analyzer?.dispose());

  it('are Python (CodeWords and redis-py) and TypeScript (ioredis) workflows that parse', () => {
    const names = [...results.keys()];
    assert.ok(names.some((name) => name.startsWith('codewords/') && name.endsWith('.py')), names.join(', '));
    assert.ok(names.some((name) => name.startsWith('redis-py/') && name.endsWith('.py')), names.join(', '));
    assert.ok(names.some((name) => name.endsWith('.ts')), names.join(', '));
    for (const [name, result] of results) {
      assert.strictEqual(result.hasSyntaxErrors, false, `${name} parses`);
      assert.strictEqual(result.isWorkflow, true, `${name} is recognised as a workflow`);
    }
  });

  it('show every suggestion kind', () => {
    const shown = new Map<string, string[]>();
    for (const [name, result] of results) {
      for (const suggestion of result.suggestions) shown.set(suggestion.kind, [...(shown.get(suggestion.kind) ?? []), name]);
    }
    const missing = SUGGESTION_KINDS.filter((kind) => !shown.has(kind));
    assert.deepStrictEqual(missing, [], `kinds no example shows; shown: ${JSON.stringify(Object.fromEntries(shown))}`);
  });

  it('the lenses the end-to-end test accepts are there', () => {
    const kinds = (name: string) => results.get(name)?.suggestions.map((suggestion) => suggestion.kind) ?? [];
    assert.ok(kinds('codewords/website_monitor.py').includes('change-detection'), kinds('codewords/website_monitor.py').join(', '));
    assert.ok(kinds('typescript/notifier.ts').includes('dedupe'), kinds('typescript/notifier.ts').join(', '));
  });

  it('show a memory write without expiry, where the README says', () => {
    const flagged = [...results].filter(([, result]) => result.findings.some((finding) => finding.code === 'write-without-expiry')).map(([name]) => name);
    assert.deepStrictEqual(flagged.sort(), ['codewords/support_chatbot.py', 'redis-py/enrich_leads.py']);
  });

  it('still parse after accepting any one suggestion', () => {
    for (const [name, result] of results) {
      const file = path.join(examplesDir, name);
      const language = languageFromPath(file)!;
      for (const suggestion of result.suggestions) {
        const edited = applyEdits(fs.readFileSync(file, 'utf8'), suggestion.edits);
        assert.ok(analyzer.parsesCleanly(edited, language), `${name} after "${suggestion.title}" parses`);
      }
    }
  });
});
