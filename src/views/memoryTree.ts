// The Memory Keys view: connection root, groups split on the delimiter, keys with a live expiry
// countdown. Each expanded level is a LevelListing that streams SCAN pages into the tree.
import * as vscode from 'vscode';
import { Config, setContext } from '../config';
import { KEYS_VIEW_ID } from '../constants';
import { ConnectionService } from '../connection';
import { filterToGlob, relativeKey } from '../memory/keys';
import { LevelListing } from './levelListing';
import { ConnectionNode } from './nodes/ConnectionNode';
import { ErrorNode } from './nodes/ErrorNode';
import { GroupNode } from './nodes/GroupNode';
import { KeyNode } from './nodes/KeyNode';
import { LoadMoreNode } from './nodes/LoadMoreNode';
import { encodeKeyForUri } from './presentation';

export type MemoryNode = ConnectionNode | ErrorNode | GroupNode | KeyNode | LoadMoreNode;

/** Re-render countdowns this often while the view is visible (no Redis calls). */
const COUNTDOWN_INTERVAL_MS = 1000;

/** A level's state: its listing and the node objects VS Code knows (stable, so updates target them). */
interface Level {
  listing: LevelListing;
  parent: ConnectionNode | GroupNode;
  groups: Map<string, GroupNode>;
  keys: Map<string, KeyNode>;
  expanded: boolean;
}

