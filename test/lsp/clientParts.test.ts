// The client-side pieces that need no VS Code: the crash restart policy, the persisted dismissals
// and the checks on command arguments.
import * as assert from 'assert';
import { WorkspaceStateKeys } from '../../src/constants';
import { isAcceptArgs, isDismissArgs, isExplainArgs } from '../../src/languageHelper/commandArguments';
import { DismissedSuggestions, type StateStore } from '../../src/languageHelper/dismissedSuggestions';
import { RestartPolicy } from '../../src/languageHelper/restartPolicy';

/** A Memento kept in memory, as VS Code's workspaceState would keep it (values round-trip through JSON). */
class InMemoryMemento implements StateStore {
  readonly values = new Map<string, string>();
  get<T>(key: string): T | undefined {
    const value = this.values.get(key);
    return value === undefined ? undefined : (JSON.parse(value) as T);
  }
  update(key: string, value: unknown): Thenable<void> {
    this.values.set(key, JSON.stringify(value));
    return Promise.resolve();
  }
}

describe('RestartPolicy', () => {
  it('restarts a few times within the window, then stops until reset', () => {
    let now = 0;
    const policy = new RestartPolicy(2, 1000, () => now);
    assert.strictEqual(policy.crashed(), true);
    now = 100;
    assert.strictEqual(policy.crashed(), true);
    now = 200;
    assert.strictEqual(policy.crashed(), false);
    policy.reset();
    assert.strictEqual(policy.crashed(), true);
  });

  it('forgets crashes older than the window', () => {
    let now = 0;
    const policy = new RestartPolicy(1, 1000, () => now);
    assert.strictEqual(policy.crashed(), true);
    now = 1500;
    assert.strictEqual(policy.crashed(), true);
  });
});

describe('DismissedSuggestions', () => {
  it('persists ids per document and removes them again', async () => {
    const state = new InMemoryMemento();
    const dismissed = new DismissedSuggestions(state);
    assert.strictEqual(await dismissed.add('file:///a.py', 'cache:1'), true);
    assert.strictEqual(await dismissed.add('file:///a.py', 'cache:1'), false);
    await dismissed.add('file:///b.py', 'dedupe:2');
    // A new instance over the same state sees them: they survive a reload.
    const reloaded = new DismissedSuggestions(state);
    assert.deepStrictEqual(reloaded.all(), { 'file:///a.py': ['cache:1'], 'file:///b.py': ['dedupe:2'] });
    assert.strictEqual(reloaded.has('file:///a.py', 'cache:1'), true);
    assert.strictEqual(reloaded.has('file:///b.py', 'cache:1'), false);
    assert.strictEqual(await reloaded.remove('file:///a.py', 'cache:1'), true);
    assert.strictEqual(await reloaded.remove('file:///a.py', 'cache:1'), false);
    assert.deepStrictEqual(reloaded.all(), { 'file:///b.py': ['dedupe:2'] });
  });

  it('reads a corrupted stored value as nothing dismissed and keeps the valid parts', async () => {
    const state = new InMemoryMemento();
    await state.update(WorkspaceStateKeys.dismissedSuggestions, ['not', 'a', 'map']);
    assert.deepStrictEqual(new DismissedSuggestions(state).all(), {});
    await state.update(WorkspaceStateKeys.dismissedSuggestions, { 'file:///a.py': ['ok', 3, ''], 'file:///b.py': 'x' });
    assert.deepStrictEqual(new DismissedSuggestions(state).all(), { 'file:///a.py': ['ok'] });
  });
});

describe('suggestion command arguments', () => {
  const edit = { range: { start: { line: 1, character: 0 }, end: { line: 1, character: 0 } }, newText: 'x\n' };
  const accept = { uri: 'file:///a.py', suggestionId: 'cache:1', version: 3, edits: [edit] };

  it('accepts what the server puts in its lenses', () => {
    assert.ok(isAcceptArgs(accept));
    assert.ok(isExplainArgs({ uri: accept.uri, suggestionId: 'cache:1', kind: 'cache', explanation: 'Because.', accept }));
    assert.ok(isDismissArgs({ uri: accept.uri, suggestionId: 'cache:1', kind: 'cache' }));
  });

  it('refuses anything else', () => {
    for (const bad of [
      undefined,
      null,
      'file:///a.py',
      [],
      {},
      { ...accept, version: '3' },
      { ...accept, version: 1.5 },
      { ...accept, edits: [] },
      { ...accept, edits: [{ ...edit, newText: 1 }] },
      { ...accept, edits: [{ ...edit, range: { start: { line: -1, character: 0 }, end: { line: 1, character: 0 } } }] },
      { ...accept, uri: '' },
    ]) {
      assert.strictEqual(isAcceptArgs(bad), false, JSON.stringify(bad));
    }
    assert.strictEqual(isDismissArgs({ uri: 'file:///a.py', suggestionId: 'x', kind: 'memo' }), false);
    assert.strictEqual(isExplainArgs({ uri: 'file:///a.py', suggestionId: 'x', kind: 'cache', explanation: 'Because.' }), false);
  });
});
