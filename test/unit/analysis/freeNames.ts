// Does inserted code bring every name it uses? A simple, file-wide check: the names the inserted
// code calls, opens with `with` or reads attributes of must be bound somewhere in the result (an
// import, assignment, parameter, def/class, for target, with-as, comprehension) or be builtins.
// Python is checked with tree-sitter here; TypeScript/JavaScript with the TypeScript compiler's
// "Cannot find name" diagnostics (see `unboundScriptNames`).

import { execFileSync } from 'node:child_process';
import * as path from 'node:path';
import * as ts from 'typescript';
import type { Node } from 'web-tree-sitter';
import type { TextEdit } from '../../../src/analysis';
import { lineStarts, offsetAt } from '../../../src/analysis/text';
import { REPO_ROOT } from './helpers';

/** [start, end) offsets in the edited text of everything the edits inserted or rewrote. */
export function insertedRanges(original: string, edits: readonly TextEdit[]): Array<[number, number]> {
  const starts = lineStarts(original);
  const ordered = edits
    .map((edit, index) => ({ start: offsetAt(starts, original, edit.range.start), end: offsetAt(starts, original, edit.range.end), text: edit.newText, index }))
    .sort((a, b) => a.start - b.start || a.index - b.index);
  const ranges: Array<[number, number]> = [];
  let shift = 0;
  for (const edit of ordered) {
    const start = edit.start + shift;
    if (edit.text.length > 0) ranges.push([start, start + edit.text.length]);
    shift += edit.text.length - (edit.end - edit.start);
  }
  return ranges;
}

/** 0-based lines of the edited text that hold inserted code. */
export function insertedLines(result: string, ranges: ReadonlyArray<[number, number]>): Set<number> {
  const starts = lineStarts(result);
  const lineOf = (offset: number): number => {
    let line = 0;
    while (line + 1 < starts.length && starts[line + 1] <= offset) line++;
    return line;
  };
  const lines = new Set<number>();
  for (const [start, end] of ranges) for (let line = lineOf(start); line <= lineOf(Math.max(start, end - 1)); line++) lines.add(line);
  return lines;
}

let builtins: Set<string> | undefined;

/** Python's builtins, as the installed python3 knows them. */
export function pythonBuiltins(): Set<string> {
  builtins ??= new Set(
    execFileSync('python3', ['-c', 'import builtins; print(" ".join(dir(builtins)))'], { encoding: 'utf8' }).trim().split(/\s+/).concat(['__file__', '__name__']),
  );
  return builtins;
}

/** Names bound anywhere in a Python module (file-wide: scopes are not told apart); '*' when it has a wildcard import. */
export function pythonBoundNames(root: Node): Set<string> {
  const bound = new Set<string>();
  const bindTarget = (target: Node | null | undefined): void => {
    if (!target) return;
    if (target.type === 'identifier') bound.add(target.text);
    // `a.b = …` and `a[i] = …` bind nothing new.
    else if (target.type !== 'attribute' && target.type !== 'subscript') for (const child of target.namedChildren) bindTarget(child);
  };
  const visit = (node: Node): void => {
    switch (node.type) {
      case 'import_statement':
        for (const name of node.childrenForFieldName('name')) {
          if (name.type === 'aliased_import') bindTarget(name.childForFieldName('alias'));
          else bound.add(name.text.split('.')[0]);
        }
        return;
      case 'import_from_statement':
        if (node.namedChildren.some((c) => c.type === 'wildcard_import')) bound.add('*');
        for (const name of node.childrenForFieldName('name')) bound.add(name.type === 'aliased_import' ? (name.childForFieldName('alias')?.text ?? '') : name.text);
        return;
      case 'function_definition':
      case 'class_definition':
        bindTarget(node.childForFieldName('name'));
        break;
      case 'parameters':
      case 'lambda_parameters':
        for (const param of node.namedChildren) {
          if (param.type === 'identifier') bound.add(param.text);
          else if (param.type === 'default_parameter' || param.type === 'typed_default_parameter') bindTarget(param.childForFieldName('name'));
          else bindTarget(param.namedChildren.find((c) => c.type === 'identifier') ?? param.namedChildren[0]);
        }
        break;
      case 'assignment':
      case 'augmented_assignment':
      case 'for_statement':
      case 'for_in_clause':
        bindTarget(node.childForFieldName('left'));
        break;
      case 'named_expression':
        bindTarget(node.childForFieldName('name'));
        break;
      case 'as_pattern':
        // `with x as (a, b):`, `except E as e:`
        bindTarget(node.childForFieldName('alias'));
        break;
      case 'global_statement':
      case 'nonlocal_statement':
        for (const name of node.namedChildren) bindTarget(name);
        break;
    }
    for (const child of node.namedChildren) visit(child);
  };
  visit(root);
  return bound;
}

