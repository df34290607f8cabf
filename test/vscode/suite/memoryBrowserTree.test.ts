// The Memory Keys tree as VS Code's extension host consumes it: ids registered once, each under
// the node it belongs to, while pages stream in, sibling groups load at the same time and the
// tree is refreshed in between. A real VS Code only logs "Element with id … is already
// registered" and leaves the group empty, so these tests replay its bookkeeping
// (ExtensionHostTree below) against the real provider, the real extension host and a real Redis.
import * as assert from 'assert';
import type Redis from 'ioredis';
import * as vscode from 'vscode';
import { Commands } from '../../../src/constants';
import type { MemoryNode, MemoryTreeProvider } from '../../../src/views/memoryTree';
import { activateApi, Api, redisClient, run, setSetting, uniqueNamespace, waitFor, whenConnected } from './memoryBrowserKit';

/** VS Code's handle for an item with an id (ExtHostTreeView: `1/<id>`). */
const handleOf = (item: vscode.TreeItem): string => `1/${item.id}`;

/** An element as VS Code's extension host keeps it: its handle, the node it hangs under, its children once fetched. */
interface HostNode {
  handle: string;
  item: vscode.TreeItem;
  parent: HostNode | undefined;
  children: HostNode[] | undefined;
}

/**
 * The part of VS Code 1.100 that decides which ids are registered under which node
 * (ExtHostTreeView in src/vs/workbench/api/common/extHostTreeViews.ts), plus the workbench
 * asking again for the children of what it shows expanded after a refresh:
 * - a fetch forgets the node's children, remembers the node, awaits getChildren and getTreeItem,
 *   then registers each id under the remembered node, throwing if the id is already registered;
 * - onDidChangeTreeData is debounced (200 ms, the first event at once); refreshing an element
 *   forgets its subtree and replaces its node; refreshing everything cancels fetches under way;
 * - each refresh waits until the workbench has fetched the refreshed nodes' children again.
 */
class ExtensionHostTree implements vscode.Disposable {
  private readonly nodes = new Map<MemoryNode, HostNode>();
  private readonly elements = new Map<string, MemoryNode>();
  private roots: HostNode[] | undefined;
  private fetches = { cancelled: false };
  private readonly subscription: vscode.Disposable;
  private debounceTimer: NodeJS.Timeout | undefined;
  private debounced: (MemoryNode | undefined)[] = [];
  private debouncedCalls = 0;
  private refreshQueue: Promise<void> = Promise.resolve();
  private refreshesQueued = 0;
  private requestsUnderWay = 0;

  /** What the workbench shows: the children it last received for each handle ('' for the top). */
  readonly shown = new Map<string, HostNode[]>();
  /** Every answer the workbench received, in order: which handle, and the children as `kind:label`. */
  readonly history: { handle: string; labels: string[] }[] = [];
  /** Handles the workbench shows expanded. */
  readonly expanded = new Set<string>();
  /** What the extension host threw at the workbench. */
  readonly errors: string[] = [];

  constructor(private readonly provider: MemoryTreeProvider) {
    this.subscription = provider.onDidChangeTreeData((change) => this.onDidChangeTreeData(change));
  }

  dispose(): void {
    this.subscription.dispose();
    if (this.debounceTimer) clearTimeout(this.debounceTimer);
  }

  // ---- the workbench side ----

  /** Shows the top of the tree and, as VS Code does, expands what comes expanded. */
  async open(): Promise<void> {
    await this.show(undefined);
  }

  /** A click on a row's twistie. */
  async expand(handle: string): Promise<void> {
    this.expanded.add(handle);
    await this.show(handle);
  }

  /** The children shown under a handle, as `kind:label`. */
  labelsUnder(handle: string): string[] {
    return (this.shown.get(handle) ?? []).map((node) => `${(node.item as { kind?: string }).kind}:${String(node.item.label)}`);
  }

