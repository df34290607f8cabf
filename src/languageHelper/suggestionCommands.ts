// The commands behind the helper's code lenses: Add memory (apply the suggestion's edits as one
// undo step, only to the document version they were made for), Why? and Dismiss, and the
// palette's Restart Language Helper.

import * as vscode from 'vscode';
import { Commands } from '../constants';
import type { AcceptSuggestionArgs } from '../server/protocol';
import { isAcceptArgs, isDismissArgs, isExplainArgs } from './commandArguments';
import type { LanguageHelper } from './client';

/** What the commands need to talk to the user; the extension's Notifier has this shape. */
export interface HelperMessages {
  info(message: string, ...actions: string[]): Thenable<string | undefined>;
  warning(message: string, ...actions: string[]): Thenable<string | undefined>;
  error(message: string, ...actions: string[]): Thenable<string | undefined>;
}

const ADD_MEMORY_ACTION = 'Add Memory';
const UNDO_ACTION = 'Undo';

export function registerSuggestionCommands(helper: LanguageHelper, messages: HelperMessages): vscode.Disposable[] {
  return [
    vscode.commands.registerCommand(Commands.acceptSuggestion, (args: unknown) => acceptSuggestion(args, messages)),
    vscode.commands.registerCommand(Commands.explainSuggestion, (args: unknown) => explainSuggestion(args, messages)),
    vscode.commands.registerCommand(Commands.dismissSuggestion, (args: unknown) => dismissSuggestion(helper, args, messages)),
    vscode.commands.registerCommand(Commands.restartHelper, () => restartHelper(helper, messages)),
  ];
}

/** Resolves true when the memory code was inserted. */
export async function acceptSuggestion(args: unknown, messages: HelperMessages): Promise<boolean> {
  if (!isAcceptArgs(args)) {
    void messages.warning('Workflow Memory: "Add Memory Here" runs from a memory suggestion\'s code lens; there is no suggestion to apply here.');
    return false;
  }
  let document: vscode.TextDocument;
  try {
    document = await vscode.workspace.openTextDocument(vscode.Uri.parse(args.uri, true));
  } catch (error) {
    void messages.warning(`Workflow Memory: cannot open ${args.uri} to add memory (${describe(error)}); nothing was changed.`);
    return false;
  }
  const current = document.version === args.version ? args : await freshSuggestion(document, args.suggestionId);
  if (!current) {
    void messages.warning('Workflow Memory: the file changed since this suggestion was made, and it no longer applies; nothing was changed. Try again from the refreshed code lens.');
    return false;
  }
  const ranges = current.edits.map(
    (edit) => new vscode.Range(edit.range.start.line, edit.range.start.character, edit.range.end.line, edit.range.end.character),
  );
  if (ranges.some((range) => !document.validateRange(range).isEqual(range))) {
    void messages.warning('Workflow Memory: this suggestion points outside the file as it is now; nothing was changed. Try again from the refreshed code lens.');
    return false;
  }
  // One WorkspaceEdit = one undo step, however many places it touches (code + import + client).
  const edit = new vscode.WorkspaceEdit();
  current.edits.forEach((textEdit, index) => edit.replace(document.uri, ranges[index], textEdit.newText));
  const applied = await vscode.workspace.applyEdit(edit);
  if (!applied) {
    void messages.error('Workflow Memory: VS Code refused the edit (is the file read-only?); nothing was changed.');
  }
  return applied;
}

/**
 * The same suggestion computed for the document as it is now, if it still exists: lenses are
 * asked for again (the request carries the latest text to the server first).
 */
async function freshSuggestion(document: vscode.TextDocument, suggestionId: string): Promise<AcceptSuggestionArgs | undefined> {
  const lenses = await vscode.commands.executeCommand<vscode.CodeLens[] | undefined>('vscode.executeCodeLensProvider', document.uri);
  for (const lens of lenses ?? []) {
    const args: unknown = lens.command?.command === Commands.acceptSuggestion ? lens.command.arguments?.[0] : undefined;
    if (isAcceptArgs(args) && args.suggestionId === suggestionId && args.version === document.version) return args;
  }
  return undefined;
}

/** Shows why memory helps here and returns the explanation; never waits for the user. */
export function explainSuggestion(args: unknown, messages: HelperMessages): string | undefined {
  if (!isExplainArgs(args)) {
    void messages.warning('Workflow Memory: "Why Add Memory Here?" runs from a memory suggestion\'s code lens; there is no suggestion to explain here.');
    return undefined;
  }
  void Promise.resolve(messages.info(args.explanation, ADD_MEMORY_ACTION)).then((choice) => {
    if (choice === ADD_MEMORY_ACTION) return vscode.commands.executeCommand(Commands.acceptSuggestion, args.accept);
    return undefined;
  });
  return args.explanation;
}

/** Records the dismissal in the workspace state and tells the server, which drops the lens. */
export async function dismissSuggestion(helper: LanguageHelper, args: unknown, messages: HelperMessages): Promise<boolean> {
  if (!isDismissArgs(args)) {
    void messages.warning('Workflow Memory: "Dismiss Memory Suggestion" runs from a memory suggestion\'s code lens; there is nothing to dismiss here.');
    return false;
  }
  await helper.dismissed.add(args.uri, args.suggestionId);
  await helper.sendDismissed();
  void Promise.resolve(messages.info(`Workflow Memory: the ${args.kind} suggestion is dismissed for this place.`, UNDO_ACTION)).then(async (choice) => {
    if (choice !== UNDO_ACTION) return;
    await helper.dismissed.remove(args.uri, args.suggestionId);
    await helper.sendDismissed();
  });
  return true;
}

export async function restartHelper(helper: LanguageHelper, messages: HelperMessages): Promise<boolean> {
  const restarted = await helper.restart();
  if (restarted) void messages.info('Workflow Memory: the language helper restarted.');
  return restarted;
}

function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