export class MemoryTreeProvider implements vscode.TreeDataProvider<MemoryNode>, vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<MemoryNode | MemoryNode[] | undefined>();
  readonly onDidChangeTreeData = this.changed.event;
  readonly view: vscode.TreeView<MemoryNode>;
  private readonly disposables: vscode.Disposable[] = [this.changed];

  private root: ConnectionNode | undefined;
  private readonly levels = new Map<string, Level>();
  private filterText: string | undefined;
  private countdownTimer: NodeJS.Timeout | undefined;

  constructor(
    private readonly connection: ConnectionService,
    private readonly config: Config,
  ) {
    this.view = vscode.window.createTreeView(KEYS_VIEW_ID, { treeDataProvider: this, showCollapseAll: true });
    this.disposables.push(
      this.view,
      this.view.onDidExpandElement(({ element }) => this.setExpanded(element, true)),
      this.view.onDidCollapseElement(({ element }) => this.setExpanded(element, false)),
      this.view.onDidChangeVisibility(() => this.updateCountdownTimer()),
      connection.onDidChangeState(() => this.refresh()),
      config.onDidChange(() => this.refresh()),
    );
    void setContext('workflowMemory.filtered', false);
    void setContext('workflowMemory.empty', false);
    this.updateCountdownTimer();
  }

  dispose(): void {
    if (this.countdownTimer) clearInterval(this.countdownTimer);
    this.dropLevels();
    for (const disposable of this.disposables) disposable.dispose();
  }

  /** The active filter as typed, or undefined. */
  get filter(): string | undefined {
    return this.filterText;
  }

  /** Narrows the tree to keys matching a glob (plain text matches anywhere); empty clears it. */
  setFilter(text: string | undefined): void {
    const glob = text ? filterToGlob(text) : undefined;
    this.filterText = glob ? text!.trim() : undefined;
    this.view.description = this.filterText ? `filter: ${this.filterText}` : undefined;
    void setContext('workflowMemory.filtered', this.filterText !== undefined);
    this.refresh();
  }

  /** Forgets every listing and rebuilds the tree from Redis. */
  refresh(): void {
    this.dropLevels();
    this.root = undefined;
    void setContext('workflowMemory.empty', false);
    this.changed.fire(undefined);
  }

  getTreeItem(element: MemoryNode): vscode.TreeItem {
    if (element instanceof KeyNode) element.render(Date.now());
    return element;
  }

  getParent(element: MemoryNode): MemoryNode | undefined {
    if (element instanceof ConnectionNode || element instanceof ErrorNode) return undefined;
    for (const level of this.levels.values()) {
      if (element instanceof LoadMoreNode && element.levelId === levelIdOf(level.parent)) return level.parent;
      if (element instanceof GroupNode && level.groups.get(element.prefix.toString('latin1')) === element) return level.parent;
      if (element instanceof KeyNode && level.keys.get(element.key.toString('latin1')) === element) return level.parent;
    }
    return undefined;
  }

  async getChildren(element?: MemoryNode): Promise<MemoryNode[]> {
    if (!element) return this.rootChildren();
    if (element instanceof ConnectionNode || element instanceof GroupNode) {
      const level = this.levelFor(element);
      if (!level) return [];
      level.expanded = true;
      this.updateCountdownTimer();
      await level.listing.firstPage();
      return this.childrenOf(level);
    }
    return [];
  }

  /**
   * For tests and scripts: the children once the level's scan has stopped (page full or keyspace
   * walked). A stale root (from before a refresh) stands for the current one; a level dropped
   * by a refresh while it loaded is listed again.
   */
  async childrenWhenSettled(element?: MemoryNode): Promise<MemoryNode[]> {
    for (let attempt = 0; attempt < 5; attempt++) {
      if (!element) return this.rootChildren();
      let parent: MemoryNode = element;
      if (parent instanceof ConnectionNode && parent !== this.root) {
        const [root] = this.rootChildren();
        if (!(root instanceof ConnectionNode)) return [];
        parent = root;
      }
      if (!(parent instanceof ConnectionNode || parent instanceof GroupNode)) return [];
      const level = this.levelFor(parent);
      if (!level) return [];
      await level.listing.settled();
      if (!level.listing.disposed) return this.childrenOf(level);
    }
    return [];
  }

  /** Shows the next page of a level. */
  async loadMore(node: LoadMoreNode): Promise<void> {
    const level = this.levels.get(node.levelId);
    if (!level) return;
    await level.listing.loadMore();
  }

  private rootChildren(): MemoryNode[] {
    const summary = this.connection.current;
    if (summary.state === 'error') return [new ErrorNode(summary.error ?? `Cannot reach Redis at ${summary.endpoint}.`, 'connection')];
    if (summary.state !== 'connected') return [];
    if (!this.root) {
      let prefix: Buffer;
      try {
        prefix = this.connection.namespacePrefix;
      } catch (error) {
        return [new ErrorNode((error as Error).message, 'listing', 'namespace')];
      }
      this.root = new ConnectionNode(summary, prefix);
    }
    const rootLevel = this.levels.get(levelIdOf(this.root));
    const view = rootLevel?.listing.view();
    // Nothing found in the whole scope: an empty tree lets the view's welcome text explain it.
    if (view && view.complete && view.keysSeen === 0 && !view.error && !this.filterText && !this.config.readOnly) return [];
    return [this.root];
  }

  private levelFor(parent: ConnectionNode | GroupNode): Level | undefined {
    const id = levelIdOf(parent);
    const existing = this.levels.get(id);
    if (existing) return existing;
    const store = this.connection.connectedStore;
    if (!store || !this.root) return undefined;
    const glob = this.filterText ? filterToGlob(this.filterText) : undefined;
    const prefix = parent instanceof ConnectionNode ? parent.prefix : parent.prefix;
    const level: Level = {
      parent,
      groups: new Map(),
      keys: new Map(),
      expanded: true,
      listing: new LevelListing(
        store,
        {
          prefix,
          // With a filter, every level scans the namespace with the filter's MATCH and keeps
          // the keys under its own prefix, so all levels agree on what matches.
          scanPrefix: glob ? this.root.prefix : prefix,
          filter: glob,
          delimiter: this.config.delimiter,
          scanCount: this.config.scanCount,
          pageSize: this.config.pageSize,
        },
        () => this.levelChanged(id),
      ),
    };
    this.levels.set(id, level);
    return level;
  }

  private levelChanged(id: string): void {
    const level = this.levels.get(id);
    if (!level || level.listing.disposed) return;
    if (level.parent === this.root) {
      const view = level.listing.view();
      const empty = view.complete && view.keysSeen === 0 && !view.error;
      void setContext('workflowMemory.empty', empty);
      this.root.describe({ keys: view.keysSeen, complete: view.complete });
      // The root itself changes (its count, or whether it shows at all).
      this.changed.fire(empty ? undefined : this.root);
      return;
    }
    this.changed.fire(level.parent);
  }

  private childrenOf(level: Level): MemoryNode[] {
    const view = level.listing.view();
    const now = Date.now();
    const prefix = level.parent.prefix;
    const children: MemoryNode[] = [];
    const groups = new Map<string, GroupNode>();
    for (const group of view.groups) {
      const identity = group.prefix.toString('latin1');
      const node = level.groups.get(identity) ?? new GroupNode(group.prefix, group.segment);
      node.setCount(group.keyCount, view.complete);
      groups.set(identity, node);
      children.push(node);
    }
    const keys = new Map<string, KeyNode>();
    for (const shown of view.keys) {
      const identity = shown.key.toString('latin1');
      const node = level.keys.get(identity) ?? new KeyNode(shown.key, relativeKey(shown.key, prefix));
      if (shown.metadata) node.setMetadata(shown.metadata, now);
      keys.set(identity, node);
      children.push(node);
    }
    level.groups = groups;
    level.keys = keys;
    if (view.error) children.push(new ErrorNode(view.error, 'listing', levelIdOf(level.parent)));
    else if (view.hasMore && children.length > 0) children.push(new LoadMoreNode(levelIdOf(level.parent), children.length));
    return children;
  }

  private setExpanded(element: MemoryNode, expanded: boolean): void {
    if (element instanceof ConnectionNode || element instanceof GroupNode) {
      const level = this.levels.get(levelIdOf(element));
      if (level) level.expanded = expanded;
    }
    this.updateCountdownTimer();
  }

  /** Runs the countdown timer only while the view is visible and some expiring key is on show. */
  private updateCountdownTimer(): void {
    const needed = this.view.visible && this.levels.size > 0;
    if (needed && !this.countdownTimer) {
      this.countdownTimer = setInterval(() => this.tickCountdowns(), COUNTDOWN_INTERVAL_MS);
    } else if (!needed && this.countdownTimer) {
      clearInterval(this.countdownTimer);
      this.countdownTimer = undefined;
    }
  }

  private tickCountdowns(): void {
    const now = Date.now();
    const changed: KeyNode[] = [];
    for (const level of this.levels.values()) {
      if (!level.expanded) continue;
      for (const node of level.keys.values()) {
        if (node.hasExpiry && node.render(now)) changed.push(node);
      }
    }
    if (changed.length > 0) this.changed.fire(changed);
  }

  private dropLevels(): void {
    for (const level of this.levels.values()) level.listing.dispose();
    this.levels.clear();
  }
}

function levelIdOf(parent: ConnectionNode | GroupNode): string {
  return parent instanceof ConnectionNode ? 'root' : encodeKeyForUri(parent.prefix);
}
