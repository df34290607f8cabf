// Restricted Mode: a cloned repository's workspace settings must not point the extension at
// another server, another namespace or out of read-only mode. code-server runs these tests with
// workspace trust turned off, so the Config sees an untrusted workspace through its injected check.
// The "other" server is a closed loopback port: the running extension may try it meanwhile.
import * as assert from 'assert';
import * as vscode from 'vscode';
import { Config } from '../../../src/config';
import { Settings } from '../../../src/constants';

describe('workspace trust: an untrusted workspace', function () {
  this.timeout(20000);
  const section = () => vscode.workspace.getConfiguration(Settings.section);
  const workspaceValues: Array<[string, unknown]> = [
    [Settings.redisUrl, 'redis://127.0.0.9:1'],
    [Settings.redisUsername, 'someone-else'],
    [Settings.redisDb, 7],
    [Settings.namespace, 'other-namespace'],
    [Settings.readOnly, false],
  ];
  const saved: Array<[string, unknown]> = [];

  before(async () => {
    for (const [key, value] of workspaceValues) {
      saved.push([key, section().inspect(key)?.workspaceValue]);
      await section().update(key, value, vscode.ConfigurationTarget.Workspace);
    }
  });
  after(async () => {
    for (const [key, value] of saved) await section().update(key, value, vscode.ConfigurationTarget.Workspace);
  });

  it('ignores connection settings from the workspace and refuses writes', () => {
    const untrusted = new Config(() => false);
    try {
      assert.notStrictEqual(untrusted.redisUrl, 'redis://127.0.0.9:1');
      assert.notStrictEqual(untrusted.connection.username, 'someone-else');
      assert.notStrictEqual(untrusted.connection.db, 7);
      assert.notStrictEqual(untrusted.namespace, 'other-namespace');
      assert.strictEqual(untrusted.readOnly, true);
      assert.match(untrusted.readOnlyReason ?? '', /not trusted/);
    } finally {
      untrusted.dispose();
    }
  });

  it('uses them once the workspace is trusted', () => {
    const trusted = new Config(() => true);
    try {
      assert.strictEqual(trusted.redisUrl, 'redis://127.0.0.9:1');
      assert.strictEqual(trusted.connection.username, 'someone-else');
      assert.strictEqual(trusted.connection.db, 7);
      assert.strictEqual(trusted.namespace, 'other-namespace');
      assert.strictEqual(trusted.readOnly, false);
      assert.strictEqual(trusted.readOnlyReason, undefined);
    } finally {
      trusted.dispose();
    }
  });
});