/** Names the inserted code calls, opens with `with`, or reads an attribute of. */
export function pythonUsedNames(root: Node, ranges: ReadonlyArray<[number, number]>): string[] {
  const inserted = (node: Node): boolean => ranges.some(([start, end]) => start <= node.startIndex && node.endIndex <= end);
  const used = new Set<string>();
  for (const node of root.descendantsOfType(['call', 'attribute', 'with_item'])) {
    if (!node || !inserted(node)) continue;
    let base: Node | null = null;
    if (node.type === 'call') base = node.childForFieldName('function');
    else if (node.type === 'attribute') base = node.childForFieldName('object');
    else {
      base = node.childForFieldName('value');
      if (base?.type === 'as_pattern') base = base.namedChildren[0] ?? null;
    }
    if (base?.type === 'identifier') used.add(base.text);
  }
  return [...used];
}

/** The names inserted Python code uses but nothing binds. */
export function unboundPythonNames(root: Node, ranges: ReadonlyArray<[number, number]>): string[] {
  const bound = pythonBoundNames(root);
  if (bound.has('*')) return [];
  const known = pythonBuiltins();
  return pythonUsedNames(root, ranges).filter((name) => !bound.has(name) && !known.has(name));
}

/** Whether pyflakes is installed (it is not by default; the tree-sitter check stands in). */
export function hasPyflakes(): boolean {
  try {
    execFileSync('python3', ['-c', 'import pyflakes'], { stdio: 'pipe' });
    return true;
  } catch {
    return false;
  }
}

/** pyflakes' "undefined name" complaints per file: file -> 1-based lines. */
export function pyflakesUndefinedNames(files: string[]): Map<string, Array<{ line: number; message: string }>> {
  let output = '';
  try {
    output = execFileSync('python3', ['-m', 'pyflakes', ...files], { encoding: 'utf8', stdio: 'pipe' });
  } catch (error) {
    output = String((error as { stdout?: string }).stdout ?? '');
  }
  const found = new Map<string, Array<{ line: number; message: string }>>();
  for (const row of output.split('\n')) {
    const match = /^(.*?):(\d+):(?:\d+:?)?\s*(undefined name .*)$/.exec(row);
    if (!match) continue;
    const list = found.get(match[1]) ?? [];
    list.push({ line: Number(match[2]), message: match[3] });
    found.set(match[1], list);
  }
  return found;
}

/** TypeScript codes for a name nothing binds ("Cannot find name 'x'", with or without a "Did you mean"). */
const UNBOUND_NAME_CODES = new Set([2304, 2552, 2503, 2580, 2591, 2662, 2663, 18004]);

/**
 * Names nothing binds in TypeScript / JavaScript files, as the TypeScript compiler sees them
 * (JavaScript checked with checkJs): file -> 0-based line and message. Only unbound names count;
 * type errors in files that need stubs we do not have are not this check's business.
 */
export function unboundScriptNames(files: string[]): Map<string, Array<{ line: number; message: string }>> {
  const program = ts.createProgram(files, {
    allowJs: true,
    checkJs: true,
    noEmit: true,
    skipLibCheck: true,
    noImplicitAny: false,
    target: ts.ScriptTarget.ES2022,
    module: ts.ModuleKind.CommonJS,
    moduleResolution: ts.ModuleResolutionKind.Node10,
    esModuleInterop: true,
    jsx: ts.JsxEmit.Preserve,
    // Every file is its own module: one file's globals never bind another's names.
    moduleDetection: ts.ModuleDetectionKind.Force,
    lib: ['lib.es2022.d.ts', 'lib.dom.d.ts'],
    types: ['node'],
    typeRoots: [path.join(REPO_ROOT, 'node_modules', '@types')],
  });
  const found = new Map<string, Array<{ line: number; message: string }>>();
  for (const file of program.getSourceFiles()) {
    if (!files.includes(path.resolve(file.fileName)) && !files.includes(file.fileName)) continue;
    for (const diagnostic of [...program.getSemanticDiagnostics(file), ...program.getSyntacticDiagnostics(file)]) {
      if (!UNBOUND_NAME_CODES.has(diagnostic.code)) continue;
      const list = found.get(path.resolve(file.fileName)) ?? [];
      list.push({ line: file.getLineAndCharacterOfPosition(diagnostic.start ?? 0).line, message: ts.flattenDiagnosticMessageText(diagnostic.messageText, '\n') });
      found.set(path.resolve(file.fileName), list);
    }
  }
  return found;
}
