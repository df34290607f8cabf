// What every command family shares: the services, the result shape tests assert on, one error
// path (shown, never awaited), and reading a command's input from an argument object, a tree
// node, or prompts.
import * as vscode from 'vscode';
import { Config } from '../config';
import { CommandId } from '../constants';
import { ConnectionService } from '../connection';
import { explainRedisError } from '../memory/errors';
import { keyFromInput, keyToDisplay } from '../memory/keys';
import { Notifier } from '../notify';
import { MemoryNode, MemoryTreeProvider } from '../views/memoryTree';
import { ConnectionNode } from '../views/nodes/ConnectionNode';
import { ErrorNode } from '../views/nodes/ErrorNode';
import { GroupNode } from '../views/nodes/GroupNode';
import { KeyNode } from '../views/nodes/KeyNode';
import { LoadMoreNode } from '../views/nodes/LoadMoreNode';
import { ValueDocumentProvider } from '../views/valueDocuments';
import { checkInsideNamespace, isArgumentObject, Parsed, parseKeyArgument } from './arguments';

export interface CommandServices {
  config: Config;
  connection: ConnectionService;
  tree: MemoryTreeProvider;
  values: ValueDocumentProvider;
  notify: Notifier;
}

/** What every command resolves to, so callers (tests, other extensions) can tell what happened. */
export type CommandResult<T extends object = object> = ({ ok: true } & T) | { ok: false; error: string; cancelled?: boolean };

/** How a command was invoked. */
export type Invocation =
  | { kind: 'arguments'; args: Record<string, unknown> }
  | { kind: 'node'; node: MemoryNode }
  | { kind: 'prompt' };

export function invocationOf(argument: unknown): Parsed<Invocation> {
  if (argument === undefined || argument === null) return { ok: true, value: { kind: 'prompt' } };
  if (argument instanceof KeyNode || argument instanceof GroupNode || argument instanceof ConnectionNode || argument instanceof ErrorNode || argument instanceof LoadMoreNode) {
    return { ok: true, value: { kind: 'node', node: argument } };
  }
  if (isArgumentObject(argument)) return { ok: true, value: { kind: 'arguments', args: argument } };
  return { ok: false, error: 'This command takes one argument object, for example { key: "ns:monitor:last" }.' };
}

/** Shows the error (without waiting for it to be dismissed) and returns it as the result. */
export function fail(services: CommandServices, message: string): { ok: false; error: string } {
  void services.notify.error(message);
  return { ok: false, error: message };
}

/** The user backed out of a prompt: nothing changed, nothing to say. */
export function cancelled(): { ok: false; error: string; cancelled: true } {
  return { ok: false, error: 'Cancelled: nothing was changed.', cancelled: true };
}

/** A short success note in the status bar and the log (no toast to dismiss). */
export function report(services: CommandServices, message: string): void {
  services.notify.log(message);
  vscode.window.setStatusBarMessage(`$(check) ${message}`, 5000);
}

/**
 * Registers a command whose handler may throw: anything thrown becomes an explained error
 * message and an `{ ok: false }` result, so a failed command always says what to do.
 */
export function registerCommand(services: CommandServices, id: CommandId, handler: (argument: unknown) => Promise<CommandResult> | CommandResult): vscode.Disposable {
  return vscode.commands.registerCommand(id, async (argument: unknown) => {
    try {
      return await handler(argument);
    } catch (error) {
      return fail(services, explainRedisError(error, { endpoint: services.connection.current.endpoint }).message);
    }
  });
}

/** Refuses a write in read-only mode or an untrusted workspace. */
export function writeRefusal(services: CommandServices): string | undefined {
  return services.config.readOnlyReason;
}

/** Asks for a key, checking it is not empty and lies inside the namespace. */
export async function promptForKey(services: CommandServices, options: { title: string; prompt: string; value?: string }): Promise<Buffer | undefined> {
  const namespace = services.connection.namespacePrefix;
  const text = await vscode.window.showInputBox({
    title: options.title,
    prompt: options.prompt,
    value: options.value ?? keyToDisplay(namespace),
    ignoreFocusOut: true,
    validateInput: (input) => validateKeyInput(input, namespace),
  });
  if (text === undefined) return undefined;
  return keyFromInput(text);
}

function validateKeyInput(input: string, namespace: Buffer): string | undefined {
  if (input.length === 0) return 'Type a key, for example ns:monitor:last.';
  let key: Buffer;
  try {
    key = keyFromInput(input);
  } catch (error) {
    return (error as Error).message;
  }
  const inside = checkInsideNamespace(key, namespace, 'key', input);
  return inside.ok ? undefined : inside.error;
}

/** The key or group prefix selected in the tree, to prefill prompts. */
export function selectedPrefix(services: CommandServices): string | undefined {
  const selected = services.tree.view.selection[0];
  if (selected instanceof GroupNode) return keyToDisplay(selected.prefix);
  if (selected instanceof KeyNode) return keyToDisplay(selected.key);
  return undefined;
}

/** A key from an argument object, checked against the namespace. */
export function checkKeyScope(services: CommandServices, key: Buffer, what = 'key'): Parsed<Buffer> {
  return checkInsideNamespace(key, services.connection.namespacePrefix, what, keyToDisplay(key));
}

/** After a write: re-list the tree and re-read open value tabs of these keys. */
export function afterWrite(services: CommandServices, keys?: Buffer[]): void {
  services.tree.refresh();
  services.values.refresh(keys);
}

/** The key a command works on: `args.key`, the clicked key node, or a prompt. */
export async function resolveKey(
  services: CommandServices,
  invocation: Invocation,
  prompt: { title: string; prompt: string },
): Promise<Parsed<Buffer> | 'cancelled'> {
  if (invocation.kind === 'arguments') {
    const key = parseKeyArgument(invocation.args.key);
    return key.ok ? checkKeyScope(services, key.value) : key;
  }
  if (invocation.kind === 'node') {
    if (invocation.node instanceof KeyNode) return { ok: true, value: invocation.node.key };
    return { ok: false, error: 'Choose a key in the Memory Keys view for this command.' };
  }
  const key = await promptForKey(services, { ...prompt, value: selectedPrefix(services) });
  return key ? { ok: true, value: key } : 'cancelled';
}
