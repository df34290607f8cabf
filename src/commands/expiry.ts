// Set Expiry…, Remove Expiry.
import * as vscode from 'vscode';
import { Commands } from '../constants';
import { keyToDisplay } from '../memory/keys';
import type { TtlChoice } from '../memory/store';
import { formatTtlChoice } from '../memory/ttl';
import { parseTtlArgument, parseTtlText, Parsed } from './arguments';
import { afterWrite, cancelled, CommandResult, CommandServices, fail, invocationOf, registerCommand, report, resolveKey, writeRefusal } from './support';

export function registerExpiryCommands(services: CommandServices): vscode.Disposable[] {
  return [
    registerCommand(services, Commands.setTtl, (argument) => setTtl(services, argument)),
    registerCommand(services, Commands.persist, (argument) => persist(services, argument)),
  ];
}

async function setTtl(services: CommandServices, argument: unknown): Promise<CommandResult<{ key: string; ttl: string }>> {
  const refusal = writeRefusal(services);
  if (refusal) return fail(services, refusal);
  const invocation = invocationOf(argument);
  if (!invocation.ok) return fail(services, invocation.error);
  const store = services.connection.requireStore();
  const key = await resolveKey(services, invocation.value, { title: 'Set Expiry', prompt: 'Full Redis key to give an expiry' });
  if (key === 'cancelled') return cancelled();
  if (!key.ok) return fail(services, key.error);

  let ttl: Parsed<TtlChoice>;
  if (invocation.value.kind === 'arguments') {
    ttl = invocation.value.args.ttl === undefined
      ? { ok: false, error: 'No ttl given. Give one such as { key, ttl: "7d" }, or "none" to remove the expiry.' }
      : parseTtlArgument(invocation.value.args.ttl);
  } else {
    const text = await vscode.window.showInputBox({
      title: `Set Expiry of ${keyToDisplay(key.value)}`,
      prompt: 'Expiry such as 30s, 10m, 2h, 7d, or none (never expires)',
      value: services.config.defaultTtl,
      ignoreFocusOut: true,
      validateInput: (input) => {
        const parsed = parseTtlText(input);
        return parsed.ok ? undefined : parsed.error;
      },
    });
    if (text === undefined) return cancelled();
    ttl = parseTtlText(text);
  }
  if (!ttl.ok) return fail(services, ttl.error);

  const shownKey = keyToDisplay(key.value);
  const applied = ttl.value.kind === 'duration' ? await store.setExpiry(key.value, ttl.value.ms) : ttl.value.kind === 'none' ? await store.removeExpiry(key.value) : true;
  if (!applied && (await store.typeOf(key.value)) === 'none') {
    return fail(services, `The key "${shownKey}" does not exist (it may have expired). Nothing was changed.`);
  }
  afterWrite(services, [key.value]);
  report(services, `${shownKey}: ${formatTtlChoice(ttl.value)}.`);
  return { ok: true, key: shownKey, ttl: formatTtlChoice(ttl.value) };
}

async function persist(services: CommandServices, argument: unknown): Promise<CommandResult<{ key: string; changed: boolean }>> {
  const refusal = writeRefusal(services);
  if (refusal) return fail(services, refusal);
  const invocation = invocationOf(argument);
  if (!invocation.ok) return fail(services, invocation.error);
  const store = services.connection.requireStore();
  const key = await resolveKey(services, invocation.value, { title: 'Remove Expiry', prompt: 'Full Redis key to keep forever' });
  if (key === 'cancelled') return cancelled();
  if (!key.ok) return fail(services, key.error);
  const shownKey = keyToDisplay(key.value);
  const changed = await store.removeExpiry(key.value);
  if (!changed && (await store.typeOf(key.value)) === 'none') {
    return fail(services, `The key "${shownKey}" does not exist (it may have expired). Nothing was changed.`);
  }
  afterWrite(services, [key.value]);
  report(services, changed ? `${shownKey} no longer expires.` : `${shownKey} already had no expiry.`);
  return { ok: true, key: shownKey, changed };
}
