// Clear Key, Clear Group…, Clear All Workflow Memory…: count first, confirm with the exact scope
// and count (and whether it can be undone), delete in cancellable batches (the store checks every
// key against the prefix, and keeps a DUMP copy for Undo), and report what went, with Undo.
// Undo Last Clear puts the last clear's keys back.
import * as vscode from 'vscode';
import { Commands } from '../constants';
import { explainRedisError } from '../memory/errors';
import { keyToDisplay } from '../memory/keys';
import type { ClearResult, MemoryStore, UndoOutcome } from '../memory/store';
import { DEFAULT_UNDO_BUDGET, keyCountRefusal, UndoRecorder } from '../memory/undo';
import { formatCount } from '../memory/valueRender';
import { NotificationLevel } from '../notify';
import { GroupNode } from '../views/nodes/GroupNode';
import { parseBooleanArgument, parsePrefixArgument, Parsed } from './arguments';
import { ClearedMemory, LastClear } from './lastClear';
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

/** The button on a clear's completion message. */
export const UNDO_ACTION = 'Undo';

/** Whether a clear can be undone, and if not, why (said in the confirmation and the result). */
type UndoPlan = { keep: true } | { keep: false; why: string };

/** `undoable`: the clear kept a copy for Undo Last Clear; otherwise `undoUnavailable` says why. */
type UndoFields = { undoable: boolean; undoUnavailable?: string };
type ClearResultShape = CommandResult<{ deleted: number; cancelled: boolean; prefix: string } & UndoFields>;
type UndoResultShape = CommandResult<{ restored: number; skipped: number; expired: number; failed?: number }>;

export function registerClearCommands(services: CommandServices): vscode.Disposable[] {
  const lastClear = new LastClear(services.connection);
  return [
    lastClear,
    registerCommand(services, Commands.clearKey, (argument) => clearKey(services, lastClear, argument)),
    registerCommand(services, Commands.clearGroup, (argument) => clearGroup(services, lastClear, argument)),
    registerCommand(services, Commands.clearAll, (argument) => clearAll(services, lastClear, argument)),
    registerCommand(services, Commands.undoClear, () => undoClear(services, lastClear)),
  ];
}

/** `confirm` and `undo` from an argument object: true unless given as false; refused when not a boolean. */
function flagsOf(invocation: Invocation): Parsed<{ confirm: boolean; undo: boolean }> {
  if (invocation.kind !== 'arguments') return { ok: true, value: { confirm: true, undo: true } };
  const flags = { confirm: true, undo: true };
  for (const name of ['confirm', 'undo'] as const) {
    if (invocation.args[name] === undefined) continue;
    const parsed = parseBooleanArgument(invocation.args[name], name);
    if (!parsed.ok) return parsed;
    flags[name] = parsed.value;
  }
  return { ok: true, value: flags };
}

/** What every clear checks first: writes allowed, a well-formed invocation and flags, a connection. */
function startClear(services: CommandServices, argument: unknown): Parsed<{ invocation: Invocation; flags: { confirm: boolean; undo: boolean }; store: MemoryStore }> {
  const refusal = writeRefusal(services);
  if (refusal) return { ok: false, error: refusal };
  const invocation = invocationOf(argument);
  if (!invocation.ok) return invocation;
  const flags = flagsOf(invocation.value);
  if (!flags.ok) return flags;
  return { ok: true, value: { invocation: invocation.value, flags: flags.value, store: services.connection.requireStore() } };
}

function initialPlan(undo: boolean): UndoPlan {
  return undo ? { keep: true } : { keep: false, why: 'it was asked to clear without undo (undo: false)' };
}

/** The confirmation's sentence about undo, and the button that goes with it. */
function undoConfirmation(plan: UndoPlan): { sentence: string; button: string } {
  if (plan.keep) return { sentence: 'You can undo this afterwards (Undo Last Clear).', button: 'Delete' };
  return { sentence: `This cannot be undone: ${plan.why}.`, button: 'Delete Without Undo' };
}

