// The language-aware helper's vocabulary, shared by the analyzer, the language server, the CLI
// and the tests. No vscode import: positions are plain 0-based line/character pairs (UTF-16
// code units, as LSP counts them).

export type LanguageId = 'python' | 'typescript' | 'tsx' | 'javascript';

export const SUGGESTION_KINDS = [
  'change-detection',
  'dedupe',
  'snapshot-diff',
  'conversation',
  'cache',
  'cursor',
  'preference',
] as const;
export type SuggestionKind = (typeof SUGGESTION_KINDS)[number];

export interface Position {
  line: number;
  character: number;
}

export interface Range {
  start: Position;
  end: Position;
}

export interface TextEdit {
  range: Range;
  newText: string;
}

/** A place where memory between runs would help, and the code that adds it. */
export interface Suggestion {
  /** Stable across unrelated edits: kind + a digest of the site's code; used by Dismiss. */
  id: string;
  kind: SuggestionKind;
  /** The statement the lens sits above. */
  range: Range;
  /** Lens text, e.g. "Add memory: skip unchanged pages (change-detection · 30d)". */
  title: string;
  /** One or two sentences for "Why?". */
  explanation: string;
  /** Proposed key as it will be written, e.g. `{ns}:monitor:page-hash:{url}`. */
  key: string;
  ttlSeconds: number;
  /** Human form of ttlSeconds: "30d", "24h", "1h". */
  ttlLabel: string;
  /** Applying all of these, as one edit, inserts the memory code (and any import/client it needs). */
  edits: TextEdit[];
}

export type FindingCode =
  | 'write-without-expiry'
  | 'key-outside-namespace'
  | 'secret-in-memory'
  | 'whole-body-in-memory'
  | 'key-changes-every-run';

export type FindingSeverity = 'error' | 'warning' | 'information';

/** Unhealthy memory use, shown as a diagnostic. */
export interface Finding {
  code: FindingCode;
  severity: FindingSeverity;
  message: string;
  range: Range;
  /** A quick fix, where one is obvious. */
  fix?: { title: string; edits: TextEdit[] };
}

export interface AnalysisOptions {
  /** Kinds switched off are not suggested. Missing = on. */
  kinds?: Partial<Record<SuggestionKind, boolean>>;
  /** Expiry per kind ("30d", "15m"), overriding the kind's default. */
  ttl?: Partial<Record<SuggestionKind, string>>;
  /** Fallback expiry for writes the helper inserts or proposes in a quick fix. Default "7d". */
  defaultTtl?: string;
  /** Report hygiene findings. Default true. */
  hygiene?: boolean;
  /** Suggestion ids the user dismissed (inline `workflow-memory: ignore <kind>` comments are honoured too). */
  dismissed?: ReadonlySet<string>;
  /** The file's path or name: names the workflow in proposed keys (`price_monitor.py` -> `wf:price-monitor:…`). */
  fileName?: string;
}

export interface AnalysisResult {
  language: LanguageId;
  /** False for files that are not workflows (a one-shot transform, a pure library): no suggestions then. */
  isWorkflow: boolean;
  suggestions: Suggestion[];
  findings: Finding[];
  /** The file did not parse cleanly; analysis ran on what did. */
  hasSyntaxErrors: boolean;
}
