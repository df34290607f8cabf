// Refresh, Filter Keys…, Clear Filter, Load More….
import * as vscode from 'vscode';
import { Commands } from '../constants';
import { NOT_CONNECTED_MESSAGE } from '../connection';
import { filterToGlob } from '../memory/keys';
import { LoadMoreNode } from '../views/nodes/LoadMoreNode';
import { cancelled, CommandResult, CommandServices, fail, invocationOf, registerCommand } from './support';

export function registerViewCommands(services: CommandServices): vscode.Disposable[] {
  return [
    registerCommand(services, Commands.refresh, () => refresh(services)),
    registerCommand(services, Commands.filter, (argument) => filter(services, argument)),
    registerCommand(services, Commands.clearFilter, () => applyFilter(services, undefined)),
    registerCommand(services, Commands.loadMore, (argument) => loadMore(services, argument)),
  ];
}

async function refresh(services: CommandServices): Promise<CommandResult> {
  const state = services.connection.state;
  // After a failure, Refresh is what people click: treat it as Retry.
  if (state === 'error') {
    const outcome = await services.connection.connect();
    return outcome.ok ? { ok: true } : fail(services, outcome.error);
  }
  if (state === 'disconnected') return fail(services, NOT_CONNECTED_MESSAGE);
  services.tree.refresh();
  services.values.refresh();
  return { ok: true };
}

async function filter(services: CommandServices, argument: unknown): Promise<CommandResult<{ filter: string | null }>> {
  const invocation = invocationOf(argument);
  if (!invocation.ok) return fail(services, invocation.error);
  let pattern: string;
  if (invocation.value.kind === 'arguments') {
    const given = invocation.value.args.pattern;
    if (given !== undefined && given !== null && typeof given !== 'string') return fail(services, 'pattern must be text, such as "monitor" or "*:last".');
    pattern = (given as string | undefined | null) ?? '';
  } else {
    const typed = await vscode.window.showInputBox({
      title: 'Filter Keys',
      prompt: 'Text the keys contain, or a Redis glob such as *monitor*:last (matched after the namespace). Empty clears the filter.',
      value: services.tree.filter ?? '',
      ignoreFocusOut: true,
    });
    if (typed === undefined) return cancelled();
    pattern = typed;
  }
  return applyFilter(services, pattern);
}

function applyFilter(services: CommandServices, pattern: string | undefined): CommandResult<{ filter: string | null }> {
  const glob = pattern ? filterToGlob(pattern) : undefined;
  services.tree.setFilter(glob ? pattern : undefined);
  return { ok: true, filter: services.tree.filter ?? null };
}

async function loadMore(services: CommandServices, argument: unknown): Promise<CommandResult> {
  if (!(argument instanceof LoadMoreNode)) return fail(services, 'Load More… works on the "Load more…" item in the Memory Keys view.');
  await services.tree.loadMore(argument);
  return { ok: true };
}