  handleOfShown(parentHandle: string, kindAndLabel: string): string {
    const node = (this.shown.get(parentHandle) ?? []).find((child) => `${(child.item as { kind?: string }).kind}:${String(child.item.label)}` === kindAndLabel);
    assert.ok(node, `no ${kindAndLabel} under ${parentHandle}: ${this.labelsUnder(parentHandle).join(', ')}`);
    return node.handle;
  }

  /** The extension host's node for a handle (undefined when it is not registered). */
  registered(handle: string): HostNode | undefined {
    const element = this.elements.get(handle);
    return element ? this.nodes.get(element) : undefined;
  }

  elementOf(handle: string): MemoryNode | undefined {
    return this.elements.get(handle);
  }

  /** Nothing under way: no request, no debounced change, no refresh waiting (checked twice, 250 ms apart). */
  async settled(): Promise<void> {
    let quietChecks = 0;
    const deadline = Date.now() + 15000;
    while (quietChecks < 2) {
      if (Date.now() > deadline) throw new Error('the tree did not settle within 15 s');
      await new Promise((resolve) => setTimeout(resolve, 250));
      const quiet = this.requestsUnderWay === 0 && !this.debounceTimer && this.refreshesQueued === 0;
      quietChecks = quiet ? quietChecks + 1 : 0;
    }
  }

  /** Asks the extension host for a node's children (one IPC hop away) and shows them; then the expanded ones below. */
  private async show(handle: string | undefined): Promise<void> {
    this.requestsUnderWay++;
    try {
      await new Promise((resolve) => setTimeout(resolve, 0));
      let children: HostNode[] = [];
      try {
        children = await this.getChildren(handle);
      } catch (error) {
        this.errors.push((error as Error).message);
      }
      this.shown.set(handle ?? '', children);
      this.history.push({ handle: handle ?? '', labels: this.labelsUnder(handle ?? '') });
      for (const child of children) {
        if (child.item.collapsibleState === vscode.TreeItemCollapsibleState.Expanded && !this.expanded.has(child.handle)) this.expanded.add(child.handle);
      }
      for (const child of children) {
        if (this.expanded.has(child.handle)) await this.show(child.handle);
      }
    } finally {
      this.requestsUnderWay--;
    }
  }

  // ---- the extension host side ----

  private async getChildren(handle: string | undefined): Promise<HostNode[]> {
    const element = handle ? this.elements.get(handle) : undefined;
    if (handle && !element) return []; // "No tree item with id … found."
    const cached = element ? this.nodes.get(element)?.children : this.roots;
    if (cached) return cached;
    return (await this.fetchChildren(element)) ?? [];
  }

  private async fetchChildren(element: MemoryNode | undefined): Promise<HostNode[] | undefined> {
    this.clearChildren(element);
    const fetches = this.fetches;
    const parent = element ? this.nodes.get(element) : undefined;
    const children = (await this.provider.getChildren(element)) ?? [];
    if (fetches.cancelled) return undefined;
    const items = await Promise.all(children.map((child) => this.provider.getTreeItem(child)));
    if (fetches.cancelled) return undefined;
    return items.map((item, index) => this.register(children[index], item, parent));
  }

  private register(element: MemoryNode, item: vscode.TreeItem, parent: HostNode | undefined): HostNode {
    const node: HostNode = { handle: handleOf(item), item, parent, children: undefined };
    if (item.id && this.elements.has(node.handle)) throw new Error(`Element with id ${item.id} is already registered`);
    this.elements.set(node.handle, element);
    this.nodes.set(element, node);
    if (parent) (parent.children ??= []).push(node);
    else (this.roots ??= []).push(node);
    return node;
  }

