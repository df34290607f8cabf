// Machine-readable output with a versioned schema. Ranges are 0-based like LSP (UTF-16 columns);
// `line`/`column` repeat the start 1-based, as shown to people.
import type { Finding, Range, Suggestion } from '../analysis/types';
import type { AnalysisReport } from './report';
import { summarize, TOOL_NAME } from './report';

/** Bump when a field changes meaning or goes away; adding fields keeps the version. */
export const JSON_SCHEMA_VERSION = 1;

export function formatJson(report: AnalysisReport, toolVersion: string): string {
  const document = {
    version: JSON_SCHEMA_VERSION,
    tool: { name: TOOL_NAME, version: toolVersion },
    files: report.files.map((file) => ({
      path: file.path,
      language: file.language,
      analyzed: file.result !== undefined,
      ...(file.problem !== undefined ? { problem: file.problem } : {}),
      isWorkflow: file.result?.isWorkflow ?? false,
      hasSyntaxErrors: file.result?.hasSyntaxErrors ?? false,
      suggestions: (file.result?.suggestions ?? []).map(suggestionJson),
      findings: (file.result?.findings ?? []).map(findingJson),
    })),
    skipped: report.skipped.map((skipped) => ({ path: skipped.path, reason: skipped.reason })),
    summary: summarize(report),
  };
  return JSON.stringify(document, null, 2) + '\n';
}

function suggestionJson(suggestion: Suggestion) {
  return {
    id: suggestion.id,
    kind: suggestion.kind,
    ...start(suggestion.range),
    range: suggestion.range,
    title: suggestion.title,
    explanation: suggestion.explanation,
    key: suggestion.key,
    ttlSeconds: suggestion.ttlSeconds,
    ttlLabel: suggestion.ttlLabel,
    edits: suggestion.edits,
  };
}

function findingJson(finding: Finding) {
  return {
    code: finding.code,
    severity: finding.severity,
    ...start(finding.range),
    range: finding.range,
    message: finding.message,
    ...(finding.fix ? { fix: finding.fix } : {}),
  };
}

function start(range: Range): { line: number; column: number } {
  return { line: range.start.line + 1, column: range.start.character + 1 };
}
