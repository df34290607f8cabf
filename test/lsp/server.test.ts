// The bundled language server (dist/server.js) as VS Code starts it: forked over Node IPC, with
// the real analyzer and tree-sitter wasm from dist/wasm. Run `node esbuild.js` first.
import * as assert from 'assert';
import { createAnalyzer, applyEdits, type Analyzer, type TextEdit } from '../../src/analysis';
import { Commands } from '../../src/constants';
import type { AcceptSuggestionArgs } from '../../src/server/protocol';
import { LspSession } from './lspSession';
import { FETCH_LINE, monitorPy, noExpiryPy } from '../support/workflowSamples';

const monitorTs = [
  "import cron from 'node-cron';",
  '',
  "const PAGES = ['https://example.com/terms', 'https://example.com/privacy'];",
  '',
  'async function reviewTerms(): Promise<void> {',
  '  for (const url of PAGES) {',
  '    const res = await fetch(url);',
  '    const html = await res.text();',
  "    await fetch(process.env.SLACK_WEBHOOK_URL ?? '', { method: 'POST', body: JSON.stringify({ text: html.slice(0, 200) }) });",
  '  }',
  '}',
  '',
  "cron.schedule('0 6 * * *', () => reviewTerms().catch(console.error));",
  '',
].join('\n');


const acceptArgsOf = (lenses: Awaited<ReturnType<LspSession['codeLenses']>>): AcceptSuggestionArgs[] =>
  lenses.filter((lens) => lens.command?.command === Commands.acceptSuggestion).map((lens) => lens.command?.arguments?.[0] as AcceptSuggestionArgs);

