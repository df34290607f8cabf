// A hand-written stand-in for the analyzer, so the server's own behaviour (incremental updates,
// settings, dismissals, failures) is tested with exact, known suggestions. Rules, per line:
//   `= fetch(`  → a change-detection suggestion;  `send(` → a dedupe suggestion;
//   `.set(` with no `ex=` → a write-without-expiry finding with a quick fix;
//   `RAISE` anywhere → analyze() throws. It follows AnalysisOptions the way the contract says.
import { TextDocument } from 'vscode-languageserver-textdocument';
import type {
  AnalysisOptions,
  AnalysisResult,
  AnalyzedDocument,
  Analyzer,
  Finding,
  LanguageId,
  Range,
  Suggestion,
  SuggestionKind,
} from '../../src/analysis';

const DEFAULT_TTL: Partial<Record<SuggestionKind, string>> = { 'change-detection': '30d', dedupe: '30d' };

export class FakeAnalyzer implements Analyzer {
  opened = 0;
  updates = 0;
  analyses = 0;
  disposed = false;
  readonly documents: FakeDocument[] = [];

  analyze(text: string, language: LanguageId, options?: AnalysisOptions): AnalysisResult {
    return this.openDocument(text, language).analyze(options);
  }

  openDocument(text: string, language: LanguageId): AnalyzedDocument {
    this.opened++;
    const document = new FakeDocument(this, text, language);
    this.documents.push(document);
    return document;
  }

  parsesCleanly(): boolean {
    return true;
  }

  dispose(): void {
    this.disposed = true;
  }
}

class FakeDocument implements AnalyzedDocument {
  private document: TextDocument;
  disposed = false;

  constructor(
    private readonly analyzer: FakeAnalyzer,
    text: string,
    readonly language: LanguageId,
  ) {
    this.document = TextDocument.create('fake://document', language, 0, text);
  }

  get text(): string {
    return this.document.getText();
  }

  update(changes: ReadonlyArray<{ range?: Range; text: string }>): void {
    this.analyzer.updates++;
    this.document = TextDocument.update(this.document, changes.map((change) => ({ ...change })), this.document.version + 1);
  }

  analyze(options: AnalysisOptions = {}): AnalysisResult {
    this.analyzer.analyses++;
    if (this.text.includes('RAISE')) throw new Error('the fake analyzer was told to fail');
    const suggestions: Suggestion[] = [];
    const findings: Finding[] = [];
    this.text.split('\n').forEach((line, index) => {
      const code = line.trim();
      const range = { start: { line: index, character: line.length - line.trimStart().length }, end: { line: index, character: line.length } };
      const suggest = (kind: SuggestionKind, purpose: string) => {
        const id = `${kind}:${code}`;
        if (options.kinds?.[kind] === false || options.dismissed?.has(id)) return;
        const ttlLabel = options.ttl?.[kind] ?? DEFAULT_TTL[kind] ?? '7d';
        suggestions.push({
          id,
          kind,
          range,
          title: `Add memory: ${purpose} (${kind} · ${ttlLabel})`,
          explanation: `Remembers what this ${kind} site saw last run.`,
          key: `{ns}:fake:${kind}:{id}`,
          ttlSeconds: 30 * 86400,
          ttlLabel,
          edits: [{ range: { start: { line: index, character: 0 }, end: { line: index, character: 0 } }, newText: `# memory for ${kind}\n` }],
        });
      };
      if (code.includes('= fetch(')) suggest('change-detection', 'skip unchanged pages');
      if (code.includes('send(')) suggest('dedupe', 'notify each recipient once');
      if (options.hygiene !== false && code.includes('.set(') && !code.includes('ex=')) {
        const close = line.lastIndexOf(')');
        findings.push({
          code: 'write-without-expiry',
          severity: 'warning',
          message: 'This memory write has no expiry, so the memory grows forever.',
          range,
          fix: { title: 'Add an expiry (7d)', edits: [{ range: { start: { line: index, character: close }, end: { line: index, character: close } }, newText: ', ex=604800' }] },
        });
      }
    });
    return { language: this.language, isWorkflow: true, suggestions, findings, hasSyntaxErrors: false };
  }

  dispose(): void {
    this.disposed = true;
  }
}
