// The memory browser in a real extension host against a real redis-server: the tree shows what a
// test wrote, keys carry type and countdown, values open as documents, the view pages and filters,
// and a lost Redis shows as an error node.
import * as assert from 'assert';
import type Redis from 'ioredis';
import * as vscode from 'vscode';
import { Commands, KEYS_VIEW_ID, VALUE_URI_SCHEME } from '../../../src/constants';
import { Api, labels, Node, run, setSetting, testRedisUrl, treeChildren, useFreshNamespaceEachTest, waitFor } from './memoryBrowserKit';

describe('memory browser', function () {
  this.timeout(30000);
  let api: Api;
  let redis: Redis;
  let ns: string;

  useFreshNamespaceEachTest('tree', {
    ready: (activated, client) => ([api, redis] = [activated, client]),
    namespace: (fresh) => (ns = fresh),
    resetAfter: ['view.pageSize'],
    after: () => vscode.commands.executeCommand('workbench.action.closeAllEditors'),
  });

  it('connects to the configured Redis on activation and says so in the status bar', async () => {
    const port = new URL(testRedisUrl()).port;
    assert.strictEqual(api.connection.state, 'connected');
    await waitFor('the status bar text', () => api.statusBar.text === `$(database) Redis 127.0.0.1:${port} db0`);
  });

  it('shows the keys a test wrote, grouped on the delimiter, with counts', async () => {
    await redis.set(`${ns}:monitor:site1:last`, 'a', 'EX', 6 * 86400 + 3 * 3600);
    await redis.set(`${ns}:monitor:site2:last`, 'b', 'EX', 3600);
    await redis.set(`${ns}:chat:42`, 'hello');
    await redis.hset(`${ns}:prefs`, 'lang', 'en');
    await redis.set(`${ns}x:lookalike`, 'not in the namespace');

    const [root] = (await api.memoryTree.childrenWhenSettled()) as Node[];
    assert.strictEqual(root.kind, 'connection');
    assert.strictEqual(root.contextValue, 'connection');
    assert.match(String(root.description), new RegExp(`db0 · ${ns}:`));

    const top = await treeChildren(api);
    assert.deepStrictEqual(labels(top), ['group:chat', 'group:monitor', 'key:prefs']);
    assert.strictEqual(top[1].description, '2 keys');
    assert.strictEqual(top[0].description, '1 key');
    assert.strictEqual(top[1].contextValue, 'memoryGroup');

    const prefs = top[2];
    assert.match(String(prefs.description), /^hash · ⚠ never expires$/);
    assert.strictEqual(prefs.contextValue, 'memoryKey:hash:persistent');

    const sites = await treeChildren(api, 'monitor');
    assert.deepStrictEqual(labels(sites), ['group:site1', 'group:site2']);
    const [last] = await treeChildren(api, 'monitor', 'site1');
    assert.strictEqual(last.label, 'last');
    assert.match(String(last.description), /^string · expires in (6d 3h|6d 2h)$/);
    assert.strictEqual(last.contextValue, 'memoryKey:string:volatile');
    const tooltip = (last.tooltip as vscode.MarkdownString).value;
    assert.ok(tooltip.includes(`${ns}:monitor:site1:last`), tooltip);
    assert.match(tooltip, /Type: string/);
    assert.match(tooltip, /Expires: \d{4}-\d\d-\d\d \d\d:\d\d:\d\d/);
    assert.match(tooltip, /Size: \d+ B \(MEMORY USAGE\)/);
    assert.match(tooltip, /Encoding: \w+/);
  });

  it('keeps the countdown live without asking Redis again, and drops expired keys on refresh', async () => {
    await vscode.commands.executeCommand(`${KEYS_VIEW_ID}.focus`);
    await redis.set(`${ns}:short`, 'x', 'PX', 2500);
    const [short] = await treeChildren(api);
    const first = String(short.description);
    assert.match(first, /expires in [12]s|expires in under 1s/);
    await waitFor('the countdown to tick', () => String(short.description) !== first, 4000);
    await new Promise((resolve) => setTimeout(resolve, 2600));
    assert.match(String(short.description), /expired/);
    await run(Commands.refresh);
    assert.deepStrictEqual(await treeChildren(api), [], 'an empty namespace leaves the tree empty for the welcome text');
  });

  it('opens a JSON value as a read-only, pretty-printed JSON document', async () => {
    await redis.set(`${ns}:monitor:state`, '{"hash":"abc","seen":[1,2]}', 'EX', 600);
    const result = await run<{ ok: boolean; uri: string; language: string }>(Commands.openValue, { key: `${ns}:monitor:state` });
    assert.ok(result.ok, JSON.stringify(result));
    assert.strictEqual(result.language, 'json');
    const editor = vscode.window.activeTextEditor;
    assert.ok(editor, 'an editor is open');
    assert.strictEqual(editor.document.uri.scheme, VALUE_URI_SCHEME);
    assert.strictEqual(editor.document.languageId, 'json');
    assert.strictEqual(editor.document.getText(), JSON.stringify({ hash: 'abc', seen: [1, 2] }, null, 2));
    // A content-provider document cannot be saved back: there is no file system for the scheme.
    assert.strictEqual(editor.document.isUntitled, false);
  });

  it('opens a value from its tree node, and round-trips a binary key through the URI', async () => {
    const key = Buffer.concat([Buffer.from(`${ns}:bin:`), Buffer.from([0xff, 0x00, 0x2f, 0x3f])]);
    await redis.set(key, 'binary-safe', 'EX', 600);
    const [node] = await treeChildren(api, 'bin');
    assert.strictEqual(node.label, '\\xff\\x00/?');
    const result = await run<{ ok: boolean; uri: string }>(Commands.openValue, node);
    assert.ok(result.ok, JSON.stringify(result));
    assert.strictEqual(vscode.window.activeTextEditor?.document.getText(), 'binary-safe');
    const encoded = new URLSearchParams(vscode.Uri.parse(result.uri).query).get('key');
    assert.deepStrictEqual(Buffer.from(encoded!, 'base64url'), key);
  });

  it('previews a value over the size limit instead of loading it whole', async () => {
    await redis.set(`${ns}:big`, 'x'.repeat(2 * 1024 * 1024), 'EX', 600);
    const result = await run<{ ok: boolean }>(Commands.openValue, { key: `${ns}:big` });
    assert.ok(result.ok);
    const text = vscode.window.activeTextEditor!.document.getText();
    assert.ok(text.length < 1.5 * 1024 * 1024, `loaded ${text.length} characters`);
    assert.match(text, /Showing the first 1 MB of 2 MB/);
  });

  it('pages a level with "Load more…" beyond view.pageSize', async () => {
    await setSetting('view.pageSize', 10);
    const pipeline = redis.pipeline();
    for (let index = 0; index < 25; index++) pipeline.set(`${ns}:many:k${String(index).padStart(2, '0')}`, index, 'EX', 600);
    await pipeline.exec();
    let nodes = await treeChildren(api, 'many');
    assert.strictEqual(nodes.filter((node) => node.kind === 'key').length, 10);
    const more = nodes[nodes.length - 1];
    assert.strictEqual(more.kind, 'loadMore');
    assert.strictEqual(more.label, 'Load more…');
    const result = await run<{ ok: boolean }>(Commands.loadMore, more);
    assert.ok(result.ok);
    nodes = (await api.memoryTree.childrenWhenSettled(((await treeChildren(api)) as Node[]).find((node) => node.label === 'many') as never)) as Node[];
    assert.strictEqual(nodes.filter((node) => node.kind === 'key').length, 20);
    await setSetting('view.pageSize', undefined);
  });

  it('filters keys, shows the filter in the view description, and clears it', async () => {
    await redis.set(`${ns}:monitor:a:last`, '1', 'EX', 600);
    await redis.set(`${ns}:monitor:a:first`, '1', 'EX', 600);
    await redis.set(`${ns}:chat:a:last`, '1', 'EX', 600);
    const filtered = await run<{ ok: boolean; filter: string }>(Commands.filter, { pattern: 'last' });
    assert.ok(filtered.ok);
    assert.strictEqual(api.memoryTree.view.description, 'filter: last');
    assert.deepStrictEqual(labels(await treeChildren(api)), ['group:chat', 'group:monitor']);
    assert.deepStrictEqual(labels(await treeChildren(api, 'monitor', 'a')), ['key:last']);
    await run(Commands.clearFilter);
    assert.strictEqual(api.memoryTree.view.description, undefined);
    assert.deepStrictEqual(labels(await treeChildren(api, 'monitor', 'a')), ['key:first', 'key:last']);
  });

  it('shows an unreachable Redis as an error node with Retry, then reconnects', async () => {
    const before = api.notifications.history.length;
    const failed = await run<{ ok: boolean; error: string }>(Commands.connect, { url: 'redis://127.0.0.1:1' });
    try {
      assert.strictEqual(failed.ok, false);
      assert.match(failed.error, /Cannot reach Redis at 127\.0\.0\.1:1/);
      assert.ok(api.notifications.history.slice(before).some((note) => note.level === 'error' && note.message === failed.error));
      assert.strictEqual(api.connection.state, 'error');
      const [errorNode] = (await api.memoryTree.childrenWhenSettled()) as Node[];
      assert.strictEqual(errorNode.contextValue, 'connectionError');
      assert.match(String(errorNode.label), /Cannot reach Redis/);
      assert.strictEqual(errorNode.command?.command, Commands.retry);
      assert.match(api.statusBar.text, /^\$\(error\) Redis 127\.0\.0\.1:1/);
    } finally {
      const restored = await run<{ ok: boolean }>(Commands.connect, { url: testRedisUrl() });
      assert.ok(restored.ok, JSON.stringify(restored));
    }
    assert.strictEqual(api.connection.state, 'connected');
  });

  it('keeps a password out of settings, messages and the log', async () => {
    const before = api.notifications.history.length;
    const secret = 'hunter2-do-not-show';
    const failed = await run<{ ok: boolean; error: string }>(Commands.connect, { url: `redis://someone:${secret}@127.0.0.1:1` });
    try {
      assert.strictEqual(failed.ok, false);
      const shown = JSON.stringify(api.notifications.history.slice(before));
      assert.ok(!shown.includes(secret), shown);
      const settings = JSON.stringify(vscode.workspace.getConfiguration('workflowMemory'));
      assert.ok(!settings.includes(secret), 'the password ended up in settings');
      assert.strictEqual(vscode.workspace.getConfiguration('workflowMemory').inspect('redis.url')?.globalValue, 'redis://127.0.0.1:1');
    } finally {
      await setSetting('redis.username', undefined);
      const restored = await run<{ ok: boolean }>(Commands.connect, { url: testRedisUrl(), username: '' });
      assert.ok(restored.ok, JSON.stringify(restored));
    }
  });

  it('explains a wrong password for an ACL user without showing it', async () => {
    await redis.call('ACL', 'SETUSER', 'wm-acl-user', 'on', '>right-password', '~*', '+@all');
    const before = api.notifications.history.length;
    const failed = await run<{ ok: boolean; error: string }>(Commands.connect, { url: testRedisUrl(), username: 'wm-acl-user', password: 'wrong-password' });
    try {
      assert.strictEqual(failed.ok, false);
      assert.match(failed.error, /refused the user name or password/);
      assert.ok(!JSON.stringify(api.notifications.history.slice(before)).includes('wrong-password'));
    } finally {
      const restored = await run<{ ok: boolean }>(Commands.connect, { url: testRedisUrl(), username: '' });
      assert.ok(restored.ok, JSON.stringify(restored));
      await redis.call('ACL', 'DELUSER', 'wm-acl-user');
    }
  });
});
