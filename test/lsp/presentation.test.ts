// How suggestions and findings become code lenses, diagnostics and code actions.
import * as assert from 'assert';
import type { Finding, Suggestion } from '../../src/analysis/types';
import { Commands } from '../../src/constants';
import { ADD_MEMORY_ACTION_KIND, codeActionsFor, codeLensesFor, diagnosticFor } from '../../src/server/presentation';
import { DIAGNOSTIC_SOURCE } from '../../src/server/protocol';

const target = { uri: 'file:///w/monitor.py', version: 7 };
const at = (line: number, from: number, to: number) => ({ start: { line, character: from }, end: { line, character: to } });

const suggestion: Suggestion = {
  id: 'change-detection:abc',
  kind: 'change-detection',
  range: at(4, 4, 30),
  title: 'Add memory: skip unchanged pages (change-detection · 30d)',
  explanation: 'Remembers a hash of the page so an unchanged page is skipped.',
  key: '{ns}:monitor:page-hash:{url}',
  ttlSeconds: 30 * 86400,
  ttlLabel: '30d',
  edits: [{ range: at(5, 0, 0), newText: '    pass\n' }],
};

const finding: Finding = {
  code: 'write-without-expiry',
  severity: 'warning',
  message: 'This memory write has no expiry.',
  range: at(9, 4, 40),
  fix: { title: 'Add an expiry (7d)', edits: [{ range: at(9, 39, 39), newText: ', ex=604800' }] },
};

describe('presentation', () => {
  it('gives each suggestion an Add memory, a Why? and a Dismiss lens on its line', () => {
    const lenses = codeLensesFor(target, [suggestion]);
    assert.deepStrictEqual(
      lenses.map((lens) => [lens.command?.title, lens.command?.command]),
      [
        [suggestion.title, Commands.acceptSuggestion],
        ['Why?', Commands.explainSuggestion],
        ['Dismiss', Commands.dismissSuggestion],
      ],
    );
    for (const lens of lenses) assert.deepStrictEqual(lens.range, suggestion.range);
    const accept = { uri: target.uri, suggestionId: suggestion.id, version: 7, edits: suggestion.edits };
    assert.deepStrictEqual(lenses[0].command?.arguments, [accept]);
    assert.deepStrictEqual(lenses[1].command?.arguments, [
      { uri: target.uri, suggestionId: suggestion.id, kind: 'change-detection', explanation: suggestion.explanation, accept },
    ]);
    assert.deepStrictEqual(lenses[2].command?.arguments, [{ uri: target.uri, suggestionId: suggestion.id, kind: 'change-detection' }]);
  });

  it('maps findings to diagnostics with the source and the finding code', () => {
    assert.deepStrictEqual(diagnosticFor(finding), {
      range: finding.range,
      severity: 2,
      source: DIAGNOSTIC_SOURCE,
      code: 'write-without-expiry',
      message: finding.message,
    });
    assert.strictEqual(diagnosticFor({ ...finding, severity: 'error' }).severity, 1);
    assert.strictEqual(diagnosticFor({ ...finding, severity: 'information' }).severity, 3);
  });

  it('offers the quick fix linked to the diagnostic shown, as a versioned edit', () => {
    const shown = diagnosticFor(finding);
    const [fix, ...rest] = codeActionsFor(target, [finding], [suggestion], { range: at(9, 10, 10), diagnostics: [shown] }, { documentChanges: true });
    assert.deepStrictEqual(rest, []);
    assert.strictEqual(fix.title, 'Add an expiry (7d)');
    assert.strictEqual(fix.kind, 'quickfix');
    assert.strictEqual(fix.isPreferred, true);
    assert.deepStrictEqual(fix.diagnostics, [shown]);
    assert.deepStrictEqual(fix.edit, { documentChanges: [{ textDocument: target, edits: finding.fix?.edits }] });
  });

  it('offers "Add memory: …" as a refactoring on the suggestion\'s line', () => {
    const actions = codeActionsFor(target, [finding], [suggestion], { range: at(4, 0, 0), diagnostics: [] }, { documentChanges: false });
    assert.deepStrictEqual(actions.map((action) => [action.title, action.kind]), [[suggestion.title, ADD_MEMORY_ACTION_KIND]]);
    assert.deepStrictEqual(actions[0].edit, { changes: { [target.uri]: suggestion.edits } });
  });

  it('honours the kinds the client asks for', () => {
    const everywhere = { start: { line: 0, character: 0 }, end: { line: 20, character: 0 } };
    const kinds = (only?: string[]) =>
      codeActionsFor(target, [finding], [suggestion], { range: everywhere, diagnostics: [], only }, { documentChanges: true }).map((a) => a.kind);
    assert.deepStrictEqual(kinds(), ['quickfix', ADD_MEMORY_ACTION_KIND]);
    assert.deepStrictEqual(kinds(['quickfix']), ['quickfix']);
    assert.deepStrictEqual(kinds(['refactor']), [ADD_MEMORY_ACTION_KIND]);
    assert.deepStrictEqual(kinds(['source']), []);
  });

  it('offers no quick fix for a finding without one', () => {
    const { fix: _fix, ...withoutFix } = finding;
    assert.deepStrictEqual(codeActionsFor(target, [withoutFix], [], { range: finding.range, diagnostics: [] }, { documentChanges: true }), []);
  });
});
