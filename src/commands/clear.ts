// Clear Key, Clear Group…, Clear All Workflow Memory…: count first, confirm with the exact scope
// and count, delete in cancellable batches (the store checks every key against the prefix), and
// report what went.
import * as vscode from 'vscode';
import { Commands } from '../constants';
import { keyToDisplay } from '../memory/keys';
import type { MemoryStore } from '../memory/store';
import { formatCount } from '../memory/valueRender';
import { GroupNode } from '../views/nodes/GroupNode';
import { parseBooleanArgument, parsePrefixArgument, Parsed } from './arguments';
import {
  afterWrite,
  cancelled,
  checkKeyScope,
  CommandResult,
  CommandServices,
  fail,
  invocationOf,
  Invocation,
  promptForKey,
  registerCommand,
  report,
  resolveKey,
  selectedPrefix,
  writeRefusal,
} from './support';

/** The word typed to confirm clearing a whole database (no namespace configured). */
export const CLEAR_DATABASE_WORD = 'DELETE';

type ClearResultShape = CommandResult<{ deleted: number; cancelled: boolean; prefix: string }>;

export function registerClearCommands(services: CommandServices): vscode.Disposable[] {
  return [
    registerCommand(services, Commands.clearKey, (argument) => clearKey(services, argument)),
    registerCommand(services, Commands.clearGroup, (argument) => clearGroup(services, argument)),
    registerCommand(services, Commands.clearAll, (argument) => clearAll(services, argument)),
  ];
}

/** `confirm` from an argument object: true unless given as false; refused when not a boolean. */
function confirmOf(invocation: Invocation): Parsed<boolean> {
  if (invocation.kind !== 'arguments' || invocation.args.confirm === undefined) return { ok: true, value: true };
  return parseBooleanArgument(invocation.args.confirm, 'confirm');
}

async function clearKey(services: CommandServices, argument: unknown): Promise<CommandResult<{ deleted: number }>> {
  const refusal = writeRefusal(services);
  if (refusal) return fail(services, refusal);
  const invocation = invocationOf(argument);
  if (!invocation.ok) return fail(services, invocation.error);
  const confirm = confirmOf(invocation.value);
  if (!confirm.ok) return fail(services, confirm.error);
  const store = services.connection.requireStore();
  const key = await resolveKey(services, invocation.value, { title: 'Clear Key', prompt: 'Full Redis key to delete' });
  if (key === 'cancelled') return cancelled();
  if (!key.ok) return fail(services, key.error);
  const shownKey = keyToDisplay(key.value);
  if (confirm.value) {
    const answer = await vscode.window.showWarningMessage(`Delete the key "${shownKey}"?`, { modal: true, detail: 'This cannot be undone.' }, 'Delete');
    if (answer !== 'Delete') return cancelled();
  }
  const deleted = await store.deleteKey(key.value);
  afterWrite(services, [key.value]);
  if (!deleted) return fail(services, `The key "${shownKey}" did not exist (it may have expired). Nothing was deleted.`);
  report(services, `Deleted ${shownKey}.`);
  return { ok: true, deleted: 1 };
}

async function clearGroup(services: CommandServices, argument: unknown): Promise<ClearResultShape> {
  const refusal = writeRefusal(services);
  if (refusal) return fail(services, refusal);
  const invocation = invocationOf(argument);
  if (!invocation.ok) return fail(services, invocation.error);
  const confirm = confirmOf(invocation.value);
  if (!confirm.ok) return fail(services, confirm.error);
  const store = services.connection.requireStore();

  let prefix: Buffer;
  if (invocation.value.kind === 'arguments') {
    const parsed = parsePrefixArgument(invocation.value.args.prefix);
    if (!parsed.ok) return fail(services, parsed.error);
    const scoped = checkKeyScope(services, parsed.value, 'prefix');
    if (!scoped.ok) return fail(services, scoped.error);
    prefix = scoped.value;
  } else if (invocation.value.kind === 'node') {
    if (!(invocation.value.node instanceof GroupNode)) return fail(services, 'Choose a group in the Memory Keys view to clear it.');
    prefix = invocation.value.node.prefix;
  } else {
    const typed = await promptForKey(services, {
      title: 'Clear Group',
      prompt: 'Prefix of the keys to delete, delimiter included (for example ns:monitor:)',
      value: selectedPrefix(services),
    });
    if (!typed) return cancelled();
    prefix = typed;
  }
  return runClear(services, store, prefix, { confirm: confirm.value, wholeDatabase: false });
}

