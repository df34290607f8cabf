// One open document as the server sees it: the LSP text (for positions and versions) plus the
// analyzer's incremental tree, both fed the same content changes so the tree is reparsed
// incrementally instead of from scratch on each keystroke.

import { TextDocument } from 'vscode-languageserver-textdocument';
import type { TextDocumentContentChangeEvent, TextDocumentsConfiguration } from 'vscode-languageserver/node';
import type { AnalysisResult, AnalyzedDocument, Analyzer, LanguageId } from '../analysis';
import { languageFromEditorId } from '../analysis';

export class TrackedDocument {
  /** The analyzer's incremental document; opened lazily (the analyzer loads asynchronously). */
  private analyzed: AnalyzedDocument | undefined;
  /** The latest analysis and what it was computed for. */
  private latest: { version: number; generation: number; result: AnalysisResult | undefined } | undefined;

  constructor(
    readonly textDocument: TextDocument,
    /** Undefined for editor languages the helper does not analyze. */
    readonly language: LanguageId | undefined,
  ) {}

  get uri(): string {
    return this.textDocument.uri;
  }

  get version(): number {
    return this.textDocument.version;
  }

  applyChanges(changes: TextDocumentContentChangeEvent[], version: number): void {
    TextDocument.update(this.textDocument, changes, version);
    if (!this.analyzed) return;
    try {
      this.analyzed.update(changes);
    } catch {
      // The tree is rebuilt from the full text on the next analysis.
      this.dropTree();
    }
  }

  /** The analysis for `generation` (settings + dismissals) of the current version, computed at most once. */
  analysis(analyzer: Analyzer, generation: number, analyze: (document: AnalyzedDocument) => AnalysisResult | undefined): AnalysisResult | undefined {
    const version = this.version;
    if (this.latest && this.latest.version === version && this.latest.generation === generation) return this.latest.result;
    let result: AnalysisResult | undefined;
    try {
      result = analyze(this.incrementalTree(analyzer));
    } finally {
      // A failure is remembered too, so one bad version is not re-analyzed on every request.
      this.latest = { version, generation, result };
      if (result === undefined) this.dropTree();
    }
    return result;
  }

  dispose(): void {
    this.dropTree();
    this.latest = undefined;
  }

  private incrementalTree(analyzer: Analyzer): AnalyzedDocument {
    const text = this.textDocument.getText();
    // Both copies took the same changes; if they ever disagree, trust the LSP text.
    if (this.analyzed && this.analyzed.text !== text) this.dropTree();
    this.analyzed ??= analyzer.openDocument(text, this.language as LanguageId);
    return this.analyzed;
  }

  private dropTree(): void {
    try {
      this.analyzed?.dispose();
    } catch {
      // Freeing a broken tree must not take the server down.
    }
    this.analyzed = undefined;
  }
}

/** Lets `TextDocuments` keep TrackedDocuments, so incremental changes reach the analyzer's tree. */
export const trackedDocuments: TextDocumentsConfiguration<TrackedDocument> = {
  create(uri, languageId, version, content) {
    return new TrackedDocument(TextDocument.create(uri, languageId, version, content), languageFromEditorId(languageId));
  },
  update(document, changes, version) {
    document.applyChanges(changes, version);
    return document;
  },
};
