// The Memory Keys view: connection root, groups split on the delimiter, keys with a live expiry
// countdown. Each expanded level is a LevelListing that streams SCAN pages into the tree.
//
// How VS Code's extension host treats a tree provider shapes this file. When it asks for a node's
// children it forgets the node's old children, awaits getChildren, and only then registers the
// ids it got back, under the node object it looked up before awaiting. A change event for that
// node (or an ancestor) while it awaits replaces that node object; the late answer then registers
// its ids under the replaced node, and the next fetch of the same node finds them taken ("Element
// with id … is already registered"): the group shows no children, later ones lose theirs, keys
// are drawn at the wrong depth. So getChildren never waits on Redis: it answers at once with
// what the level holds and starts the scan; pages arrive as change events, which are fired from
// a timer task of their own, never in the middle of VS Code's fetch.
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

/** Level id of the connection node (group levels use their prefix, base64url). */
const ROOT_LEVEL = 'root';

/**
 * One expanded level: its listing and the child nodes handed out for it. A level knows its own
 * node only by id (nodeOfLevel), so a change is always announced on the object VS Code holds.
 */
interface Level {
  readonly id: string;
  /** The level's prefix: keys below it are split on the delimiter. */
  readonly prefix: Buffer;
  readonly listing: LevelListing;
  /** Child groups by their own level id: one object per id for as long as the listing lives. */
  groups: Map<string, GroupNode>;
  /** Child keys by identity (latin1 of the key bytes). */
  keys: Map<string, KeyNode>;
  /** The "Load more…" or error item after the children, if any. */
  trailer: LoadMoreNode | ErrorNode | undefined;
  /** What VS Code last received for this level: a change is announced only when this differs. */
  shown: string | undefined;
  /** The children VS Code last received, kept across a refresh (see `previous`). */
  answered: MemoryNode[] | undefined;
  expanded: boolean;
}

