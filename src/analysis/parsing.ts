// Tree-sitter (WASM) set-up: one runtime, one Parser and Language per grammar, loaded once.

import * as fs from 'node:fs';
import * as path from 'node:path';
import { Language, Parser, Tree } from 'web-tree-sitter';
import type { LanguageId } from './types';

const GRAMMAR_FILES: Record<LanguageId, { pkg: string; file: string }> = {
  python: { pkg: 'tree-sitter-python', file: 'tree-sitter-python.wasm' },
  typescript: { pkg: 'tree-sitter-typescript', file: 'tree-sitter-typescript.wasm' },
  tsx: { pkg: 'tree-sitter-typescript', file: 'tree-sitter-tsx.wasm' },
  javascript: { pkg: 'tree-sitter-javascript', file: 'tree-sitter-javascript.wasm' },
};
const RUNTIME_FILE = 'web-tree-sitter.wasm';

/**
 * Where a wasm file lives: in `wasmDir` when given or when the bundle ships `dist/wasm`
 * next to itself, else inside node_modules (tests compiled to out/ run from there).
 */
export function wasmPath(wasmDir: string | undefined, file: string, pkg: string): string {
  if (wasmDir) return path.join(wasmDir, file);
  const bundled = path.join(__dirname, 'wasm', file);
  if (fs.existsSync(bundled)) return bundled;
  try {
    return require.resolve(`${pkg}/${file}`);
  } catch {
    // Packages whose `exports` map hides the file: it sits next to their package.json.
    return path.join(path.dirname(require.resolve(`${pkg}/package.json`)), file);
  }
}

let runtimeReady: Promise<void> | undefined;

function initRuntime(wasmDir: string | undefined): Promise<void> {
  // Parser.init sets up one process-wide WASM module; doing it twice leaks it.
  runtimeReady ??= Parser.init({
    locateFile: () => wasmPath(wasmDir, RUNTIME_FILE, 'web-tree-sitter'),
  }).catch((error: unknown) => {
    runtimeReady = undefined;
    throw error;
  });
  return runtimeReady;
}

export interface LoadedGrammar {
  language: Language;
  parser: Parser;
}

export class Grammars {
  private constructor(private readonly grammars: Map<LanguageId, LoadedGrammar>) {}

  static async load(wasmDir?: string): Promise<Grammars> {
    await initRuntime(wasmDir);
    const grammars = new Map<LanguageId, LoadedGrammar>();
    for (const [id, { pkg, file }] of Object.entries(GRAMMAR_FILES) as [LanguageId, { pkg: string; file: string }][]) {
      const language = await Language.load(wasmPath(wasmDir, file, pkg));
      const parser = new Parser();
      parser.setLanguage(language);
      grammars.set(id, { language, parser });
    }
    return new Grammars(grammars);
  }

  get(language: LanguageId): LoadedGrammar {
    const grammar = this.grammars.get(language);
    if (!grammar) throw new Error(`Unsupported language: ${language}`);
    return grammar;
  }

  /** Parses `text`; with `oldTree` (already edited to match), reuses its unchanged parts. */
  parse(language: LanguageId, text: string, oldTree?: Tree): Tree {
    const tree = this.get(language).parser.parse(text, oldTree ?? null);
    if (!tree) throw new Error(`tree-sitter returned no tree for ${language}`);
    return tree;
  }

  dispose(): void {
    for (const { parser } of this.grammars.values()) parser.delete();
    this.grammars.clear();
  }
}