  private onDidChangeTreeData(change: MemoryNode | MemoryNode[] | undefined): void {
    if (Array.isArray(change) && change.length === 0) return;
    this.debouncedCalls++;
    this.debounced.push(...(Array.isArray(change) ? change : [change]));
    if (!this.debounceTimer) this.flush(); // the first change of a quiet spell goes at once
    if (this.debounceTimer) clearTimeout(this.debounceTimer);
    this.debounceTimer = setTimeout(() => {
      this.debounceTimer = undefined;
      if (this.debouncedCalls > 1 && this.debounced.length > 0) this.flush();
      this.debounced = [];
      this.debouncedCalls = 0;
    }, 200);
  }

  private flush(): void {
    const elements = this.debounced;
    this.debounced = [];
    this.refreshesQueued++;
    this.refreshQueue = this.refreshQueue
      .then(() => this.refresh(elements))
      .catch((error: Error) => void this.errors.push(error.message))
      .finally(() => this.refreshesQueued--);
  }

  private async refresh(elements: (MemoryNode | undefined)[]): Promise<void> {
    if (elements.some((element) => !element)) {
      this.fetches.cancelled = true;
      this.fetches = { cancelled: false };
      this.roots = undefined;
      this.nodes.clear();
      this.elements.clear();
      await this.show(undefined);
      return;
    }
    const refreshed: string[] = [];
    for (const element of new Set(elements as MemoryNode[])) {
      const node = this.nodes.get(element);
      if (!node || this.hasAncestorIn(node, elements as MemoryNode[])) continue;
      this.clearChildren(element);
      const item = await this.provider.getTreeItem(element);
      const replacement: HostNode = { handle: handleOf(item), item, parent: node.parent, children: undefined };
      this.elements.set(replacement.handle, element);
      this.nodes.set(element, replacement);
      const siblings = node.parent ? node.parent.children : this.roots;
      const index = siblings?.indexOf(node) ?? -1;
      if (siblings && index >= 0) siblings.splice(index, 1, replacement);
      refreshed.push(replacement.handle);
    }
    for (const handle of refreshed) {
      if (this.expanded.has(handle)) await this.show(handle);
    }
  }

  private hasAncestorIn(node: HostNode, elements: MemoryNode[]): boolean {
    for (let parent = node.parent; parent; parent = parent.parent) {
      const element = this.elements.get(parent.handle);
      if (element && elements.includes(element)) return true;
    }
    return false;
  }

  private clearChildren(element: MemoryNode | undefined): void {
    if (!element) {
      this.roots = undefined;
      this.nodes.clear();
      this.elements.clear();
      return;
    }
    const node = this.nodes.get(element);
    if (!node) return;
    for (const child of node.children ?? []) this.forget(child.handle);
    node.children = undefined;
  }

  private forget(handle: string): void {
    const element = this.elements.get(handle);
    const node = element ? this.nodes.get(element) : undefined;
    if (!element || !node) return;
    for (const child of node.children ?? []) this.forget(child.handle);
    this.nodes.delete(element);
    this.elements.delete(handle);
  }
}

