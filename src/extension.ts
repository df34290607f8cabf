// Entry point: build the services, register everything, start the language helper. Every
// disposable goes into context.subscriptions; an activation failure is shown, not swallowed.
import * as vscode from 'vscode';
import { startLanguageHelper } from './languageHelper/client';
import { createMemoryBrowser, MemoryBrowser } from './memoryBrowser';
import { Notifier } from './notify';

/** What activate() returns: the services, for tests and for other extensions. */
export interface WorkflowMemoryApi {
  memoryTree: MemoryBrowser['tree'];
  connection: MemoryBrowser['connection'];
  config: MemoryBrowser['config'];
  values: MemoryBrowser['values'];
  notifications: Notifier;
  statusBar: MemoryBrowser['statusBar'];
}

export function activate(context: vscode.ExtensionContext): WorkflowMemoryApi {
  const notify = new Notifier();
  context.subscriptions.push(notify);
  try {
    const browser = createMemoryBrowser(context, notify);
    Promise.resolve(startLanguageHelper(context, { messages: notify })).catch((error: unknown) => {
      void notify.error(`The Workflow Memory language helper did not start: ${error instanceof Error ? error.message : String(error)}`);
    });
    return {
      memoryTree: browser.tree,
      connection: browser.connection,
      config: browser.config,
      values: browser.values,
      notifications: notify,
      statusBar: browser.statusBar,
    };
  } catch (error) {
    void vscode.window.showErrorMessage(`Workflow Memory could not start: ${error instanceof Error ? error.message : String(error)}`);
    throw error;
  }
}

export function deactivate(): void {
  // Everything is in context.subscriptions.
}
