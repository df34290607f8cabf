// The connection state at a glance; a click opens Connect….
import * as vscode from 'vscode';
import { Commands } from './constants';
import { ConnectionService, ConnectionSummary } from './connection';

export class ConnectionStatusBar implements vscode.Disposable {
  private readonly item = vscode.window.createStatusBarItem('workflowMemory.connection', vscode.StatusBarAlignment.Left, 10);
  private readonly subscription: vscode.Disposable;

  constructor(connection: ConnectionService) {
    this.item.name = 'Workflow Memory: Redis connection';
    this.item.command = Commands.connect;
    this.subscription = connection.onDidChangeState((summary) => this.show(summary));
    this.show(connection.current);
    this.item.show();
  }

  dispose(): void {
    this.subscription.dispose();
    this.item.dispose();
  }

  /** What the item says now, for tests. */
  get text(): string {
    return this.item.text;
  }

  private show(summary: ConnectionSummary): void {
    const where = `${summary.endpoint} db${summary.db}`;
    this.item.backgroundColor = undefined;
    switch (summary.state) {
      case 'connected':
        this.item.text = `$(database) Redis ${where}`;
        this.item.tooltip = `Workflow Memory is connected to Redis at ${where}${summary.tls ? ' over TLS' : ''}${summary.username ? ` as ${summary.username}` : ''}. Click to connect elsewhere.`;
        break;
      case 'connecting':
        this.item.text = `$(sync~spin) Redis ${where}`;
        this.item.tooltip = `Connecting to Redis at ${where}…`;
        break;
      case 'error':
        this.item.text = `$(error) Redis ${where}`;
        this.item.tooltip = `${summary.error ?? 'The Redis connection failed.'} Click to connect.`;
        this.item.backgroundColor = new vscode.ThemeColor('statusBarItem.errorBackground');
        break;
      case 'disconnected':
        this.item.text = '$(debug-disconnect) Redis: not connected';
        this.item.tooltip = 'Workflow Memory is not connected to Redis. Click to connect.';
        break;
    }
  }
}
