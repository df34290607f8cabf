// The extension is installed in the host, activates, and registers its view and every command
// that package.json promises.
import * as assert from 'assert';
import * as vscode from 'vscode';
import { Commands, EXTENSION_ID, KEYS_VIEW_ID, VIEW_CONTAINER_ID } from '../../../src/constants';

interface ContributedCommand {
  command: string;
}

describe('activation', () => {
  let extension: vscode.Extension<unknown>;

  before(async () => {
    const found = vscode.extensions.getExtension(EXTENSION_ID);
    assert.ok(found, `extension ${EXTENSION_ID} is not installed in the extension host`);
    extension = found;
    await extension.activate();
  });

  it('activates', () => {
    assert.strictEqual(extension.isActive, true);
  });

  it('registers every command contributed in package.json', async () => {
    const contributed: ContributedCommand[] = extension.packageJSON.contributes.commands;
    const registered = new Set(await vscode.commands.getCommands(true));
    const missing = contributed.map((entry) => entry.command).filter((id) => !registered.has(id));
    assert.deepStrictEqual(missing, [], `commands in package.json but not registered: ${missing.join(', ')}`);
  });

  it('has the same command ids in package.json and src/constants.ts', () => {
    const contributed = (extension.packageJSON.contributes.commands as ContributedCommand[]).map((entry) => entry.command).sort();
    assert.deepStrictEqual(contributed, Object.values(Commands).slice().sort());
  });

  it('contributes the Workflow Memory view container and its keys view', async () => {
    const containers: { id: string; title: string }[] = extension.packageJSON.contributes.viewsContainers.activitybar;
    assert.ok(containers.some((container) => container.id === VIEW_CONTAINER_ID && container.title === 'Workflow Memory'));
    const views: { id: string; name: string }[] = extension.packageJSON.contributes.views[VIEW_CONTAINER_ID];
    assert.ok(views.some((view) => view.id === KEYS_VIEW_ID && view.name === 'Memory Keys'));
    // The workbench registers `<view id>.focus` only for a view it knows; focusing it resolves the view.
    const registered = new Set(await vscode.commands.getCommands(true));
    assert.ok(registered.has(`${KEYS_VIEW_ID}.focus`), `view ${KEYS_VIEW_ID} is not registered in the workbench`);
    await vscode.commands.executeCommand(`${KEYS_VIEW_ID}.focus`);
  });
});
