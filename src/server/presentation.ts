// How analysis results look in LSP: a suggestion becomes three code lenses (Add memory · Why? ·
// Dismiss) and a refactor action; a finding becomes a diagnostic and, where it has a fix, a quick fix.

import {
  CodeActionKind,
  DiagnosticSeverity,
  type CodeAction,
  type CodeLens,
  type Diagnostic,
  type Range,
  type TextEdit,
  type WorkspaceEdit,
} from 'vscode-languageserver/node';
import type { Finding, FindingSeverity, Suggestion } from '../analysis/types';
import { Commands } from '../constants';
import {
  DIAGNOSTIC_SOURCE,
  type AcceptSuggestionArgs,
  type DismissSuggestionArgs,
  type ExplainSuggestionArgs,
} from './protocol';

/** Identifies the document version that analysis results (and their edits) belong to. */
export interface AnalyzedVersion {
  uri: string;
  version: number;
}

/** Kind of the "Add memory: …" action offered in the refactor menu next to the lens. */
export const ADD_MEMORY_ACTION_KIND = `${CodeActionKind.RefactorRewrite}.workflowMemory`;

export const WHY_LENS_TITLE = 'Why?';
export const DISMISS_LENS_TITLE = 'Dismiss';

export function acceptArgs(target: AnalyzedVersion, suggestion: Suggestion): AcceptSuggestionArgs {
  return { uri: target.uri, suggestionId: suggestion.id, version: target.version, edits: suggestion.edits };
}

export function codeLensesFor(target: AnalyzedVersion, suggestions: readonly Suggestion[]): CodeLens[] {
  return suggestions.flatMap((suggestion) => {
    const accept = acceptArgs(target, suggestion);
    const explain: ExplainSuggestionArgs = {
      uri: target.uri,
      suggestionId: suggestion.id,
      kind: suggestion.kind,
      explanation: suggestion.explanation,
      accept,
    };
    const dismiss: DismissSuggestionArgs = { uri: target.uri, suggestionId: suggestion.id, kind: suggestion.kind };
    const range = suggestion.range;
    return [
      { range, command: { title: suggestion.title, command: Commands.acceptSuggestion, arguments: [accept] } },
      { range, command: { title: WHY_LENS_TITLE, command: Commands.explainSuggestion, arguments: [explain] } },
      { range, command: { title: DISMISS_LENS_TITLE, command: Commands.dismissSuggestion, arguments: [dismiss] } },
    ];
  });
}

const SEVERITIES: Record<FindingSeverity, DiagnosticSeverity> = {
  error: DiagnosticSeverity.Error,
  warning: DiagnosticSeverity.Warning,
  information: DiagnosticSeverity.Information,
};

export function diagnosticFor(finding: Finding): Diagnostic {
  return {
    range: finding.range,
    severity: SEVERITIES[finding.severity] ?? DiagnosticSeverity.Warning,
    source: DIAGNOSTIC_SOURCE,
    code: finding.code,
    message: finding.message,
  };
}

export interface CodeActionRequest {
  range: Range;
  /** The diagnostics the client shows in the requested range. */
  diagnostics: readonly Diagnostic[];
  /** Kinds the client asked for; undefined = all. */
  only?: readonly string[];
}

export interface EditStyle {
  /** The client accepts versioned `documentChanges`, so a stale edit is refused instead of misapplied. */
  documentChanges: boolean;
}

export function codeActionsFor(
  target: AnalyzedVersion,
  findings: readonly Finding[],
  suggestions: readonly Suggestion[],
  request: CodeActionRequest,
  style: EditStyle,
): CodeAction[] {
  const actions: CodeAction[] = [];
  if (wanted(CodeActionKind.QuickFix, request.only)) {
    for (const finding of findings) {
      if (!finding.fix || !overlaps(finding.range, request.range)) continue;
      const diagnostic =
        request.diagnostics.find((shown) => shown.code === finding.code && sameRange(shown.range, finding.range)) ??
        diagnosticFor(finding);
      actions.push({
        title: finding.fix.title,
        kind: CodeActionKind.QuickFix,
        diagnostics: [diagnostic],
        isPreferred: true,
        edit: workspaceEdit(target, finding.fix.edits, style),
      });
    }
  }
  if (wanted(ADD_MEMORY_ACTION_KIND, request.only)) {
    for (const suggestion of suggestions) {
      const line = suggestion.range.start.line;
      if (line < request.range.start.line || line > request.range.end.line) continue;
      actions.push({
        title: suggestion.title,
        kind: ADD_MEMORY_ACTION_KIND,
        edit: workspaceEdit(target, suggestion.edits, style),
      });
    }
  }
  return actions;
}

export function workspaceEdit(target: AnalyzedVersion, edits: readonly TextEdit[], style: EditStyle): WorkspaceEdit {
  if (style.documentChanges) {
    return { documentChanges: [{ textDocument: { uri: target.uri, version: target.version }, edits: [...edits] }] };
  }
  return { changes: { [target.uri]: [...edits] } };
}

/** `only: ['refactor']` asks for every refactor.* kind too. */
function wanted(kind: string, only: readonly string[] | undefined): boolean {
  return !only || only.some((requested) => kind === requested || kind.startsWith(`${requested}.`));
}

function comparePositions(a: Range['start'], b: Range['start']): number {
  return a.line !== b.line ? a.line - b.line : a.character - b.character;
}

function overlaps(a: Range, b: Range): boolean {
  return comparePositions(a.start, b.end) <= 0 && comparePositions(b.start, a.end) <= 0;
}

function sameRange(a: Range, b: Range): boolean {
  return comparePositions(a.start, b.start) === 0 && comparePositions(a.end, b.end) === 0;
}
