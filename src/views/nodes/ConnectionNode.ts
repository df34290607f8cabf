// Tree root while connected: which Redis, database and namespace the tree below shows.
import * as vscode from 'vscode';
import { TreeItemContext } from '../../constants';
import type { ConnectionSummary } from '../../connection';
import { keyToDisplay } from '../../memory/keys';
import { countDescription } from '../presentation';

export class ConnectionNode extends vscode.TreeItem {
  readonly kind = 'connection';

  constructor(
    readonly connection: ConnectionSummary,
    /** The namespace prefix every key below starts with; empty for the whole database. */
    readonly prefix: Buffer,
  ) {
    super(connection.endpoint, vscode.TreeItemCollapsibleState.Expanded);
    this.id = 'connection';
    this.contextValue = TreeItemContext.connection;
    this.iconPath = new vscode.ThemeIcon('database');
    this.describe();
    const scope = prefix.length > 0 ? `namespace \`${keyToDisplay(prefix)}\`` : 'the whole database';
    const user = connection.username ? `, user \`${connection.username}\`` : '';
    this.tooltip = new vscode.MarkdownString(`Redis at ${connection.endpoint}${connection.tls ? ' (TLS)' : ''}, database ${connection.db}${user}: showing ${scope}.`);
  }

  /** Shows the key count once the scan of the first level has one. */
  describe(count?: { keys: number; complete: boolean }): void {
    const scope = this.prefix.length > 0 ? keyToDisplay(this.prefix) : 'all keys';
    const parts = [`db${this.connection.db}`, scope];
    if (count) parts.push(count.keys === 0 && count.complete ? 'no keys' : countDescription(count.keys, count.complete));
    this.description = parts.join(' · ');
  }
}
