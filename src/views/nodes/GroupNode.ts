// One key prefix between delimiters ("monitor" in ns:monitor:…), with how many keys it holds.
import * as vscode from 'vscode';
import { TreeItemContext } from '../../constants';
import { keyToDisplay } from '../../memory/keys';
import { countDescription, encodeKeyForUri, markdownCode } from '../presentation';

export class GroupNode extends vscode.TreeItem {
  readonly kind = 'group';

  constructor(
    /** Full prefix, delimiter included: what Clear Group… deletes under. */
    readonly prefix: Buffer,
    segment: Buffer,
  ) {
    super(keyToDisplay(segment) || '(empty)', vscode.TreeItemCollapsibleState.Collapsed);
    this.id = `group:${encodeKeyForUri(prefix)}`;
    this.contextValue = TreeItemContext.group;
    this.iconPath = new vscode.ThemeIcon('folder');
  }

  /** Updates the count as the scan finds more keys; true when the text changed. */
  setCount(keyCount: number, complete: boolean): boolean {
    const description = countDescription(keyCount, complete);
    if (description === this.description) return false;
    this.description = description;
    this.tooltip = new vscode.MarkdownString(`${markdownCode(keyToDisplay(this.prefix))}: ${description}${complete ? '' : ' found so far'}`);
    return true;
  }
}