describe('language server process (dist/server.js, real analyzer)', function () {
  this.timeout(20000);
  let lsp: LspSession | undefined;
  let analyzer: Analyzer;

  before(async () => {
    // Only to check that accepted edits still parse.
    analyzer = await createAnalyzer();
  });
  after(() => analyzer?.dispose());

  afterEach(async function () {
    if (this.currentTest?.state === 'failed' && lsp?.stderr) console.error(lsp.stderr);
    lsp?.kill();
    lsp = undefined;
  });

  it('initializes with incremental sync, code lenses and code actions', async () => {
    lsp = await LspSession.start();
    const capabilities = lsp.initializeResult?.capabilities;
    assert.deepStrictEqual(capabilities?.textDocumentSync, { openClose: true, change: 2 });
    assert.deepStrictEqual(capabilities?.codeLensProvider, { resolveProvider: false });
    assert.ok(capabilities?.codeActionProvider);
    assert.strictEqual(lsp.initializeResult?.serverInfo?.name, 'Workflow Memory Helper');
  });

  it('puts Add memory · Why? · Dismiss above the fetch of a CodeWords page monitor, with edits that parse', async () => {
    lsp = await LspSession.start();
    const uri = 'file:///workspace/page_monitor.py';
    await lsp.open(uri, 'python', monitorPy);
    const lenses = await lsp.codeLenses(uri);
    const accepts = acceptArgsOf(lenses);
    assert.strictEqual(lenses.length, accepts.length * 3, 'three lenses per suggestion');
    const changeDetection = lenses.find((lens) => lens.command?.command === Commands.acceptSuggestion && /\(change-detection · 30d\)$/.test(lens.command.title));
    assert.ok(changeDetection, `a change-detection lens among ${JSON.stringify(lenses.map((lens) => lens.command?.title))}`);
    assert.match(changeDetection.command?.title ?? '', /^Add memory: /);
    assert.strictEqual(changeDetection.range.start.line, FETCH_LINE);
    const onSameLine = lenses.filter((lens) => lens.range.start.line === FETCH_LINE).map((lens) => lens.command?.title);
    assert.ok(onSameLine.includes('Why?') && onSameLine.includes('Dismiss'));

    const args = changeDetection.command?.arguments?.[0] as AcceptSuggestionArgs;
    assert.strictEqual(args.uri, uri);
    assert.strictEqual(args.version, 1);
    const accepted = applyEdits(monitorPy, args.edits as TextEdit[]);
    assert.notStrictEqual(accepted, monitorPy);
    assert.ok(analyzer.parsesCleanly(accepted, 'python'), `the accepted code parses:\n${accepted}`);
    assert.match(accepted, /redis_client\(\)/, 'a CodeWords service gets its redis_client()');
    assert.match(accepted, /f"\{ns\}:page-monitor:page-hash:/, 'the file name names the workflow in the key');
  });

  it('serves TypeScript too', async () => {
    lsp = await LspSession.start();
    const uri = 'file:///workspace/terms_monitor.ts';
    await lsp.open(uri, 'typescript', monitorTs);
    const accepts = acceptArgsOf(await lsp.codeLenses(uri));
    assert.ok(accepts.length > 0, 'at least one suggestion');
    for (const args of accepts) assert.ok(analyzer.parsesCleanly(applyEdits(monitorTs, args.edits), 'typescript'));
  });

  it('publishes the write-without-expiry diagnostic and its quick fix', async () => {
    lsp = await LspSession.start();
    const uri = 'file:///workspace/digest_store.py';
    await lsp.open(uri, 'python', noExpiryPy);
    const { diagnostics } = await lsp.diagnosticsFor(uri, 1);
    const noExpiry = diagnostics.find((diagnostic) => diagnostic.code === 'write-without-expiry');
    assert.ok(noExpiry, JSON.stringify(diagnostics));
    assert.strictEqual(noExpiry.source, 'Workflow Memory');
    assert.strictEqual(noExpiry.range.start.line, 5);
    const actions = await lsp.codeActions(uri, noExpiry.range, [noExpiry], ['quickfix']);
    assert.strictEqual(actions.length, 1, JSON.stringify(actions));
    assert.deepStrictEqual(actions[0].diagnostics, [noExpiry]);
    const change = actions[0].edit?.documentChanges?.[0];
    assert.ok(change && 'edits' in change);
    assert.deepStrictEqual(change.textDocument, { uri, version: 1 });
    const fixed = applyEdits(noExpiryPy, change.edits as TextEdit[]);
    assert.match(fixed.split('\n')[5], /\bex=/);
    assert.ok(analyzer.parsesCleanly(fixed, 'python'));
  });

  it('updates the lenses after incremental edits', async () => {
    lsp = await LspSession.start();
    const uri = 'file:///workspace/page_monitor.py';
    // Start without the fetch, then type it in.
    const lines = monitorPy.split('\n');
    const withoutFetch = [...lines.slice(0, FETCH_LINE), '        pass', ...lines.slice(FETCH_LINE + 1)].join('\n');
    await lsp.open(uri, 'python', withoutFetch);
    const before = acceptArgsOf(await lsp.codeLenses(uri));
    assert.ok(!before.some((args) => args.suggestionId.startsWith('change-detection')), JSON.stringify(before));

    await lsp.change(uri, [{ range: { start: { line: FETCH_LINE, character: 8 }, end: { line: FETCH_LINE, character: 12 } }, text: 'response = await client.get(url)' }]);
    const version = await lsp.change(uri, [{ range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } }, text: '# watches a page\n' }]);
    const after = acceptArgsOf(await lsp.codeLenses(uri));
    const added = after.find((args) => args.suggestionId.startsWith('change-detection'));
    assert.ok(added, JSON.stringify(after.map((args) => args.suggestionId)));
    assert.strictEqual(added.version, version);
    const lens = (await lsp.codeLenses(uri)).find((candidate) => candidate.command?.arguments?.[0]?.suggestionId === added.suggestionId);
    assert.strictEqual(lens?.range.start.line, FETCH_LINE + 1, 'the lens moved down with the inserted line');
  });

  it('removes the lenses of a kind switched off in the settings', async () => {
    lsp = await LspSession.start();
    const uri = 'file:///workspace/page_monitor.py';
    await lsp.open(uri, 'python', monitorPy);
    assert.ok(acceptArgsOf(await lsp.codeLenses(uri)).some((args) => args.suggestionId.startsWith('change-detection')));
    const refreshed = lsp.nextCodeLensRefresh();
    await lsp.changeSettings({ suggestions: { kinds: { 'change-detection': false } } });
    await refreshed;
    const titles = (await lsp.codeLenses(uri)).map((lens) => lens.command?.title ?? '');
    assert.ok(!titles.some((title) => title.includes('change-detection')), JSON.stringify(titles));
  });

  it('does not crash on a file that does not parse, and keeps serving', async () => {
    lsp = await LspSession.start();
    const broken = 'file:///workspace/broken_monitor.py';
    await lsp.open(broken, 'python', 'def check(:\n    response = requests.get(url\n    for x in \x00\ufffd:\n');
    assert.ok(Array.isArray(await lsp.codeLenses(broken)));
    await lsp.diagnosticsFor(broken, 1);
    await lsp.open('file:///workspace/empty.ts', 'typescript', '');
    assert.deepStrictEqual(await lsp.codeLenses('file:///workspace/empty.ts'), []);
    const uri = 'file:///workspace/page_monitor.py';
    await lsp.open(uri, 'python', monitorPy);
    assert.ok((await lsp.codeLenses(uri)).length > 0);
    assert.ok(lsp.alive);
  });

  it('exits cleanly on shutdown + exit', async () => {
    lsp = await LspSession.start();
    await lsp.open('file:///workspace/page_monitor.py', 'python', monitorPy);
    await lsp.codeLenses('file:///workspace/page_monitor.py');
    assert.strictEqual(await lsp.shutdown(), 0);
  });
});