describe('memory browser tree, as VS Code registers it', function () {
  this.timeout(60000);
  let api: Api;
  let redis: Redis;
  let ns: string;
  let host: ExtensionHostTree | undefined;

  before(async () => {
    api = await activateApi();
    redis = redisClient();
    await whenConnected(api);
  });

  beforeEach(async () => {
    ns = uniqueNamespace('ids');
    await setSetting('namespace', ns);
  });

  afterEach(() => {
    host?.dispose();
    host = undefined;
  });

  after(async () => {
    await setSetting('namespace', undefined);
    redis.disconnect();
  });

  /** Every shown node is registered once, under the node the workbench shows it under, which is also its getParent. */
  function assertConsistent(tree: ExtensionHostTree): void {
    const seen = new Set<string>();
    for (const [parentHandle, children] of tree.shown) {
      if (parentHandle !== '' && !tree.registered(parentHandle)) continue; // no longer shown
      for (const child of children) {
        assert.ok(!seen.has(child.handle), `${child.handle} is shown twice`);
        seen.add(child.handle);
        const registered = tree.registered(child.handle);
        assert.ok(registered, `${child.handle} is shown but not registered`);
        assert.strictEqual(registered.parent?.handle ?? '', parentHandle, `${child.handle} hangs under ${registered.parent?.handle} but is drawn under ${parentHandle}`);
        const parentElement = api.memoryTree.getParent(tree.elementOf(child.handle)!);
        assert.strictEqual(parentElement ? handleOf(parentElement) : '', parentHandle, `getParent of ${child.handle}`);
      }
    }
  }

  /** getChildren's answer, which must be the children themselves. */
  function childrenNow(element: MemoryNode): MemoryNode[] {
    const answer: unknown = api.memoryTree.getChildren(element);
    assert.ok(Array.isArray(answer), 'getChildren answers with the children, not a promise');
    return answer as MemoryNode[];
  }

  async function seedEnrichAndMonitor(): Promise<void> {
    await redis.set(`${ns}:enrich:cache:geocode:5e0d2c91`, '{"lat":52.5}', 'EX', 3600);
    await redis.set(`${ns}:enrich:last-run`, '2026-11-24T06:15:02Z');
    await redis.set(`${ns}:monitor:page-hash:pricing`, 'sha256:1', 'EX', 86400);
    await redis.set(`${ns}:monitor:page-hash:changelog`, 'sha256:2', 'EX', 86400);
    await redis.hset(`${ns}:chatbot:prefs:u_1042`, 'tone', 'formal');
  }

  it('shows a group holding both a sub-group and a key, with sibling groups loading at once and a refresh in between', async () => {
    await seedEnrichAndMonitor();
    host = new ExtensionHostTree(api.memoryTree);
    await host.open();
    await host.settled();
    const connection = '1/connection';
    assert.deepStrictEqual(host.labelsUnder('').map((label) => label.split(':')[0]), ['connection']);
    assert.deepStrictEqual(host.labelsUnder(connection), ['group:chatbot', 'group:enrich', 'group:monitor'], `errors: ${host.errors.join('; ')}`);

    // Sibling groups expanded together, and the whole tree refreshed while they load.
    const enrich = host.handleOfShown(connection, 'group:enrich');
    const monitor = host.handleOfShown(connection, 'group:monitor');
    const chatbot = host.handleOfShown(connection, 'group:chatbot');
    const expanding = Promise.all([host.expand(enrich), host.expand(monitor), host.expand(chatbot)]);
    api.memoryTree.refresh();
    await expanding;
    await host.settled();
    assert.deepStrictEqual(host.errors, []);
    assert.deepStrictEqual(host.labelsUnder(enrich), ['group:cache', 'key:last-run']);
    assert.deepStrictEqual(host.labelsUnder(monitor), ['group:page-hash']);
    assert.deepStrictEqual(host.labelsUnder(chatbot), ['group:prefs']);

    // The second level: expanded together, with a refresh (a write elsewhere) in between.
    const cache = host.handleOfShown(enrich, 'group:cache');
    const pageHash = host.handleOfShown(monitor, 'group:page-hash');
    const prefs = host.handleOfShown(chatbot, 'group:prefs');
    const second = Promise.all([host.expand(cache), host.expand(pageHash), host.expand(prefs)]);
    await redis.set(`${ns}:monitor:page-hash:careers`, 'sha256:3', 'EX', 7200);
    const refreshed = run(Commands.refresh);
    await second;
    await refreshed;
    await host.settled();

    assert.deepStrictEqual(host.errors, []);
    assert.deepStrictEqual(host.labelsUnder(enrich), ['group:cache', 'key:last-run']);
    assert.deepStrictEqual(host.labelsUnder(cache), ['group:geocode']);
    assert.deepStrictEqual(host.labelsUnder(pageHash), ['key:careers', 'key:changelog', 'key:pricing']);
    assert.deepStrictEqual(host.labelsUnder(prefs), ['key:u_1042']);
    const lastRun = host.registered(host.handleOfShown(enrich, 'key:last-run'))!;
    assert.match(String(lastRun.item.description), /^string · ⚠ never expires$/, 'the key row has its metadata');
    assert.strictEqual(lastRun.parent?.handle, enrich, 'last-run is drawn under enrich, one level in');
    assertConsistent(host);
  });

  it('answers getChildren at once, so a change event can never land in the middle of a fetch', async () => {
    await seedEnrichAndMonitor();
    const [root] = (await api.memoryTree.childrenWhenSettled()) as MemoryNode[];
    const top = (await api.memoryTree.childrenWhenSettled(root)) as MemoryNode[];
    const enrich = top.find((node) => node.label === 'enrich')!;
    // The first fetch of a level returns before any Redis reply; the scan's pages follow as change events.
    const changes: (MemoryNode | MemoryNode[] | undefined)[] = [];
    const subscription = api.memoryTree.onDidChangeTreeData((change) => changes.push(change));
    try {
      const answer: unknown = api.memoryTree.getChildren(enrich);
      assert.ok(Array.isArray(answer), 'getChildren returns the children themselves, not a promise that waits on Redis');
      assert.deepStrictEqual(answer, [], 'nothing is known of the level before its first page');
      assert.strictEqual(changes.length, 0, 'no change is announced from inside getChildren');
      await waitFor('the first page to be announced on the enrich node', () => changes.some((change) => change === enrich || (Array.isArray(change) && change.includes(enrich))));
      const children = childrenNow(enrich);
      assert.deepStrictEqual(children.map((node) => `${node.kind}:${String(node.label)}`), ['group:cache', 'key:last-run']);
      // The same id is the same object every time it is handed out, and getParent agrees.
      const again = childrenNow(enrich);
      assert.strictEqual(again[0], children[0]);
      assert.strictEqual(again[1], children[1]);
      assert.strictEqual(api.memoryTree.getParent(children[0]), enrich);
      assert.strictEqual(api.memoryTree.getParent(children[1]), enrich);
      assert.strictEqual(new Set(children.map((node) => node.id)).size, children.length);
    } finally {
      subscription.dispose();
    }
  });

  it('keeps the rows shown while a refresh lists again, so expanded groups stay expanded', async () => {
    await seedEnrichAndMonitor();
    host = new ExtensionHostTree(api.memoryTree);
    await host.open();
    await host.settled();
    const connection = '1/connection';
    const enrich = host.handleOfShown(connection, 'group:enrich');
    await host.expand(enrich);
    await host.settled();
    assert.deepStrictEqual(host.labelsUnder(enrich), ['group:cache', 'key:last-run']);

    const from = host.history.length;
    await redis.set(`${ns}:enrich:next-run`, '2026-11-25T06:00:00Z', 'EX', 600);
    await run(Commands.refresh);
    // The new listing's pages arrive as change events; on a busy machine a page can take longer than settled()'s quiet spell.
    await waitFor('the new key to come in under enrich', () => host!.labelsUnder(enrich).includes('key:next-run'), 20000);
    await host.settled();
    const answers = host.history.slice(from);
    assert.ok(answers.some((answer) => answer.handle === connection), 'the refresh fetched the tree again');
    // VS Code forgets the expansion of a row that goes missing, even for one answer.
    for (const answer of answers.filter((shown) => shown.handle === connection)) {
      assert.deepStrictEqual(answer.labels, ['group:chatbot', 'group:enrich', 'group:monitor']);
    }
    for (const answer of answers.filter((shown) => shown.handle === enrich)) {
      assert.ok(answer.labels.includes('group:cache') && answer.labels.includes('key:last-run'), `enrich showed ${answer.labels.join(', ')}`);
    }
    assert.deepStrictEqual(host.labelsUnder(enrich), ['group:cache', 'key:last-run', 'key:next-run'], 'the new key comes in once the new listing stopped');
    assert.deepStrictEqual(host.errors, []);
    assertConsistent(host);
  });
});