async function clearKey(services: CommandServices, lastClear: LastClear, argument: unknown): Promise<CommandResult<{ deleted: number } & UndoFields>> {
  const start = startClear(services, argument);
  if (!start.ok) return fail(services, start.error);
  const { invocation, flags, store } = start.value;
  const key = await resolveKey(services, invocation, { title: 'Clear Key', prompt: 'Full Redis key to delete' });
  if (key === 'cancelled') return cancelled();
  if (!key.ok) return fail(services, key.error);
  const shownKey = keyToDisplay(key.value);
  let plan = initialPlan(flags.undo);
  if (flags.confirm) {
    if (plan.keep) {
      const footprint = await store.measureUndo({ key: key.value }, DEFAULT_UNDO_BUDGET);
      if (!footprint.fits) plan = { keep: false, why: footprint.message };
    }
    const { sentence, button } = undoConfirmation(plan);
    const answer = await vscode.window.showWarningMessage(`Delete the key "${shownKey}"?`, { modal: true, detail: sentence }, button);
    if (answer !== button) return cancelled();
  }
  const recorder = plan.keep ? new UndoRecorder(DEFAULT_UNDO_BUDGET) : undefined;
  lastClear.drop(); // only the last clear is kept: this one replaces it
  const deleted = await store.deleteKey(key.value, { undo: recorder });
  afterWrite(services, [key.value]);
  if (!deleted) return fail(services, `The key "${shownKey}" did not exist (it may have expired). Nothing was deleted.`);
  const undo = rememberUndo(lastClear, store, `"${shownKey}"`, recorder?.outcome(), plan);
  const message = `Deleted ${shownKey}.${undo.lost ? ` It cannot be undone: ${undo.lost}.` : ''}`;
  if (undo.kept) offerUndo(services, lastClear, undo.kept, 'info', message);
  else if (undo.lost) void services.notify.warning(message);
  else report(services, message);
  return { ok: true, deleted: 1, ...undo.fields };
}

async function clearGroup(services: CommandServices, lastClear: LastClear, argument: unknown): Promise<ClearResultShape> {
  const start = startClear(services, argument);
  if (!start.ok) return fail(services, start.error);
  const { invocation, flags, store } = start.value;

  let prefix: Buffer;
  if (invocation.kind === 'arguments') {
    const parsed = parsePrefixArgument(invocation.args.prefix);
    if (!parsed.ok) return fail(services, parsed.error);
    const scoped = checkKeyScope(services, parsed.value, 'prefix');
    if (!scoped.ok) return fail(services, scoped.error);
    prefix = scoped.value;
  } else if (invocation.kind === 'node') {
    if (!(invocation.node instanceof GroupNode)) return fail(services, 'Choose a group in the Memory Keys view to clear it.');
    prefix = invocation.node.prefix;
  } else {
    const typed = await promptForKey(services, {
      title: 'Clear Group',
      prompt: 'Prefix of the keys to delete, delimiter included (for example ns:monitor:)',
      value: selectedPrefix(services),
    });
    if (!typed) return cancelled();
    prefix = typed;
  }
  return runClear(services, lastClear, store, prefix, { ...flags, wholeDatabase: false });
}

async function clearAll(services: CommandServices, lastClear: LastClear, argument: unknown): Promise<ClearResultShape> {
  const start = startClear(services, argument);
  if (!start.ok) return fail(services, start.error);
  const { flags, store } = start.value;
  const namespace = services.connection.namespacePrefix;
  return runClear(services, lastClear, store, namespace, { ...flags, wholeDatabase: namespace.length === 0 });
}

