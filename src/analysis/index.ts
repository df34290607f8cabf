// The language-aware helper's brain, as the language server, the CLI and the tests use it.
// No vscode import: positions are LSP-style (0-based line, UTF-16 character).

import { Edit as TreeEdit, type Tree } from 'web-tree-sitter';
import { analyzeTree } from './analyze';
import { Grammars } from './parsing';
import { lineStarts, offsetAt, positionAt } from './text';
import type { AnalysisOptions, AnalysisResult, LanguageId, Range } from './types';

export * from './types';
export { applyEdits } from './text';
export { parseDurationSeconds } from './ttl';

export interface Analyzer {
  /** Stateless: parse + analyze one text. */
  analyze(text: string, language: LanguageId, options?: AnalysisOptions): AnalysisResult;
  /** Incremental: keeps the tree between edits. */
  openDocument(text: string, language: LanguageId): AnalyzedDocument;
  /** True when `text` parses with no tree-sitter ERROR or MISSING node (used to vet edits). */
  parsesCleanly(text: string, language: LanguageId): boolean;
  dispose(): void;
}

export interface AnalyzedDocument {
  /** Apply LSP-style incremental changes (range in the previous text; no range = full replacement) and reparse incrementally. */
  update(changes: ReadonlyArray<{ range?: Range; text: string }>): void;
  readonly text: string;
  readonly language: LanguageId;
  analyze(options?: AnalysisOptions): AnalysisResult;
  dispose(): void;
}

export async function createAnalyzer(options: { wasmDir?: string } = {}): Promise<Analyzer> {
  const grammars = await Grammars.load(options.wasmDir);
  return new TreeSitterAnalyzer(grammars);
}

class TreeSitterAnalyzer implements Analyzer {
  private readonly documents = new Set<TreeSitterDocument>();

  constructor(private readonly grammars: Grammars) {}

  analyze(text: string, language: LanguageId, options?: AnalysisOptions): AnalysisResult {
    const tree = this.grammars.parse(language, text);
    try {
      return analyzeTree(tree, text, language, options);
    } finally {
      tree.delete();
    }
  }

  openDocument(text: string, language: LanguageId): AnalyzedDocument {
    const document = new TreeSitterDocument(this.grammars, text, language, () => this.documents.delete(document));
    this.documents.add(document);
    return document;
  }

  parsesCleanly(text: string, language: LanguageId): boolean {
    const tree = this.grammars.parse(language, text);
    try {
      return !tree.rootNode.hasError;
    } finally {
      tree.delete();
    }
  }

  dispose(): void {
    for (const document of [...this.documents]) document.dispose();
    this.grammars.dispose();
  }
}

class TreeSitterDocument implements AnalyzedDocument {
  private tree: Tree | undefined;
  private currentText: string;

  constructor(
    private readonly grammars: Grammars,
    text: string,
    readonly language: LanguageId,
    private readonly onDispose: () => void,
  ) {
    this.currentText = text;
    this.tree = grammars.parse(language, text);
  }

  get text(): string {
    return this.currentText;
  }

  update(changes: ReadonlyArray<{ range?: Range; text: string }>): void {
    const tree = this.liveTree();
    let fullReplacement = false;
    for (const change of changes) {
      if (!change.range) {
        this.currentText = change.text;
        fullReplacement = true;
        continue;
      }
      const starts = lineStarts(this.currentText);
      const startIndex = offsetAt(starts, this.currentText, change.range.start);
      const oldEndIndex = Math.max(startIndex, offsetAt(starts, this.currentText, change.range.end));
      const newText = this.currentText.slice(0, startIndex) + change.text + this.currentText.slice(oldEndIndex);
      const newEndIndex = startIndex + change.text.length;
      if (!fullReplacement) {
        tree.edit(
          new TreeEdit({
            startIndex,
            oldEndIndex,
            newEndIndex,
            startPosition: toPoint(positionAt(starts, startIndex)),
            oldEndPosition: toPoint(positionAt(starts, oldEndIndex)),
            newEndPosition: toPoint(positionAt(lineStarts(newText), newEndIndex)),
          }),
        );
      }
      this.currentText = newText;
    }
    // After a full replacement the old tree shares nothing reliable with the new text.
    const next = this.grammars.parse(this.language, this.currentText, fullReplacement ? undefined : tree);
    tree.delete();
    this.tree = next;
  }

  analyze(options?: AnalysisOptions): AnalysisResult {
    return analyzeTree(this.liveTree(), this.currentText, this.language, options);
  }

  dispose(): void {
    this.tree?.delete();
    this.tree = undefined;
    this.onDispose();
  }

  private liveTree(): Tree {
    if (!this.tree) throw new Error('The analyzed document was disposed.');
    return this.tree;
  }
}

function toPoint(position: { line: number; character: number }): { row: number; column: number } {
  return { row: position.line, column: position.character };
}

const EXTENSION_LANGUAGES: Record<string, LanguageId> = {
  '.py': 'python',
  '.ts': 'typescript',
  '.mts': 'typescript',
  '.cts': 'typescript',
  '.tsx': 'tsx',
  '.js': 'javascript',
  '.mjs': 'javascript',
  '.cjs': 'javascript',
  '.jsx': 'javascript',
};

export function languageFromPath(filePath: string): LanguageId | undefined {
  if (/\.d\.[mc]?ts$/i.test(filePath)) return undefined; // declarations have no workflow code
  const match = /\.[^./\\]+$/.exec(filePath);
  return match ? EXTENSION_LANGUAGES[match[0].toLowerCase()] : undefined;
}

const EDITOR_LANGUAGES: Record<string, LanguageId> = {
  python: 'python',
  typescript: 'typescript',
  typescriptreact: 'tsx',
  javascript: 'javascript',
  // JSX parses with the javascript grammar, which includes it.
  javascriptreact: 'javascript',
};

export function languageFromEditorId(languageId: string): LanguageId | undefined {
  return EDITOR_LANGUAGES[languageId];
}
