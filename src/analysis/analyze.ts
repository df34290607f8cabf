// One file's analysis: collect facts once, then run the suggestion recognisers and the hygiene
// rules over them, honour options and dismissals, and give every suggestion a stable id.

import { createHash } from 'node:crypto';
import type { Tree } from 'web-tree-sitter';
import { FileContext } from './context';
import { collectFacts } from './facts';
import { findHygieneIssues, rangeOf } from './hygiene';
import { kebab, SuggestionFinder, type SiteSuggestion, type SuggestionSettings } from './suggestions';
import { parseDurationSeconds } from './ttl';
import type { AnalysisOptions, AnalysisResult, Finding, LanguageId, Suggestion, SuggestionKind } from './types';

export const DEFAULT_TTLS: Record<SuggestionKind, string> = {
  'change-detection': '30d',
  dedupe: '30d',
  'snapshot-diff': '30d',
  conversation: '24h',
  cache: '1h',
  cursor: '30d',
  preference: '90d',
};
const FALLBACK_DEFAULT_TTL = '7d';
const DEFAULT_NAMESPACE = 'wf';
/** File names that say nothing about the workflow. */
const GENERIC_FILE_NAMES = /^(main|index|app|server|handler|handlers|run|service|script|lambda_function|function|functions|route|routes|page|__init__|__main__|mod)$/;

export function analyzeTree(tree: Tree, text: string, language: LanguageId, options: AnalysisOptions = {}): AnalysisResult {
  const facts = collectFacts(tree, text, language);
  const ctx = new FileContext(facts);
  const settings = suggestionSettings(ctx, options);
  let suggestions: Suggestion[] = [];
  try {
    suggestions = new SuggestionFinder(ctx, settings).find().map((site) => toSuggestion(ctx, site, settings));
  } catch (error) {
    // A recogniser tripping over an unusual (or half-typed) construct must not cost the diagnostics.
    if (!facts.hasSyntaxErrors) throw error;
  }
  suggestions = disambiguateIds(suggestions).filter(
    (s) => !options.dismissed?.has(s.id) && !ignoredByComment(ctx, s.kind, s.range.start.line),
  );
  let findings: Finding[] = [];
  if (options.hygiene !== false) {
    const fallback = parseDurationSeconds(options.defaultTtl ?? FALLBACK_DEFAULT_TTL) ?? parseDurationSeconds(FALLBACK_DEFAULT_TTL)!;
    findings = findHygieneIssues(ctx, fallback).filter((f) => !ignoredByComment(ctx, f.code, f.range.start.line));
  }
  return { language, isWorkflow: ctx.isWorkflow, suggestions, findings, hasSyntaxErrors: facts.hasSyntaxErrors };
}

function suggestionSettings(ctx: FileContext, options: AnalysisOptions): SuggestionSettings {
  const ttl = (kind: SuggestionKind): { seconds: number; label: string } => {
    for (const candidate of [options.ttl?.[kind], DEFAULT_TTLS[kind]]) {
      const seconds = parseDurationSeconds(candidate);
      if (seconds !== undefined) return { seconds, label: candidate!.replace(/\s+/g, '') };
    }
    // Unreachable while DEFAULT_TTLS parse; keeps the type honest.
    const seconds = parseDurationSeconds(options.defaultTtl) ?? 7 * 86400;
    return { seconds, label: options.defaultTtl ?? FALLBACK_DEFAULT_TTL };
  };
  return {
    ttlSeconds: (kind) => ttl(kind).seconds,
    ttlLabel: (kind) => ttl(kind).label,
    enabled: (kind) => options.kinds?.[kind] !== false,
    namespace: inferNamespace(ctx) ?? DEFAULT_NAMESPACE,
    workflow: workflowName(ctx, options.fileName),
  };
}

/** The first segment of the file's existing literal keys (`"pricewatch:…"`), if they share one. */
function inferNamespace(ctx: FileContext): string | undefined {
  for (const op of ctx.redisOps) {
    const key = op.key;
    if (!key || (key.type !== 'string' && key.type !== 'template_string')) continue;
    const match = /^[rRbBuUfF]{0,2}['"`]([A-Za-z][\w-]*):/.exec(key.text);
    if (match) return match[1];
  }
  return undefined;
}

/** The workflow segment of keys: from the file name, a route, or the entry function. */
function workflowName(ctx: FileContext, fileName: string | undefined): string {
  // The file's own CodeWords keys name their workflow (`f"{ns}:monitor:last-run"`): new keys join it,
  // so the sidebar and "clear this workflow" see one workflow, not two.
  if (ctx.isCodeWords) {
    for (const op of ctx.redisOps) {
      const match = op.key && /^[rR]?[fF][rR]?(['"])\{\w+\}:([A-Za-z][\w-]*):[^'"]/.exec(op.key.text);
      if (match) return kebab(match[2]);
    }
  }
  if (fileName) {
    const base = fileName.split(/[\\/]/).pop()!.replace(/\.[^.]+$/, '');
    if (base && !GENERIC_FILE_NAMES.test(base)) return kebab(base) || 'workflow';
  }
  for (const scope of ctx.facts.scopes) {
    if (scope.routePath) {
      const segment = scope.routePath.split('/').filter((s) => s && !s.startsWith('{') && !s.startsWith(':')).pop();
      if (segment) return kebab(segment);
    }
  }
  for (const scope of ctx.facts.scopes) {
    if (scope.entry && scope.kind === 'function' && !/^(main|run|handler|lambda_handler|default|<anonymous>|GET|POST|job)$/.test(scope.name)) {
      return kebab(scope.name);
    }
  }
  return 'workflow';
}

function toSuggestion(ctx: FileContext, site: SiteSuggestion, settings: SuggestionSettings): Suggestion {
  const label = settings.ttlLabel(site.kind);
  const scope = ctx.scopeAt(site.statement);
  // Stable across unrelated edits: the kind, the enclosing function and the site's own code.
  const digest = createHash('sha256')
    .update(`${site.kind}\n${scope.name}\n${site.statement.text.replace(/\s+/g, ' ')}`)
    .digest('hex')
    .slice(0, 16);
  return {
    id: `${site.kind}:${digest}`,
    kind: site.kind,
    range: rangeOf(site.statement),
    title: `Add memory: ${site.action} (${site.kind} · ${label})`,
    explanation: site.explanation,
    key: site.key,
    ttlSeconds: settings.ttlSeconds(site.kind),
    ttlLabel: label,
    edits: site.edits,
  };
}

/** Two identical sites in one function get distinct ids (`…#2`) in document order. */
function disambiguateIds(suggestions: Suggestion[]): Suggestion[] {
  const seen = new Map<string, number>();
  return suggestions.map((s) => {
    const count = (seen.get(s.id) ?? 0) + 1;
    seen.set(s.id, count);
    return count === 1 ? s : { ...s, id: `${s.id}#${count}` };
  });
}

/** `# workflow-memory: ignore dedupe` (or `ignore all`) on the site line or the line above. */
function ignoredByComment(ctx: FileContext, kindOrCode: string, line: number): boolean {
  for (const candidate of [line, line - 1]) {
    const kinds = ctx.facts.ignoreComments.get(candidate);
    if (kinds && (kinds.has('all') || kinds.has(kindOrCode))) return true;
  }
  return false;
}
