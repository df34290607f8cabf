// Last child of a level that has more keys than one page: loads the next page when clicked.
import * as vscode from 'vscode';
import { Commands, TreeItemContext } from '../../constants';

export class LoadMoreNode extends vscode.TreeItem {
  readonly kind = 'loadMore';

  constructor(
    /** Id of the level (its prefix) this item pages. */
    readonly levelId: string,
    shown: number,
  ) {
    super('Load more…', vscode.TreeItemCollapsibleState.None);
    this.id = `loadMore:${levelId}`;
    this.contextValue = TreeItemContext.loadMore;
    this.setShown(shown);
    this.iconPath = new vscode.ThemeIcon('ellipsis');
    this.command = { command: Commands.loadMore, title: 'Load More…', arguments: [this] };
  }

  /** How many children the level shows above this item. */
  setShown(shown: number): void {
    this.description = `${shown.toLocaleString('en-US')} shown`;
  }
}
