// The language helper inside a real extension host: code lenses from the bundled server on a
// workflow file, Add memory (one undo step), Why?, Dismiss, diagnostics with a quick fix, bad
// command arguments, a restart by hand and recovery from a crashed server.
import * as assert from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import * as vscode from 'vscode';
import { createAnalyzer } from '../../../src/analysis';
import { Commands, EXTENSION_ID, Settings } from '../../../src/constants';
import type { WorkflowMemoryApi } from '../../../src/extension';
import type { AcceptSuggestionArgs, DismissSuggestionArgs, ExplainSuggestionArgs } from '../../../src/server/protocol';
import { FETCH_LINE, monitorPy, noExpiryPy } from '../../support/workflowSamples';

const SLOW = 30000;

function workspaceDir(): string {
  const dir = process.env.WM_TEST_WORKSPACE ?? vscode.workspace.workspaceFolders?.[0]?.uri.fsPath;
  assert.ok(dir, 'the tests need a workspace folder');
  return dir;
}

/** Copies a source into the test workspace under a fresh name and opens it in an editor. */
async function openWorkflow(name: string, text: string): Promise<vscode.TextEditor> {
  const file = path.join(workspaceDir(), 'helper', name);
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, text);
  const document = await vscode.workspace.openTextDocument(file);
  return vscode.window.showTextDocument(document);
}

async function waitFor<T>(what: string, probe: () => Promise<T | undefined>, timeoutMs = 20000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: T | undefined;
  while (Date.now() < deadline) {
    last = await probe();
    if (last !== undefined) return last;
    await new Promise((resolve) => setTimeout(resolve, 150));
  }
  throw new Error(`Timed out waiting for ${what}`);
}

async function lenses(uri: vscode.Uri): Promise<vscode.CodeLens[]> {
  return (await vscode.commands.executeCommand<vscode.CodeLens[]>('vscode.executeCodeLensProvider', uri)) ?? [];
}

function argsOf<T>(lens: vscode.CodeLens): T {
  return lens.command?.arguments?.[0] as T;
}

/** The Add memory lens of the change-detection suggestion on the fetch line, once the server has answered. */
function changeDetectionLens(uri: vscode.Uri): Promise<vscode.CodeLens> {
  return waitFor('the change-detection lens', async () =>
    (await lenses(uri)).find((lens) => lens.command?.command === Commands.acceptSuggestion && lens.command.title.includes('(change-detection · 30d)')),
  );
}

function lensesOfSuggestion(all: vscode.CodeLens[], suggestionId: string): vscode.CodeLens[] {
  return all.filter((lens) => argsOf<{ suggestionId?: string }>(lens)?.suggestionId === suggestionId);
}

/** Process ids of the helper servers the extension host started (Linux /proc). */
function helperServerPids(): number[] {
  return fs
    .readdirSync('/proc')
    .filter((entry) => /^\d+$/.test(entry))
    .filter((pid) => {
      try {
        const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
        const parent = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
        return parent === process.pid && fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8').includes(path.join('dist', 'server.js'));
      } catch {
        return false;
      }
    })
    .map(Number);
}