async function clearAll(services: CommandServices, argument: unknown): Promise<ClearResultShape> {
  const refusal = writeRefusal(services);
  if (refusal) return fail(services, refusal);
  const invocation = invocationOf(argument);
  if (!invocation.ok) return fail(services, invocation.error);
  const confirm = confirmOf(invocation.value);
  if (!confirm.ok) return fail(services, confirm.error);
  const store = services.connection.requireStore();
  const namespace = services.connection.namespacePrefix;
  return runClear(services, store, namespace, { confirm: confirm.value, wholeDatabase: namespace.length === 0 });
}

/** Counts, confirms, then deletes under prefix in cancellable batches. */
async function runClear(
  services: CommandServices,
  store: MemoryStore,
  prefix: Buffer,
  options: { confirm: boolean; wholeDatabase: boolean },
): Promise<ClearResultShape> {
  const shownPrefix = keyToDisplay(prefix);
  const scope = options.wholeDatabase ? describeDatabase(services) : `under \`${shownPrefix}\``;
  let total: number | undefined;

  if (options.confirm) {
    const counted = await vscode.window.withProgress(
      { location: vscode.ProgressLocation.Notification, title: `Counting keys ${scope}…`, cancellable: true },
      async (progress, token) => {
        const controller = abortOn(token);
        const count = await store.countPrefix(prefix, controller.signal, (sofar) => progress.report({ message: formatCount(sofar) }));
        return token.isCancellationRequested ? undefined : count;
      },
    );
    if (counted === undefined) return cancelled();
    total = counted;
    if (total === 0) {
      void services.notify.info(`No keys ${scope}: nothing to delete.`);
      return { ok: true, deleted: 0, cancelled: false, prefix: shownPrefix };
    }
    const question = `Delete ${formatCount(total)} ${total === 1 ? 'key' : 'keys'} ${scope}?`;
    if (options.wholeDatabase) {
      const typed = await vscode.window.showInputBox({
        title: question,
        prompt: `No namespace is configured, so this empties the whole database. Type ${CLEAR_DATABASE_WORD} to confirm.`,
        ignoreFocusOut: true,
        validateInput: (input) => (input === CLEAR_DATABASE_WORD || input === '' ? undefined : `Type ${CLEAR_DATABASE_WORD} in capitals, or press Escape.`),
      });
      if (typed !== CLEAR_DATABASE_WORD) return cancelled();
    } else {
      const answer = await vscode.window.showWarningMessage(question, { modal: true, detail: 'This cannot be undone. Keys that merely look alike (outside the prefix) are not touched.' }, 'Delete');
      if (answer !== 'Delete') return cancelled();
    }
  }

  const result = await vscode.window.withProgress(
    { location: vscode.ProgressLocation.Notification, title: `Deleting keys ${scope}`, cancellable: true },
    (progress, token) => {
      const controller = abortOn(token);
      let reported = 0;
      return store.clearPrefix(prefix, {
        signal: controller.signal,
        wholeDatabase: options.wholeDatabase,
        onProgress: ({ deleted }) => {
          const increment = total ? ((deleted - reported) / total) * 100 : undefined;
          reported = deleted;
          progress.report({ message: `${formatCount(deleted)} deleted`, increment });
        },
      });
    },
  );
  afterWrite(services);
  const deleted = `${formatCount(result.deleted)} ${result.deleted === 1 ? 'key' : 'keys'}`;
  if (result.cancelled) void services.notify.warning(`Cancelled: deleted ${deleted} ${scope} before stopping.`);
  else void services.notify.info(`Deleted ${deleted} ${scope}.`);
  return { ok: true, deleted: result.deleted, cancelled: result.cancelled, prefix: shownPrefix };
}

function describeDatabase(services: CommandServices): string {
  const { endpoint, db } = services.connection.current;
  return `in database ${db} of ${endpoint} (no namespace set)`;
}

function abortOn(token: vscode.CancellationToken): AbortController {
  const controller = new AbortController();
  if (token.isCancellationRequested) controller.abort();
  token.onCancellationRequested(() => controller.abort());
  return controller;
}
