// What one `analyze` run found, independent of how it is printed. The three formatters read this.
import type { AnalysisResult, Finding, FindingCode, LanguageId, Suggestion, SuggestionKind } from '../analysis/types';

export interface FileReport {
  /** Relative to the working directory, `/`-separated. */
  path: string;
  language: LanguageId;
  /** Missing when the file could not be read or analyzed; `problem` says why. */
  result?: AnalysisResult;
  problem?: string;
}

export interface AnalysisReport {
  files: FileReport[];
  /** Paths skipped before analysis (unreadable folders, unsupported files named explicitly). */
  skipped: { path: string; reason: string }[];
}

export interface ReportSummary {
  filesAnalyzed: number;
  filesWithProblems: number;
  suggestions: number;
  errors: number;
  warnings: number;
  information: number;
}

export const TOOL_NAME = 'workflow-memory';

export function summarize(report: AnalysisReport): ReportSummary {
  const summary: ReportSummary = { filesAnalyzed: 0, filesWithProblems: report.skipped.length, suggestions: 0, errors: 0, warnings: 0, information: 0 };
  for (const file of report.files) {
    if (!file.result) {
      summary.filesWithProblems++;
      continue;
    }
    summary.filesAnalyzed++;
    summary.suggestions += file.result.suggestions.length;
    for (const finding of file.result.findings) {
      if (finding.severity === 'error') summary.errors++;
      else if (finding.severity === 'warning') summary.warnings++;
      else summary.information++;
    }
  }
  return summary;
}

/** 1 when a hygiene error was found (e.g. a key denied at run time), else 0. */
export function exitCodeFor(report: AnalysisReport): number {
  return summarize(report).errors > 0 ? 1 : 0;
}

/** Suggestions and findings of one file in reading order, for formats that print them interleaved. */
export type ReportEntry = { type: 'suggestion'; suggestion: Suggestion } | { type: 'finding'; finding: Finding };

export function entriesInOrder(result: AnalysisResult): ReportEntry[] {
  const entries: ReportEntry[] = [
    ...result.suggestions.map((suggestion): ReportEntry => ({ type: 'suggestion', suggestion })),
    ...result.findings.map((finding): ReportEntry => ({ type: 'finding', finding })),
  ];
  const start = (entry: ReportEntry) => (entry.type === 'suggestion' ? entry.suggestion.range.start : entry.finding.range.start);
  return entries.sort((a, b) => start(a).line - start(b).line || start(a).character - start(b).character);
}

/** What each suggestion kind does, for help texts and SARIF rule descriptions. */
export const KIND_DESCRIPTIONS: Record<SuggestionKind, string> = {
  'change-detection': 'The workflow fetches a page or resource and acts on its content: remember a hash of the last content and skip when it is unchanged.',
  dedupe: 'The workflow sends a message, email or notification per item or recipient: remember who was already notified so nobody is told twice.',
  'snapshot-diff': 'The workflow builds a report from a collection: remember the previous snapshot and report only what is new or changed.',
  conversation: 'The workflow calls an LLM chat API for a user or session with only the current message: remember the last turns of the conversation.',
  cache: 'The workflow makes an expensive, deterministic call with the same inputs again: remember the result under a hash of the inputs.',
  cursor: 'The workflow pages or polls a source from a fixed starting point each run: remember the last processed id, timestamp or page token.',
  preference: "The workflow reads a user's setting from the request or message and forgets it: remember the user's preferences.",
};

export const FINDING_DESCRIPTIONS: Record<FindingCode, string> = {
  'write-without-expiry': 'A memory write with no expiry: the memory grows forever. Give the key an expiry.',
  'key-outside-namespace': 'In a CodeWords workflow, a key not under `{ns}:` is denied at run time (NOPERM). Put the key under f"{ns}:…".',
  'secret-in-memory': 'A secret (password, token, API key) is written to memory, where anyone who can read the memory can read it.',
  'whole-body-in-memory': 'A whole page or response body is written to memory where a hash or a few fields would do.',
  'key-changes-every-run': 'Python: a key or member built with hash(), which is salted per process, so no later run finds it again. Use a hashlib digest.',
};

/** The finding codes in a stable order (a typed record keeps this list complete). */
export const FINDING_CODES = Object.keys(FINDING_DESCRIPTIONS) as FindingCode[];