/** Counts (and checks the undo copy fits), confirms, then deletes under prefix in cancellable batches. */
async function runClear(
  services: CommandServices,
  lastClear: LastClear,
  store: MemoryStore,
  prefix: Buffer,
  options: { confirm: boolean; undo: boolean; wholeDatabase: boolean },
): Promise<ClearResultShape> {
  const shownPrefix = keyToDisplay(prefix);
  const scope = options.wholeDatabase ? describeDatabase(services) : `under \`${shownPrefix}\``;
  let total: number | undefined;
  let plan = initialPlan(options.undo);

  if (options.confirm) {
    const counted = await countBeforeConfirming(store, prefix, scope, plan);
    if (counted === 'cancelled') return cancelled();
    plan = counted.plan;
    total = counted.count;
    if (total === 0) {
      void services.notify.info(`No keys ${scope}: nothing to delete.`);
      return { ok: true, deleted: 0, cancelled: false, prefix: shownPrefix, undoable: false, undoUnavailable: 'nothing was deleted' };
    }
    const question = `Delete ${formatCount(total)} ${total === 1 ? 'key' : 'keys'} ${scope}?`;
    const { sentence, button } = undoConfirmation(plan);
    if (options.wholeDatabase) {
      const typed = await vscode.window.showInputBox({
        title: question,
        prompt: `No namespace is configured, so this empties the whole database. ${sentence} Type ${CLEAR_DATABASE_WORD} to confirm.`,
        ignoreFocusOut: true,
        validateInput: (input) => (input === CLEAR_DATABASE_WORD || input === '' ? undefined : `Type ${CLEAR_DATABASE_WORD} in capitals, or press Escape.`),
      });
      if (typed !== CLEAR_DATABASE_WORD) return cancelled();
    } else {
      const answer = await vscode.window.showWarningMessage(question, { modal: true, detail: `${sentence} Keys that merely look alike (outside the prefix) are not touched.` }, button);
      if (answer !== button) return cancelled();
    }
  }

  const recorder = plan.keep ? new UndoRecorder(DEFAULT_UNDO_BUDGET) : undefined;
  lastClear.drop(); // only the last clear is kept: this one replaces it
  let result: ClearResult;
  try {
    result = await vscode.window.withProgress(
      { location: vscode.ProgressLocation.Notification, title: `Deleting keys ${scope}`, cancellable: true },
      (progress, token) => {
        const controller = abortOn(token);
        let reported = 0;
        return store.clearPrefix(prefix, {
          signal: controller.signal,
          wholeDatabase: options.wholeDatabase,
          undo: recorder,
          onProgress: ({ deleted }) => {
            const increment = total ? ((deleted - reported) / total) * 100 : undefined;
            reported = deleted;
            progress.report({ message: `${formatCount(deleted)} deleted`, increment });
          },
        });
      },
    );
  } catch (error) {
    // Failed half-way (connection lost, a key refused): what was deleted before that can still come back.
    afterWrite(services);
    const undo = rememberUndo(lastClear, store, scope, recorder?.outcome(), plan);
    if (!undo.kept) throw error;
    const message = `${explainRedisError(error, { endpoint: services.connection.current.endpoint }).message} ${formatCount(undo.kept.record.entries.length)} keys ${scope} were deleted before that; Undo puts them back.`;
    offerUndo(services, lastClear, undo.kept, 'error', message);
    return { ok: false, error: message };
  }
  afterWrite(services);
  const undo = rememberUndo(lastClear, store, scope, result.undo, plan);
  const deleted = `${formatCount(result.deleted)} ${result.deleted === 1 ? 'key' : 'keys'}`;
  const done = result.cancelled ? `Cancelled: deleted ${deleted} ${scope} before stopping.` : `Deleted ${deleted} ${scope}.`;
  const message = undo.lost ? `${done} It cannot be undone: ${undo.lost}.` : done;
  const level: NotificationLevel = result.cancelled || undo.lost ? 'warning' : 'info';
  if (undo.kept) offerUndo(services, lastClear, undo.kept, level, message);
  else void services.notify[level](message);
  return { ok: true, deleted: result.deleted, cancelled: result.cancelled, prefix: shownPrefix, ...undo.fields };
}

/** A count that finishes within this long shows no progress notification at all. */
const QUIET_COUNT_MS = 500;
/** VS Code keeps a progress notification up for at least 800 ms, however soon its task ends; plus a margin for the messages between the extension host and the workbench. */
const PROGRESS_NOTIFICATION_MIN_MS = 1000;

/**
 * Counts the keys a clear would delete (and whether an undo copy of them fits) before the
 * confirmation asks. The count shows a cancellable progress notification only when it takes a
 * while, and the confirmation waits until that notification has closed: otherwise it stays on
 * screen, with its Cancel button, over the modal question.
 */
async function countBeforeConfirming(store: MemoryStore, prefix: Buffer, scope: string, wanted: UndoPlan): Promise<{ count: number; plan: UndoPlan } | 'cancelled'> {
  const controller = new AbortController();
  let report: (message: string) => void = () => undefined;
  const counting = (async () => {
    const count = await store.countPrefix(prefix, controller.signal, (sofar) => report(formatCount(sofar)));
    let plan = wanted;
    if (plan.keep && count > 0) {
      report(`${formatCount(count)}; checking that a copy for Undo fits…`);
      const tooMany = keyCountRefusal(count, DEFAULT_UNDO_BUDGET);
      const footprint = tooMany ? undefined : await store.measureUndo({ prefix }, DEFAULT_UNDO_BUDGET, controller.signal);
      if (tooMany) plan = { keep: false, why: tooMany };
      else if (footprint && !footprint.fits) plan = { keep: false, why: footprint.message };
    }
    return { count, plan };
  })();
  const settled = counting.then(() => undefined, () => undefined);
  const quick = await Promise.race([settled.then(() => true), delay(QUIET_COUNT_MS).then(() => false)]);
  if (!quick) {
    const opened = Date.now();
    await vscode.window.withProgress(
      { location: vscode.ProgressLocation.Notification, title: `Counting keys ${scope}…`, cancellable: true },
      (progress, token) => {
        report = (message) => progress.report({ message });
        token.onCancellationRequested(() => controller.abort());
        return settled;
      },
    );
    report = () => undefined;
    await delay(opened + PROGRESS_NOTIFICATION_MIN_MS - Date.now());
  }
  try {
    const counted = await counting;
    return controller.signal.aborted ? 'cancelled' : counted;
  } catch (error) {
    if (controller.signal.aborted) return 'cancelled'; // the abort surfaces as an AbortError: a cancel, not a failure
    throw error;
  }
}

