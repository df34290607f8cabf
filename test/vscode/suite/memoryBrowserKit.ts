// Shared by the memory browser and command suites: the extension's API, a direct ioredis client
// to the throw-away redis-server the runner started (WM_TEST_REDIS_URL), settings helpers, and
// reading the tree the way the view does.
import * as assert from 'assert';
import Redis from 'ioredis';
import * as vscode from 'vscode';
import { EXTENSION_ID } from '../../../src/constants';
import type { WorkflowMemoryApi } from '../../../src/extension';

export type Api = WorkflowMemoryApi;
export type Node = vscode.TreeItem & { kind?: string };

export function testRedisUrl(): string {
  const url = process.env.WM_TEST_REDIS_URL;
  assert.ok(url, 'WM_TEST_REDIS_URL is not set: run these tests through `npm run test:vscode`');
  return url;
}

export async function activateApi(): Promise<Api> {
  const extension = vscode.extensions.getExtension<Api>(EXTENSION_ID);
  assert.ok(extension, `extension ${EXTENSION_ID} is not installed in the extension host`);
  const api = await extension.activate();
  assert.ok(api?.memoryTree && api.connection && api.notifications, 'activate() returns the memory browser API');
  return api;
}

/** Our own client, to write fixtures and check effects at the source. */
export function redisClient(): Redis {
  return new Redis(testRedisUrl(), { lazyConnect: false, maxRetriesPerRequest: 1 });
}

export async function waitFor(what: string, condition: () => boolean | Promise<boolean>, timeoutMs = 10000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

export async function whenConnected(api: Api): Promise<void> {
  await waitFor('the connection to the test Redis', () => api.connection.state === 'connected', 15000);
}

const section = () => vscode.workspace.getConfiguration('workflowMemory');

/** What the test workspace's own settings file held before a test changed it. */
const workspaceOriginals = new Map<string, unknown>();

/**
 * Sets a setting in the test workspace (whose .vscode/settings.json sets some of ours, which
 * would win over user settings) and waits until the extension sees it; undefined restores the
 * workspace's original value.
 */
export async function setSetting(key: string, value: unknown): Promise<void> {
  if (!workspaceOriginals.has(key)) workspaceOriginals.set(key, section().inspect(key)?.workspaceValue);
  const target = value === undefined ? workspaceOriginals.get(key) : value;
  await section().update(key, target, vscode.ConfigurationTarget.Workspace);
  const effective = target === undefined ? section().inspect(key)?.globalValue ?? section().inspect(key)?.defaultValue : target;
  await waitFor(`setting ${key}`, () => JSON.stringify(section().get(key)) === JSON.stringify(effective));
}

/** A namespace of its own for each test, so tests never see each other's keys. */
export function uniqueNamespace(label: string): string {
  return `wmtest-${label}-${Date.now().toString(36)}${Math.random().toString(36).slice(2, 6)}`;
}

/** Runs a command the way another extension would and returns its result. */
export async function run<T = CommandResult>(command: string, argument?: unknown): Promise<T> {
  return (await vscode.commands.executeCommand(command, argument)) as T;
}

export type CommandResult = { ok: true; [field: string]: unknown } | { ok: false; error: string; cancelled?: boolean };

/** Asserts a refusal: `{ ok: false }` plus an error message shown to the user. */
export function assertRefused(api: Api, result: CommandResult, messageBefore: number, pattern: RegExp): string {
  assert.strictEqual(result.ok, false, `expected a refusal, got ${JSON.stringify(result)}`);
  const error = (result as { error: string }).error;
  assert.match(error, pattern);
  const shown = api.notifications.history.slice(messageBefore).filter((note) => note.level === 'error').map((note) => note.message);
  assert.ok(shown.includes(error), `the error was not shown to the user; shown: ${JSON.stringify(shown)}`);
  return error;
}

/** The tree's nodes under the root, or under a path of group labels. */
export async function treeChildren(api: Api, ...groupPath: string[]): Promise<Node[]> {
  const roots = (await api.memoryTree.childrenWhenSettled()) as Node[];
  const root = roots[0];
  if (!root || root.kind !== 'connection') return roots;
  let nodes = (await api.memoryTree.childrenWhenSettled(root as never)) as Node[];
  for (const label of groupPath) {
    const group = nodes.find((node) => node.kind === 'group' && node.label === label);
    assert.ok(group, `no group "${label}" among ${nodes.map((node) => node.label).join(', ')}`);
    nodes = (await api.memoryTree.childrenWhenSettled(group as never)) as Node[];
  }
  return nodes;
}

export function labels(nodes: Node[]): string[] {
  return nodes.map((node) => `${node.kind}:${String(node.label)}`);
}

export const HOUR = 3600 * 1000;
export const DAY = 24 * HOUR;

/**
 * Mocha hooks shared by the memory suites: the activated extension and an own Redis client once
 * connected, a fresh namespace for each test, and the given settings (plus namespace) reset after.
 */
export function useFreshNamespaceEachTest(
  label: string,
  hooks: { ready(api: Api, redis: Redis): void; namespace(ns: string): void; resetAfter: string[]; after?: () => PromiseLike<unknown> },
): void {
  let redis: Redis | undefined;
  before(async () => {
    const api = await activateApi();
    redis = redisClient();
    await whenConnected(api);
    hooks.ready(api, redis);
  });
  beforeEach(async () => {
    const ns = uniqueNamespace(label);
    await setSetting('namespace', ns);
    hooks.namespace(ns);
  });
  after(async () => {
    for (const key of ['namespace', ...hooks.resetAfter]) await setSetting(key, undefined);
    await hooks.after?.();
    redis?.disconnect();
  });
}