export class MemoryTreeProvider implements vscode.TreeDataProvider<MemoryNode>, vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<MemoryNode | MemoryNode[] | undefined>();
  readonly onDidChangeTreeData = this.changed.event;
  readonly view: vscode.TreeView<MemoryNode>;
  private readonly disposables: vscode.Disposable[] = [this.changed];

  private root: ConnectionNode | undefined;
  /** Whether VS Code was last told the tree has the root (false: empty, the welcome text shows). */
  private rootShown = true;
  private readonly levels = new Map<string, Level>();
  /**
   * After a refresh, the children each level showed before it, answered until the level's new
   * scan has stopped: the tree neither blanks out nor collapses its groups (VS Code forgets the
   * expansion of a row that goes missing, even briefly) each time a command writes.
   */
  private previous = new Map<string, MemoryNode[]>();
  private filterText: string | undefined;
  private countdownTimer: NodeJS.Timeout | undefined;
  /** Levels whose listing changed since the last announcement. */
  private readonly changedLevels = new Set<string>();
  private announceTimer: NodeJS.Timeout | undefined;

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
      connection.onDidChangeState(() => this.reset()),
      config.onDidChange(() => this.reset()),
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
    this.reset();
  }

  /** Lists every level again from Redis (same scope: what is shown stays until the new listing has stopped). */
  refresh(): void {
    // Levels not fetched again since the last refresh still have their earlier children.
    const previous = new Map(this.previous);
    for (const level of this.levels.values()) {
      if (level.answered) previous.set(level.id, level.answered);
    }
    this.rebuild();
    this.previous = previous;
  }

  /** Forgets every listing and what it showed: the scope changed (connection, settings, filter). */
  private reset(): void {
    this.previous.clear();
    this.rebuild();
  }

  private rebuild(): void {
    this.dropLevels();
    this.root = undefined;
    this.rootShown = true;
    void setContext('workflowMemory.empty', false);
    this.changed.fire(undefined);
  }

  getTreeItem(element: MemoryNode): vscode.TreeItem {
    if (element instanceof KeyNode) element.render(Date.now());
    return element;
  }

  getParent(element: MemoryNode): MemoryNode | undefined {
    for (const level of this.levels.values()) {
      if (holds(level, element)) return this.nodeOfLevel(level.id);
    }
    return undefined;
  }

  /** Answers at once from what the level holds (see the top of this file for why it never waits). */
  getChildren(element?: MemoryNode): MemoryNode[] {
    if (!element) {
      const roots = this.rootChildren();
      this.rootShown = roots.length > 0;
      return roots;
    }
    if (!(element instanceof ConnectionNode || element instanceof GroupNode)) return [];
    const level = this.levelFor(element);
    if (!level) return [];
    level.expanded = true;
    this.updateCountdownTimer();
    this.continueListing(level);
    const children = this.previousChildren(level) ?? this.childrenOf(level);
    level.shown = signatureOf(children);
    level.answered = children;
    return children;
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
    // Nothing found in the whole scope: an empty tree lets the view's welcome text explain it.
    return this.scopeIsEmpty() ? [] : [this.root];
  }

  /** The whole scope was scanned and holds nothing (and no filter or read-only mode to explain). */
  private scopeIsEmpty(): boolean {
    const view = this.levels.get(ROOT_LEVEL)?.listing.view();
    return !!view && view.complete && view.keysSeen === 0 && !view.error && !this.filterText && !this.config.readOnly;
  }

  /** What the level showed before a refresh, while its new scan runs; undefined once that has stopped. */
  private previousChildren(level: Level): MemoryNode[] | undefined {
    if (level.listing.hasStopped) this.previous.delete(level.id);
    return this.previous.get(level.id);
  }

  /** The node a level lists the children of: the root, or the group object last handed out for that id. */
  private nodeOfLevel(id: string): ConnectionNode | GroupNode | undefined {
    if (id === ROOT_LEVEL) return this.root;
    for (const level of this.levels.values()) {
      const group = level.groups.get(id);
      if (group) return group;
    }
    return undefined;
  }

  private levelFor(parent: ConnectionNode | GroupNode): Level | undefined {
    const id = levelIdOf(parent);
    const existing = this.levels.get(id);
    if (existing) return existing;
    const store = this.connection.connectedStore;
    if (!store || !this.root) return undefined;
    const glob = this.filterText ? filterToGlob(this.filterText) : undefined;
    // The nodes shown before a refresh are the level's nodes again: same ids, same objects.
    const shownBefore = this.previous.get(id) ?? [];
    const level: Level = {
      id,
      prefix: parent.prefix,
      groups: new Map(shownBefore.filter((node) => node instanceof GroupNode).map((node) => [encodeKeyForUri(node.prefix), node])),
      keys: new Map(shownBefore.filter((node) => node instanceof KeyNode).map((node) => [node.key.toString('latin1'), node])),
      trailer: undefined,
      shown: undefined,
      answered: undefined,
      expanded: true,
      listing: new LevelListing(
        store,
        {
          prefix: parent.prefix,
          // With a filter, every level scans the namespace with the filter's MATCH and keeps
          // the keys under its own prefix, so all levels agree on what matches.
          scanPrefix: glob ? this.root.prefix : parent.prefix,
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

  /** Starts (or resumes) the level's scan without waiting; the view shows progress until a first page is in. */
  private continueListing(level: Level): void {
    if (level.listing.hasFirstPage) {
      void level.listing.load();
      return;
    }
    void vscode.window.withProgress({ location: { viewId: KEYS_VIEW_ID } }, () => level.listing.firstPage());
  }

  /**
   * A listing found a page or metadata. Announced from a timer task of its own, so it never lands
   * inside VS Code's fetch of the same node, and several changes in a row become one.
   */
  private levelChanged(id: string): void {
    this.changedLevels.add(id);
    this.announceTimer ??= setTimeout(() => {
      this.announceTimer = undefined;
      this.announceChanges();
    }, 0);
  }

  private announceChanges(): void {
    const ids = [...this.changedLevels];
    this.changedLevels.clear();
    const nodes: MemoryNode[] = [];
    for (const id of ids) {
      const level = this.levels.get(id);
      if (!level || level.listing.disposed || this.previousChildren(level)) continue;
      if (id === ROOT_LEVEL) {
        if (!this.root) continue;
        const view = level.listing.view();
        void setContext('workflowMemory.empty', view.complete && view.keysSeen === 0 && !view.error);
        // The root itself appears or goes: only a whole-tree refresh says that.
        if (this.rootShown === this.scopeIsEmpty()) {
          this.changed.fire(undefined);
          return;
        }
        const description = this.root.description;
        this.root.describe({ keys: view.keysSeen, complete: view.complete });
        const childrenChanged = signatureOf(this.childrenOf(level)) !== level.shown;
        if (childrenChanged || this.root.description !== description) nodes.push(this.root);
        continue;
      }
      const node = this.nodeOfLevel(id);
      // Applies the new page to the node objects; VS Code re-reads them only when told.
      if (node && signatureOf(this.childrenOf(level)) !== level.shown) nodes.push(node);
    }
    if (nodes.length > 0) this.changed.fire(nodes);
  }

  private childrenOf(level: Level): MemoryNode[] {
    const view = level.listing.view();
    const now = Date.now();
    const children: MemoryNode[] = [];
    const groups = new Map<string, GroupNode>();
    for (const group of view.groups) {
      const id = encodeKeyForUri(group.prefix);
      const node = level.groups.get(id) ?? new GroupNode(group.prefix, group.segment);
      node.setCount(group.keyCount, view.complete);
      groups.set(id, node);
      children.push(node);
    }
    const keys = new Map<string, KeyNode>();
    for (const shown of view.keys) {
      const identity = shown.key.toString('latin1');
      const node = level.keys.get(identity) ?? new KeyNode(shown.key, relativeKey(shown.key, level.prefix));
      if (shown.metadata) node.setMetadata(shown.metadata, now);
      keys.set(identity, node);
      children.push(node);
    }
    level.groups = groups;
    level.keys = keys;
    level.trailer = this.trailerOf(level, view.error, view.hasMore && children.length > 0 ? children.length : undefined);
    if (level.trailer) children.push(level.trailer);
    return children;
  }

  /** The level's error item, or its "Load more…" item (reused, so its id stays one object). */
  private trailerOf(level: Level, error: string | undefined, shown: number | undefined): LoadMoreNode | ErrorNode | undefined {
    if (error) {
      return level.trailer instanceof ErrorNode && level.trailer.message === error ? level.trailer : new ErrorNode(error, 'listing', level.id);
    }
    if (shown === undefined) return undefined;
    if (level.trailer instanceof LoadMoreNode) {
      level.trailer.setShown(shown);
      return level.trailer;
    }
    return new LoadMoreNode(level.id, shown);
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
    this.changedLevels.clear();
    if (this.announceTimer) clearTimeout(this.announceTimer);
    this.announceTimer = undefined;
  }
}

function levelIdOf(parent: ConnectionNode | GroupNode): string {
  return parent instanceof ConnectionNode ? ROOT_LEVEL : encodeKeyForUri(parent.prefix);
}

/** Whether the node is one of the children last handed out for the level. */
function holds(level: Level, element: MemoryNode): boolean {
  if (element instanceof GroupNode) return level.groups.get(encodeKeyForUri(element.prefix)) === element;
  if (element instanceof KeyNode) return level.keys.get(element.key.toString('latin1')) === element;
  return element === level.trailer;
}

/** What a list of children looks like to VS Code, apart from ticking countdowns (those update on their own). */
function signatureOf(children: MemoryNode[]): string {
  return children.map((node) => `${node.id}\u0000${node instanceof KeyNode ? node.shownState : `${String(node.label)} ${String(node.description ?? '')}`}`).join('\u0001');
}
