// The server's own behaviour, spoken to over LSP, with the hand-written FakeAnalyzer so every
// suggestion is known exactly: incremental updates, settings, dismissals, analysis failures.
// (server.test.ts runs the real bundled server with the real analyzer.)
import * as assert from 'assert';
import { SetTraceNotification } from 'vscode-languageserver-protocol/node';
import { createConnection, ProposedFeatures } from 'vscode-languageserver/node';
import type { Analyzer } from '../../src/analysis';
import { Commands } from '../../src/constants';
import { HelperServer, MAX_ANALYZED_CHARACTERS } from '../../src/server/helperServer';
import { DISMISSED_NOTIFICATION } from '../../src/server/protocol';
import { FakeAnalyzer } from './fakeAnalyzer';
import { LspSession, type SessionOptions } from './lspSession';

const uri = 'file:///workspace/monitor.py';
const source = ['def run(urls):', '    for url in urls:', '        page = fetch(url)', '        send(page)', '        redis.set(key, page)', ''].join('\n');

describe('language server behaviour (fake analyzer)', function () {
  let session: LspSession | undefined;
  let analyzer: FakeAnalyzer;

  async function start(options: SessionOptions = {}, loadAnalyzer?: () => Promise<Analyzer>): Promise<LspSession> {
    analyzer = new FakeAnalyzer();
    session = await LspSession.inProcess((reader, writer) => {
      new HelperServer(createConnection(ProposedFeatures.all, reader, writer), loadAnalyzer ?? (async () => analyzer)).listen();
    }, options);
    return session;
  }

  afterEach(async () => {
    await session?.shutdown().catch(() => session?.kill());
    session = undefined;
  });

  it('answers lenses for each suggestion, with the document version in the accept arguments', async () => {
    const lsp = await start();
    await lsp.open(uri, 'python', source);
    const lenses = await lsp.codeLenses(uri);
    assert.deepStrictEqual(
      lenses.map((lens) => [lens.range.start.line, lens.command?.title]),
      [
        [2, 'Add memory: skip unchanged pages (change-detection · 30d)'],
        [2, 'Why?'],
        [2, 'Dismiss'],
        [3, 'Add memory: notify each recipient once (dedupe · 30d)'],
        [3, 'Why?'],
        [3, 'Dismiss'],
      ],
    );
    assert.strictEqual(lenses[0].command?.command, Commands.acceptSuggestion);
    assert.deepStrictEqual(lenses[0].command?.arguments?.[0], {
      uri,
      suggestionId: 'change-detection:page = fetch(url)',
      version: 1,
      edits: [{ range: { start: { line: 2, character: 0 }, end: { line: 2, character: 0 } }, newText: '# memory for change-detection\n' }],
    });
    assert.strictEqual(lenses[1].command?.arguments?.[0].explanation, 'Remembers what this change-detection site saw last run.');
  });

  it('publishes hygiene diagnostics and offers the quick fix linked to them', async () => {
    const lsp = await start();
    await lsp.open(uri, 'python', source);
    const published = await lsp.diagnosticsFor(uri, 1);
    assert.deepStrictEqual(
      published.diagnostics.map((diagnostic) => [diagnostic.range.start.line, diagnostic.source, diagnostic.code, diagnostic.severity]),
      [[4, 'Workflow Memory', 'write-without-expiry', 2]],
    );
    const actions = await lsp.codeActions(uri, published.diagnostics[0].range, published.diagnostics, ['quickfix']);
    assert.strictEqual(actions.length, 1);
    assert.strictEqual(actions[0].title, 'Add an expiry (7d)');
    assert.deepStrictEqual(actions[0].diagnostics, published.diagnostics);
    assert.deepStrictEqual(actions[0].edit?.documentChanges, [
      {
        textDocument: { uri, version: 1 },
        edits: [{ range: { start: { line: 4, character: 27 }, end: { line: 4, character: 27 } }, newText: ', ex=604800' }],
      },
    ]);
  });

  it('feeds incremental changes to the open tree instead of reopening it', async () => {
    const lsp = await start();
    await lsp.open(uri, 'python', source);
    await lsp.codeLenses(uri);
    // Insert a second fetch above the first, one keystroke-sized change at a time.
    await lsp.change(uri, [{ range: { start: { line: 1, character: 0 }, end: { line: 1, character: 0 } }, text: '    home = fetch(root)\n' }]);
    const version = await lsp.change(uri, [{ range: { start: { line: 1, character: 4 }, end: { line: 1, character: 8 } }, text: 'index' }]);
    const lenses = await lsp.codeLenses(uri);
    assert.deepStrictEqual(
      lenses.filter((lens) => lens.command?.command === Commands.acceptSuggestion).map((lens) => [lens.range.start.line, lens.command?.arguments?.[0].version]),
      [
        [1, version],
        [3, version],
        [4, version],
      ],
    );
    assert.strictEqual(analyzer.opened, 1, 'the document was opened once');
    assert.strictEqual(analyzer.updates, 2, 'each didChange reached the incremental tree');
    assert.ok(analyzer.documents[0].text.startsWith('def run(urls):\n    index = fetch(root)\n'));
  });

  it('debounces diagnostics while typing and publishes the last version', async () => {
    const lsp = await start();
    await lsp.open(uri, 'python', source);
    await lsp.diagnosticsFor(uri, 1);
    let version = 1;
    for (const character of 'abc') {
      version = await lsp.change(uri, [{ range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } }, text: `# ${character}\n` }]);
    }
    const published = await lsp.diagnosticsFor(uri, version);
    assert.strictEqual(published.diagnostics[0].range.start.line, 7);
    assert.deepStrictEqual(
      lsp.diagnostics.filter((entry) => entry.uri === uri).map((entry) => entry.version),
      [1, version],
      'the intermediate versions were not analyzed for diagnostics',
    );
  });

  it('survives an analysis that throws: no lenses, an error in the log, and it recovers on the next edit', async () => {
    const lsp = await start();
    const broken = 'file:///workspace/broken.py';
    await lsp.open(broken, 'python', 'page = fetch(url)\nRAISE\n');
    assert.deepStrictEqual(await lsp.codeLenses(broken), []);
    assert.deepStrictEqual((await lsp.diagnosticsFor(broken, 1)).diagnostics, []);
    assert.ok(lsp.logs.some((log) => log.type === 1 && log.message.includes('the fake analyzer was told to fail')), JSON.stringify(lsp.logs));
    // Other documents are unaffected.
    await lsp.open(uri, 'python', source);
    assert.strictEqual((await lsp.codeLenses(uri)).length, 6);
    await lsp.change(broken, [{ range: { start: { line: 1, character: 0 }, end: { line: 1, character: 5 } }, text: '' }]);
    assert.strictEqual((await lsp.codeLenses(broken)).length, 3);
  });

  it('stays up, answering nothing, when the parsers cannot load, and says what to do', async () => {
    const lsp = await start({}, async () => {
      throw new Error('tree-sitter-python.wasm: ENOENT');
    });
    await lsp.open(uri, 'python', source);
    assert.deepStrictEqual(await lsp.codeLenses(uri), []);
    assert.deepStrictEqual((await lsp.diagnosticsFor(uri, 1)).diagnostics, []);
    const message = lsp.messages.find((shown) => shown.type === 1);
    assert.ok(message, 'an error message was shown');
    assert.match(message.message, /could not load its parsers \(tree-sitter-python\.wasm: ENOENT\).*Restart Language Helper/);
  });

  it('logs each analysis time only while tracing is on', async () => {
    const lsp = await start();
    await lsp.open(uri, 'python', source);
    await lsp.codeLenses(uri);
    assert.deepStrictEqual(lsp.traces, []);
    await lsp.connection.sendNotification(SetTraceNotification.type, { value: 'verbose' });
    await lsp.change(uri, [{ range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } }, text: '# traced\n' }]);
    await lsp.codeLenses(uri);
    assert.ok(lsp.traces.some((trace) => /^analysis of file:\/\/\/workspace\/monitor\.py v2: \d+\.\d\d ms$/.test(trace)), JSON.stringify(lsp.traces));
  });

  it('ignores languages it does not analyze', async () => {
    const lsp = await start();
    await lsp.open('file:///workspace/notes.txt', 'plaintext', source);
    assert.deepStrictEqual(await lsp.codeLenses('file:///workspace/notes.txt'), []);
    assert.strictEqual(analyzer.opened, 0);
  });

  it('skips documents too large to be hand-written workflows', async () => {
    const lsp = await start();
    const big = 'file:///workspace/bundle.js';
    await lsp.open(big, 'javascript', `page = fetch(url)\n${'x'.repeat(MAX_ANALYZED_CHARACTERS)}`);
    assert.deepStrictEqual(await lsp.codeLenses(big), []);
    assert.strictEqual(analyzer.opened, 0);
    assert.ok(lsp.logs.some((log) => log.message.includes('larger than')));
  });

  describe('settings', () => {
    it('drops a kind switched off, and asks the client to refresh lenses', async () => {
      const lsp = await start();
      await lsp.open(uri, 'python', source);
      assert.strictEqual((await lsp.codeLenses(uri)).length, 6);
      const refreshed = lsp.nextCodeLensRefresh();
      await lsp.changeSettings({ suggestions: { kinds: { dedupe: false } } });
      await refreshed;
      const lenses = await lsp.codeLenses(uri);
      assert.deepStrictEqual([...new Set(lenses.map((lens) => lens.command?.arguments?.[0].suggestionId))], ['change-detection:page = fetch(url)']);
    });

    it('uses the per-kind expiry in the lens title', async () => {
      const lsp = await start({ settings: { suggestions: { ttl: { 'change-detection': '2d' } } } });
      await lsp.open(uri, 'python', source);
      assert.strictEqual((await lsp.codeLenses(uri))[0].command?.title, 'Add memory: skip unchanged pages (change-detection · 2d)');
    });

    it('turns suggestions off but keeps hygiene diagnostics', async () => {
      const lsp = await start({ settings: { suggestions: { enabled: false } } });
      await lsp.open(uri, 'python', source);
      assert.deepStrictEqual(await lsp.codeLenses(uri), []);
      assert.strictEqual((await lsp.diagnosticsFor(uri, 1)).diagnostics.length, 1);
      const everything = { start: { line: 0, character: 0 }, end: { line: 9, character: 0 } };
      assert.deepStrictEqual((await lsp.codeActions(uri, everything)).map((action) => action.kind), ['quickfix']);
    });

    it('clears diagnostics when hygiene is turned off', async () => {
      const lsp = await start();
      await lsp.open(uri, 'python', source);
      assert.strictEqual((await lsp.diagnosticsFor(uri, 1)).diagnostics.length, 1);
      const next = lsp.nextDiagnostics(uri);
      await lsp.changeSettings({ hygiene: { enabled: false } });
      assert.deepStrictEqual((await next).diagnostics, []);
      assert.strictEqual((await lsp.codeLenses(uri)).length, 6);
    });

    it('turns a language off entirely', async () => {
      const lsp = await start({ settings: { suggestions: { languages: { python: false } } } });
      await lsp.open(uri, 'python', source);
      assert.deepStrictEqual(await lsp.codeLenses(uri), []);
      assert.deepStrictEqual((await lsp.diagnosticsFor(uri, 1)).diagnostics, []);
      await lsp.open('file:///workspace/job.ts', 'typescript', source);
      assert.strictEqual((await lsp.codeLenses('file:///workspace/job.ts')).length, 6);
    });

    it('warns once about an unusable value, naming the setting, and keeps the default', async () => {
      const lsp = await start({ settings: { suggestions: { ttl: { cache: '-5m' } } } });
      await lsp.open(uri, 'python', source);
      assert.strictEqual((await lsp.codeLenses(uri)).length, 6);
      await lsp.changeSettings({ suggestions: { ttl: { cache: '-5m' } } });
      await lsp.codeLenses(uri);
      const warnings = lsp.messages.filter((shown) => shown.type === 2);
      assert.strictEqual(warnings.length, 1, JSON.stringify(warnings));
      assert.match(warnings[0].message, /workflowMemory\.suggestions\.ttl\.cache is "-5m": use a duration above zero/);
    });

    it('reads settings pushed with the change notice from a client without workspace/configuration', async () => {
      const lsp = await start({ configurationSupport: false });
      await lsp.open(uri, 'python', source);
      assert.strictEqual((await lsp.codeLenses(uri)).length, 6);
      await lsp.connection.sendNotification('workspace/didChangeConfiguration', { settings: { workflowMemory: { suggestions: { kinds: { 'change-detection': false } } } } });
      assert.strictEqual((await lsp.codeLenses(uri)).length, 3);
      assert.strictEqual(lsp.configurationRequests, 0);
    });
  });

  describe('dismissals', () => {
    it('drops a dismissed suggestion for that document only, and asks for a lens refresh', async () => {
      const lsp = await start();
      const other = 'file:///workspace/other.py';
      await lsp.open(uri, 'python', source);
      await lsp.open(other, 'python', source);
      const refreshed = lsp.nextCodeLensRefresh();
      await lsp.connection.sendNotification(DISMISSED_NOTIFICATION, { dismissed: { [uri]: ['dedupe:send(page)'] } });
      await refreshed;
      assert.strictEqual((await lsp.codeLenses(uri)).length, 3);
      assert.strictEqual((await lsp.codeLenses(other)).length, 6);
      await lsp.connection.sendNotification(DISMISSED_NOTIFICATION, { dismissed: {} });
      assert.strictEqual((await lsp.codeLenses(uri)).length, 6);
    });

    it('takes the dismissals made before it started from the initialization options', async () => {
      const lsp = await start({ initializationOptions: { dismissed: { [uri]: ['change-detection:page = fetch(url)'] } } });
      await lsp.open(uri, 'python', source);
      assert.deepStrictEqual(
        (await lsp.codeLenses(uri)).map((lens) => lens.command?.arguments?.[0].suggestionId),
        ['dedupe:send(page)', 'dedupe:send(page)', 'dedupe:send(page)'],
      );
    });

    it('ignores a malformed dismissal notification', async () => {
      const lsp = await start();
      await lsp.open(uri, 'python', source);
      await lsp.connection.sendNotification(DISMISSED_NOTIFICATION, { dismissed: { [uri]: 'dedupe:send(page)' } });
      await lsp.connection.sendNotification(DISMISSED_NOTIFICATION, null);
      assert.strictEqual((await lsp.codeLenses(uri)).length, 6);
    });
  });

  it('frees the trees when a document closes and clears its diagnostics', async () => {
    const lsp = await start();
    await lsp.open(uri, 'python', source);
    await lsp.codeLenses(uri);
    // Wait for the (debounced) diagnostics of the open first, so the next ones are the close's.
    await lsp.diagnosticsFor(uri, 1);
    const cleared = lsp.nextDiagnostics(uri);
    await lsp.close(uri);
    assert.deepStrictEqual((await cleared).diagnostics, []);
    assert.strictEqual(analyzer.documents[0].disposed, true);
    assert.deepStrictEqual(await lsp.codeLenses(uri), []);
  });

  it('disposes the analyzer on shutdown', async () => {
    const lsp = await start();
    await lsp.open(uri, 'python', source);
    await lsp.codeLenses(uri);
    await lsp.shutdown();
    session = undefined;
    assert.strictEqual(analyzer.disposed, true);
  });
});
