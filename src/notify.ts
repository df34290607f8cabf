// Every user-facing message goes through here: one place that keeps secrets out of messages and
// logs, and that tests observe (through the extension's API) instead of patching vscode.window.
import * as vscode from 'vscode';
import { redactSecrets } from './memory/errors';

export type NotificationLevel = 'info' | 'warning' | 'error';

export interface Notification {
  level: NotificationLevel;
  message: string;
  /** The buttons offered with it (e.g. "Undo"), when any. */
  actions?: string[];
}

export class Notifier implements vscode.Disposable {
  private readonly notified = new vscode.EventEmitter<Notification>();
  readonly onDidNotify = this.notified.event;
  /** The latest messages, newest last, for tests and the output channel. */
  readonly history: Notification[] = [];
  private readonly output = vscode.window.createOutputChannel('Workflow Memory', { log: true });

  dispose(): void {
    this.notified.dispose();
    this.output.dispose();
  }

  /** Shows a message; resolves with the chosen action. Callers `void` it unless they need the choice. */
  info(message: string, ...actions: string[]): Thenable<string | undefined> {
    return this.show('info', message, actions);
  }
  warning(message: string, ...actions: string[]): Thenable<string | undefined> {
    return this.show('warning', message, actions);
  }
  error(message: string, ...actions: string[]): Thenable<string | undefined> {
    return this.show('error', message, actions);
  }

  /** Writes to the output channel only (no toast). */
  log(message: string): void {
    this.output.info(redactSecrets(message));
  }

  private show(level: NotificationLevel, rawMessage: string, actions: string[]): Thenable<string | undefined> {
    const message = redactSecrets(rawMessage);
    const notification: Notification = actions.length > 0 ? { level, message, actions: [...actions] } : { level, message };
    this.history.push(notification);
    if (this.history.length > 200) this.history.shift();
    this.notified.fire({ ...notification });
    if (level === 'error') this.output.error(message);
    else if (level === 'warning') this.output.warn(message);
    else this.output.info(message);
    if (level === 'error') return vscode.window.showErrorMessage(message, ...actions);
    if (level === 'warning') return vscode.window.showWarningMessage(message, ...actions);
    return vscode.window.showInformationMessage(message, ...actions);
  }
}