function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, Math.max(0, ms)));
}

/**
 * Keeps a clear's undo copy as the last clear. `lost` is set when undo was wanted but the copy was
 * given up during the clear (the confirmation had promised it); `fields` go into the result.
 */
function rememberUndo(
  lastClear: LastClear,
  store: MemoryStore,
  scope: string,
  outcome: UndoOutcome | undefined,
  plan: UndoPlan,
): { kept?: ClearedMemory; lost?: string; fields: UndoFields } {
  if (outcome?.kind === 'kept' && outcome.record.entries.length > 0) {
    const kept: ClearedMemory = { record: outcome.record, store, scope };
    lastClear.keep(kept);
    return { kept, fields: { undoable: true } };
  }
  if (outcome?.kind === 'unavailable') return { lost: outcome.message, fields: { undoable: false, undoUnavailable: outcome.message } };
  return { fields: { undoable: false, undoUnavailable: plan.keep ? 'nothing was deleted' : plan.why } };
}

/** Shows the completion message with an Undo button, without waiting for it; a click undoes only that clear. */
function offerUndo(services: CommandServices, lastClear: LastClear, kept: ClearedMemory, level: NotificationLevel, message: string): void {
  services.notify[level](message, UNDO_ACTION).then(
    (choice) => {
      if (choice !== UNDO_ACTION) return;
      if (lastClear.current !== kept) {
        void services.notify.info('That clear can no longer be undone: a later clear, or a change of connection, replaced it.');
        return;
      }
      void vscode.commands.executeCommand(Commands.undoClear);
    },
    () => undefined,
  );
}

/** Puts the last clear's keys back (RESTORE, never over a key that exists again), once. */
async function undoClear(services: CommandServices, lastClear: LastClear): Promise<UndoResultShape> {
  const refusal = writeRefusal(services);
  if (refusal) return fail(services, refusal);
  const kept = lastClear.current;
  if (!kept) return fail(services, 'There is no clear to undo: only the last clear on this connection can be undone, and only once. Nothing was changed.');
  const store = services.connection.requireStore();
  if (store !== kept.store) {
    lastClear.drop(kept);
    return fail(services, 'The connection changed since that clear, so it can no longer be undone. Nothing was changed.');
  }
  const count = kept.record.entries.length;
  // Not cancellable: a half-done undo would leave the copy half used. A failure keeps the copy for a retry.
  const result = await vscode.window.withProgress(
    { location: vscode.ProgressLocation.Notification, title: `Restoring ${formatCount(count)} ${count === 1 ? 'key' : 'keys'} ${kept.scope}…` },
    () => store.restore(kept.record),
  );
  lastClear.drop(kept);
  afterWrite(services);
  const parts = [`Restored ${formatCount(result.restored)} ${result.restored === 1 ? 'key' : 'keys'} ${kept.scope}.`];
  if (result.skipped) parts.push(`${formatCount(result.skipped)} left alone: a key of that name exists again, and it is newer.`);
  if (result.expired) parts.push(`${formatCount(result.expired)} not restored: ${result.expired === 1 ? 'its' : 'their'} expiry ran out since the clear.`);
  if (result.failed) parts.push(`${formatCount(result.failed)} could not be restored: ${result.error ?? 'the server refused them'}`);
  const level: NotificationLevel = result.failed ? (result.restored ? 'warning' : 'error') : 'info';
  void services.notify[level](parts.join(' '));
  const { restored, skipped, expired, failed } = result;
  return failed ? { ok: true, restored, skipped, expired, failed } : { ok: true, restored, skipped, expired };
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
