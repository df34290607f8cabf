// A failure shown in the tree instead of a modal: the explained message, with Retry for a lost
// or refused connection (contextValue connectionError) or Refresh for a failed listing.
import * as vscode from 'vscode';
import { Commands, TreeItemContext } from '../../constants';

export class ErrorNode extends vscode.TreeItem {
  readonly kind = 'error';

  constructor(
    readonly message: string,
    readonly cause: 'connection' | 'listing',
    idSuffix = '',
  ) {
    super(message, vscode.TreeItemCollapsibleState.None);
    this.id = `error:${cause}:${idSuffix}`;
    this.iconPath = new vscode.ThemeIcon('error', new vscode.ThemeColor('errorForeground'));
    this.tooltip = new vscode.MarkdownString().appendText(message);
    if (cause === 'connection') {
      this.contextValue = TreeItemContext.connectionError;
      this.description = 'Retry';
      this.command = { command: Commands.retry, title: 'Retry Connection' };
    } else {
      this.contextValue = TreeItemContext.listingError;
      this.description = 'Refresh';
      this.command = { command: Commands.refresh, title: 'Refresh' };
    }
  }
}
