// Checks the arguments the suggestion commands receive: they come from code lenses, but a command
// can also be run from a keybinding or another extension with anything at all.

import { SUGGESTION_KINDS, type Range, type TextEdit } from '../analysis/types';
import type { AcceptSuggestionArgs, DismissSuggestionArgs, ExplainSuggestionArgs } from '../server/protocol';

export function isAcceptArgs(value: unknown): value is AcceptSuggestionArgs {
  return (
    isRecord(value) &&
    isNonEmptyString(value.uri) &&
    isNonEmptyString(value.suggestionId) &&
    Number.isInteger(value.version) &&
    Array.isArray(value.edits) &&
    value.edits.length > 0 &&
    value.edits.every(isTextEdit)
  );
}

export function isExplainArgs(value: unknown): value is ExplainSuggestionArgs {
  return (
    isRecord(value) &&
    isNonEmptyString(value.uri) &&
    isNonEmptyString(value.suggestionId) &&
    isKind(value.kind) &&
    isNonEmptyString(value.explanation) &&
    isAcceptArgs(value.accept)
  );
}

export function isDismissArgs(value: unknown): value is DismissSuggestionArgs {
  return isRecord(value) && isNonEmptyString(value.uri) && isNonEmptyString(value.suggestionId) && isKind(value.kind);
}

function isTextEdit(value: unknown): value is TextEdit {
  return isRecord(value) && typeof value.newText === 'string' && isRange(value.range);
}

function isRange(value: unknown): value is Range {
  return isRecord(value) && isPosition(value.start) && isPosition(value.end);
}

function isPosition(value: unknown): boolean {
  return isRecord(value) && isCount(value.line) && isCount(value.character);
}

function isCount(value: unknown): boolean {
  return Number.isInteger(value) && (value as number) >= 0;
}

function isKind(value: unknown): boolean {
  return typeof value === 'string' && (SUGGESTION_KINDS as readonly string[]).includes(value);
}

function isNonEmptyString(value: unknown): value is string {
  return typeof value === 'string' && value.length > 0;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
