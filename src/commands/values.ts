// Set Value…, Open Value, Copy Key.
import * as vscode from 'vscode';
import { Commands } from '../constants';
import { keyToDisplay } from '../memory/keys';
import type { MemoryStore, TtlChoice } from '../memory/store';
import { formatTtlChoice } from '../memory/ttl';
import { ConnectionNode } from '../views/nodes/ConnectionNode';
import { GroupNode } from '../views/nodes/GroupNode';
import { KeyNode } from '../views/nodes/KeyNode';
import { valueUri } from '../views/valueDocuments';
import {
  parseBooleanArgument,
  parseFormatArgument,
  parseKeyArgument,
  parseTtlArgument,
  parseTtlText,
  parseValueArgument,
  Parsed,
  validateJson,
  ValueFormat,
} from './arguments';
import {
  afterWrite,
  cancelled,
  checkKeyScope,
  CommandResult,
  CommandServices,
  fail,
  invocationOf,
  promptForKey,
  registerCommand,
  report,
  resolveKey,
  selectedPrefix,
  writeRefusal,
} from './support';

export function registerValueCommands(services: CommandServices): vscode.Disposable[] {
  return [
    registerCommand(services, Commands.setValue, (argument) => setValue(services, argument)),
    registerCommand(services, Commands.openValue, (argument) => openValue(services, argument)),
    registerCommand(services, Commands.copyKey, (argument) => copyKey(services, argument)),
  ];
}

/** What Set Value… writes, once every input is known and valid. */
interface SetValueRequest {
  key: Buffer;
  value: string;
  format: ValueFormat;
  /** Undefined: the default for a new key, the current expiry for an existing one. */
  ttl?: TtlChoice;
  replaceOtherType: boolean;
}

async function setValue(services: CommandServices, argument: unknown): Promise<CommandResult<{ key: string; format: ValueFormat; ttl: string }>> {
  const refusal = writeRefusal(services);
  if (refusal) return fail(services, refusal);
  const invocation = invocationOf(argument);
  if (!invocation.ok) return fail(services, invocation.error);
  const store = services.connection.requireStore();

  let request: SetValueRequest | 'cancelled';
  if (invocation.value.kind === 'arguments') {
    const parsed = setValueArguments(services, invocation.value.args);
    if (!parsed.ok) return fail(services, parsed.error);
    request = parsed.value;
  } else {
    const node = invocation.value.kind === 'node' ? invocation.value.node : undefined;
    request = await promptSetValue(services, store, node);
  }
  if (request === 'cancelled') return cancelled();

  const existingType = await store.typeOf(request.key);
  const shownKey = keyToDisplay(request.key);
  if (existingType !== 'none' && existingType !== 'string' && !request.replaceOtherType) {
    if (invocation.value.kind === 'arguments') {
      return fail(services, `The key "${shownKey}" holds a ${existingType}, not a string. Nothing was changed. Pass replaceOtherType: true to replace it.`);
    }
    const replace = await vscode.window.showWarningMessage(
      `The key "${shownKey}" holds a ${existingType}. Replace it with a string value?`,
      { modal: true, detail: `The ${existingType} is deleted and cannot be brought back.` },
      'Replace',
    );
    if (replace !== 'Replace') return cancelled();
    request.replaceOtherType = true;
  }

  let ttl = request.ttl;
  if (!ttl) {
    if (existingType === 'string') ttl = { kind: 'keep' };
    else {
      const fallback = defaultTtl(services);
      if (!fallback.ok) return fail(services, fallback.error);
      ttl = fallback.value;
    }
  }
  await store.setString(request.key, request.value, ttl, { replaceOtherType: request.replaceOtherType });
  afterWrite(services, [request.key]);
  report(services, `Set ${shownKey} (${formatTtlChoice(ttl)}).`);
  return { ok: true, key: shownKey, format: request.format, ttl: formatTtlChoice(ttl) };
}

function setValueArguments(services: CommandServices, args: Record<string, unknown>): Parsed<SetValueRequest> {
  const key = parseKeyArgument(args.key);
  if (!key.ok) return key;
  const scoped = checkKeyScope(services, key.value);
  if (!scoped.ok) return scoped;
  const format = args.format === undefined ? ({ ok: true, value: 'text' } as const) : parseFormatArgument(args.format);
  if (!format.ok) return format;
  const value = parseValueArgument(args.value, format.value);
  if (!value.ok) return value;
  let ttl: TtlChoice | undefined;
  if (args.ttl !== undefined) {
    const parsed = parseTtlArgument(args.ttl);
    if (!parsed.ok) return parsed;
    ttl = parsed.value;
  }
  let replaceOtherType = false;
  if (args.replaceOtherType !== undefined) {
    const parsed = parseBooleanArgument(args.replaceOtherType, 'replaceOtherType');
    if (!parsed.ok) return parsed;
    replaceOtherType = parsed.value;
  }
  return { ok: true, value: { key: scoped.value, value: value.value, format: format.value, ttl, replaceOtherType } };
}

