// "The file still parses", checked at the source (the file on disk): tree-sitter finds no ERROR or
// MISSING node, and for Python the interpreter compiles it too.
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import { Grammars } from '../../../src/analysis/parsing';
import type { LanguageId } from '../../../src/analysis/types';

let grammars: Promise<Grammars> | undefined;

/** Lines (1-based) of the syntax errors tree-sitter finds; empty when the file parses cleanly. */
export async function syntaxErrorLines(file: string, language: LanguageId): Promise<number[]> {
  grammars ??= Grammars.load();
  const tree = (await grammars).parse(language, fs.readFileSync(file, 'utf8'));
  try {
    const lines: number[] = [];
    const visit = (node: typeof tree.rootNode) => {
      if (!node.hasError && !node.isMissing) return;
      if (node.isError || node.isMissing) lines.push(node.startPosition.row + 1);
      for (const child of node.children) if (child) visit(child);
    };
    visit(tree.rootNode);
    return lines;
  } finally {
    tree.delete();
  }
}

/** python3 -m py_compile's complaint, or '' when the file compiles. */
export function pythonCompileError(file: string): string {
  const result = spawnSync('python3', ['-c', 'import sys; compile(open(sys.argv[1]).read(), sys.argv[1], "exec")', file], { encoding: 'utf8' });
  return result.status === 0 ? '' : `${result.stdout}${result.stderr}`.trim() || `exit status ${result.status}`;
}