describe('language helper (code lenses, commands, diagnostics)', function () {
  this.timeout(SLOW);
  let api: WorkflowMemoryApi;

  before(async () => {
    const extension = vscode.extensions.getExtension<WorkflowMemoryApi>(EXTENSION_ID);
    assert.ok(extension, `${EXTENSION_ID} is not installed`);
    api = await extension.activate();
  });

  afterEach(async () => {
    for (const document of vscode.workspace.textDocuments) if (document.isDirty) await document.save();
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
  });

  it('shows Add memory · Why? · Dismiss above the fetch of a page monitor', async () => {
    const editor = await openWorkflow('page_monitor.py', monitorPy);
    const accept = await changeDetectionLens(editor.document.uri);
    assert.strictEqual(accept.range.start.line, FETCH_LINE);
    assert.match(accept.command?.title ?? '', /^Add memory: .+ \(change-detection · 30d\)$/);
    const siblings = lensesOfSuggestion(await lenses(editor.document.uri), argsOf<AcceptSuggestionArgs>(accept).suggestionId);
    assert.deepStrictEqual(
      siblings.map((lens) => lens.command?.command),
      [Commands.acceptSuggestion, Commands.explainSuggestion, Commands.dismissSuggestion],
    );
    assert.deepStrictEqual(siblings.slice(1).map((lens) => lens.command?.title), ['Why?', 'Dismiss']);
  });

  it('Why? returns the explanation without waiting for the notification', async () => {
    const editor = await openWorkflow('page_monitor_why.py', monitorPy);
    const accept = await changeDetectionLens(editor.document.uri);
    const why = lensesOfSuggestion(await lenses(editor.document.uri), argsOf<AcceptSuggestionArgs>(accept).suggestionId)[1];
    const explanation = await vscode.commands.executeCommand<string>(Commands.explainSuggestion, ...(why.command?.arguments ?? []));
    assert.strictEqual(explanation, argsOf<ExplainSuggestionArgs>(why).explanation);
    assert.ok(explanation.length > 20, explanation);
  });

  it('Add memory inserts the code as one undo step, and the result parses', async () => {
    const editor = await openWorkflow('page_monitor_accept.py', monitorPy);
    const document = editor.document;
    const accept = await changeDetectionLens(document.uri);
    const applied = await vscode.commands.executeCommand<boolean>(Commands.acceptSuggestion, ...(accept.command?.arguments ?? []));
    assert.strictEqual(applied, true);
    const text = document.getText();
    assert.notStrictEqual(text, monitorPy);
    assert.match(text, /async with redis_client\(\) as \(redis, ns\):/);
    assert.match(text, /ex=30 \* 86400/);
    const analyzer = await createAnalyzer();
    try {
      assert.ok(analyzer.parsesCleanly(text, 'python'), `the accepted code parses:\n${text}`);
    } finally {
      analyzer.dispose();
    }
    // The site is guarded now: its suggestion goes away.
    await waitFor('the accepted suggestion to disappear', async () =>
      lensesOfSuggestion(await lenses(document.uri), argsOf<AcceptSuggestionArgs>(accept).suggestionId).length === 0 ? true : undefined,
    );
    await vscode.commands.executeCommand('undo');
    assert.strictEqual(document.getText(), monitorPy, 'one undo restores the file');
  });

  it('Add memory refuses edits made for an older version when the suggestion is gone, and changes nothing', async () => {
    const editor = await openWorkflow('page_monitor_stale.py', monitorPy);
    const document = editor.document;
    const accept = await changeDetectionLens(document.uri);
    const stale = { ...argsOf<AcceptSuggestionArgs>(accept), suggestionId: 'change-detection:no-longer-there' };
    await editor.edit((builder) => builder.insert(new vscode.Position(0, 0), '# edited\n'));
    const before = document.getText();
    const shown = api.notifications.history.length;
    assert.strictEqual(await vscode.commands.executeCommand<boolean>(Commands.acceptSuggestion, stale), false);
    assert.strictEqual(document.getText(), before);
    const message = api.notifications.history.slice(shown).find((entry) => entry.level === 'warning');
    assert.ok(message, 'a warning was shown');
    assert.match(message.message, /file changed.*nothing was changed/i);
  });

  it('Add memory on an older version applies the same suggestion recomputed for the current text', async () => {
    const editor = await openWorkflow('page_monitor_moved.py', monitorPy);
    const document = editor.document;
    const accept = await changeDetectionLens(document.uri);
    await editor.edit((builder) => builder.insert(new vscode.Position(0, 0), '# moved down a line\n'));
    assert.strictEqual(await vscode.commands.executeCommand<boolean>(Commands.acceptSuggestion, argsOf<AcceptSuggestionArgs>(accept)), true);
    // The comment typed meanwhile stays first; the standard-library import goes above the third-party one.
    assert.ok(document.getText().startsWith('# moved down a line\nimport hashlib\n\nimport httpx\n'), document.getText());
    assert.match(document.getText(), /async with redis_client\(\) as \(redis, ns\):/);
  });

  it('Dismiss removes the lens and keeps it away', async () => {
    const editor = await openWorkflow('page_monitor_dismiss.py', monitorPy);
    const uri = editor.document.uri;
    const accept = await changeDetectionLens(uri);
    const suggestionId = argsOf<AcceptSuggestionArgs>(accept).suggestionId;
    const dismiss = lensesOfSuggestion(await lenses(uri), suggestionId)[2];
    assert.strictEqual(argsOf<DismissSuggestionArgs>(dismiss).suggestionId, suggestionId);
    assert.strictEqual(await vscode.commands.executeCommand<boolean>(Commands.dismissSuggestion, ...(dismiss.command?.arguments ?? [])), true);
    await waitFor('the dismissed lens to disappear', async () => (lensesOfSuggestion(await lenses(uri), suggestionId).length === 0 ? true : undefined));
    // An edit elsewhere re-analyzes the file; the dismissal holds.
    await editor.edit((builder) => builder.insert(new vscode.Position(0, 0), '# still dismissed\n'));
    await new Promise((resolve) => setTimeout(resolve, 300));
    assert.deepStrictEqual(lensesOfSuggestion(await lenses(uri), suggestionId), []);
  });

  it('shows the missing-expiry diagnostic in Problems, with a quick fix', async () => {
    const editor = await openWorkflow('digest_store.py', noExpiryPy);
    const uri = editor.document.uri;
    const diagnostic = await waitFor('the write-without-expiry diagnostic', async () =>
      vscode.languages.getDiagnostics(uri).find((candidate) => candidate.source === 'Workflow Memory' && String(candidate.code) === 'write-without-expiry'),
    );
    assert.strictEqual(diagnostic.range.start.line, 5);
    const actions =
      (await vscode.commands.executeCommand<vscode.CodeAction[]>('vscode.executeCodeActionProvider', uri, diagnostic.range, vscode.CodeActionKind.QuickFix.value)) ?? [];
    // (vscode.executeCodeActionProvider drops the linked diagnostics; the LSP tests check the link.)
    const fix = actions.find((action) => action.kind?.value === vscode.CodeActionKind.QuickFix.value && /expiry/i.test(action.title));
    assert.ok(fix?.edit, `a quick fix among ${JSON.stringify(actions.map((action) => action.title))}`);
    assert.ok(await vscode.workspace.applyEdit(fix.edit));
    assert.match(editor.document.lineAt(5).text, /\bex=/);
    await waitFor('the diagnostic to clear', async () =>
      vscode.languages.getDiagnostics(uri).some((candidate) => String(candidate.code) === 'write-without-expiry') ? undefined : true,
    );
  });

  it('follows the settings: a kind switched off loses its lenses', async () => {
    const editor = await openWorkflow('page_monitor_settings.py', monitorPy);
    const uri = editor.document.uri;
    await changeDetectionLens(uri);
    const configuration = vscode.workspace.getConfiguration(Settings.section);
    await configuration.update(Settings.suggestionKinds, { 'change-detection': false }, vscode.ConfigurationTarget.Workspace);
    try {
      await waitFor('the change-detection lens to go', async () =>
        (await lenses(uri)).some((lens) => lens.command?.title.includes('change-detection')) ? undefined : true,
      );
    } finally {
      await configuration.update(Settings.suggestionKinds, undefined, vscode.ConfigurationTarget.Workspace);
    }
    await changeDetectionLens(uri);
  });

  it('answers bad command arguments with a message and changes nothing', async () => {
    const editor = await openWorkflow('page_monitor_bad_args.py', monitorPy);
    await changeDetectionLens(editor.document.uri);
    const shown = api.notifications.history.length;
    assert.strictEqual(await vscode.commands.executeCommand(Commands.acceptSuggestion), false);
    assert.strictEqual(await vscode.commands.executeCommand(Commands.acceptSuggestion, { uri: editor.document.uri.toString(), edits: 'x' }), false);
    assert.strictEqual(await vscode.commands.executeCommand(Commands.explainSuggestion, 42), undefined);
    assert.strictEqual(await vscode.commands.executeCommand(Commands.dismissSuggestion, { suggestionId: '' }), false);
    assert.strictEqual(editor.document.getText(), monitorPy);
    assert.strictEqual(api.notifications.history.slice(shown).filter((entry) => entry.level === 'warning').length, 4);
  });

  it('restarts the helper by hand and serves lenses again, keeping dismissals', async () => {
    const dismissedIn = (await openWorkflow('page_monitor_restart_dismissed.py', monitorPy)).document.uri;
    const dismiss = await changeDetectionLens(dismissedIn);
    const dismissArgs: DismissSuggestionArgs = { uri: dismissedIn.toString(), suggestionId: argsOf<AcceptSuggestionArgs>(dismiss).suggestionId, kind: 'change-detection' };
    assert.strictEqual(await vscode.commands.executeCommand<boolean>(Commands.dismissSuggestion, dismissArgs), true);
    const editor = await openWorkflow('page_monitor_restart.py', monitorPy);
    await changeDetectionLens(editor.document.uri);
    assert.strictEqual(await vscode.commands.executeCommand<boolean>(Commands.restartHelper), true);
    await changeDetectionLens(editor.document.uri);
    // The restarted server learned the dismissal from the workspace state.
    assert.deepStrictEqual(lensesOfSuggestion(await lenses(dismissedIn), dismissArgs.suggestionId), []);
  });

  it('restarts a crashed server and reports it once', async function () {
    // Finding the server process needs Linux's /proc; elsewhere this case cannot be set up.
    if (!fs.existsSync('/proc/self/stat')) this.skip();
    const editor = await openWorkflow('page_monitor_crash.py', monitorPy);
    await changeDetectionLens(editor.document.uri);
    const [pid] = helperServerPids();
    assert.ok(pid, 'the helper server runs as a child of the extension host');
    const shown = api.notifications.history.length;
    process.kill(pid, 'SIGKILL');
    await waitFor('a new server process', async () => {
      const pids = helperServerPids();
      return pids.length > 0 && !pids.includes(pid) ? true : undefined;
    });
    await changeDetectionLens(editor.document.uri);
    const reports = api.notifications.history.slice(shown).filter((entry) => /stopped unexpectedly/.test(entry.message));
    assert.strictEqual(reports.length, 1, JSON.stringify(api.notifications.history.slice(shown)));
  });
});