/** The defaultTtl setting, refused with a message when someone wrote nonsense into it. */
function defaultTtl(services: CommandServices): Parsed<TtlChoice> {
  const parsed = parseTtlText(services.config.defaultTtl);
  if (parsed.ok) return parsed;
  return { ok: false, error: `The setting workflowMemory.defaultTtl is not usable: ${parsed.error} Nothing was changed.` };
}

async function promptSetValue(services: CommandServices, store: MemoryStore, node: unknown): Promise<SetValueRequest | 'cancelled'> {
  const title = 'Set Value';
  let key: Buffer | undefined;
  if (node instanceof KeyNode) key = node.key;
  else {
    const prefill = node instanceof GroupNode ? keyToDisplay(node.prefix) : node instanceof ConnectionNode ? keyToDisplay(node.prefix) : selectedPrefix(services);
    key = await promptForKey(services, { title: `${title} (1/4)`, prompt: 'Full Redis key to set', value: prefill });
  }
  if (!key) return 'cancelled';
  const existingType = await store.typeOf(key);

  const formatPick = await vscode.window.showQuickPick(
    [
      { label: 'Text', description: 'stored as it is typed', format: 'text' as const },
      { label: 'JSON', description: 'checked before it is stored', format: 'json' as const },
    ],
    { title: `${title} (2/4): format of ${keyToDisplay(key)}`, ignoreFocusOut: true },
  );
  if (!formatPick) return 'cancelled';
  const format = formatPick.format;

  const value = await vscode.window.showInputBox({
    title: `${title} (3/4): value`,
    prompt: format === 'json' ? `JSON value for ${keyToDisplay(key)}` : `Text value for ${keyToDisplay(key)}`,
    ignoreFocusOut: true,
    validateInput: (input) => {
      if (format !== 'json') return undefined;
      const valid = validateJson(input);
      return valid.ok ? undefined : valid.error;
    },
  });
  if (value === undefined) return 'cancelled';

  const keeps = existingType === 'string';
  const expiry = await vscode.window.showInputBox({
    title: `${title} (4/4): expiry`,
    prompt: keeps
      ? 'Expiry such as 30s, 10m, 2h, 7d, or none. Leave empty to keep the key\'s current expiry.'
      : 'Expiry such as 30s, 10m, 2h, 7d, or none (never expires).',
    value: keeps ? '' : services.config.defaultTtl,
    ignoreFocusOut: true,
    validateInput: (input) => {
      if (keeps && input.trim() === '') return undefined;
      const parsed = parseTtlText(input);
      return parsed.ok ? undefined : parsed.error;
    },
  });
  if (expiry === undefined) return 'cancelled';
  let ttl: TtlChoice | undefined;
  if (expiry.trim() !== '') {
    const parsed = parseTtlText(expiry);
    if (!parsed.ok) return 'cancelled';
    ttl = parsed.value;
  }
  return { key, value, format, ttl, replaceOtherType: false };
}

async function openValue(services: CommandServices, argument: unknown): Promise<CommandResult<{ uri: string; language: string }>> {
  const invocation = invocationOf(argument);
  if (!invocation.ok) return fail(services, invocation.error);
  const store = services.connection.requireStore();
  const key = await resolveKey(services, invocation.value, { title: 'Open Value', prompt: 'Full Redis key to open' });
  if (key === 'cancelled') return cancelled();
  if (!key.ok) return fail(services, key.error);
  if ((await store.typeOf(key.value)) === 'none') {
    return fail(services, `The key "${keyToDisplay(key.value)}" does not exist (it may have expired). Refresh the tree.`);
  }
  const uri = valueUri(key.value, services.config.delimiter);
  let document = await vscode.workspace.openTextDocument(uri);
  const language = services.values.languageOf(uri);
  if (language !== 'plaintext' && document.languageId !== language) document = await vscode.languages.setTextDocumentLanguage(document, language);
  await vscode.window.showTextDocument(document, { preview: true });
  return { ok: true, uri: uri.toString(), language: document.languageId };
}

async function copyKey(services: CommandServices, argument: unknown): Promise<CommandResult<{ text: string }>> {
  const invocation = invocationOf(argument);
  if (!invocation.ok) return fail(services, invocation.error);
  let text: string;
  if (invocation.value.kind === 'node' && invocation.value.node instanceof GroupNode) text = keyToDisplay(invocation.value.node.prefix);
  else if (invocation.value.kind === 'prompt') {
    const selected = selectedPrefix(services);
    if (selected === undefined) return fail(services, 'Select a key or group in the Memory Keys view to copy it.');
    text = selected;
  } else {
    const key = await resolveKey(services, invocation.value, { title: 'Copy Key', prompt: 'Key to copy' });
    if (key === 'cancelled') return cancelled();
    if (!key.ok) return fail(services, key.error);
    text = keyToDisplay(key.value);
  }
  await vscode.env.clipboard.writeText(text);
  report(services, `Copied ${text}.`);
  return { ok: true, text };
}
