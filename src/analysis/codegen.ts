// Writing memory code in the file's own style: its Redis client (or the CodeWords
// `async with redis_client() as (redis, ns):`, or a client from REDIS_URL), its indentation and
// quotes, keys `<ns>:<workflow>:<purpose>:<id>`, and the imports the code needs. An EditPlan
// gathers the pieces of one suggestion and turns them into a single set of TextEdits.

import type { Node } from 'web-tree-sitter';
import type { FileContext } from './context';
import { patternNames, stringValue, type Scope } from './facts';
import { isAsyncFlavor, redisClientFlavorOf, redisFlavorOf, type RedisFlavor } from './libraries';
import type { TextEdit } from './types';

/** Commands whose elements after the key are variadic (node-redis wants them as an array). */
const VARIADIC_COMMANDS = new Set(['rpush', 'lpush', 'sadd', 'srem', 'zrem']);

/** A line of generated code, `depth` levels deeper than the statement it goes next to. */
export interface CodeLine {
  depth: number;
  text: string;
}

export function line(depth: number, text: string): CodeLine {
  return { depth, text };
}

/** Python standard modules inserted code calls (`hashlib.sha256`, `json.dumps`, `os.environ`, `time.time`). */
export type StdlibModule = 'hashlib' | 'json' | 'os' | 'time';
const STDLIB_MODULES: readonly StdlibModule[] = ['hashlib', 'json', 'os', 'time'];

/** How inserted code reaches Redis at one site. */
export interface MemoryAccess {
  flavor: RedisFlavor;
  /** Client expression (`redis`, `memory`, `this.redis`). */
  client: string;
  /** `await ` or ''. */
  wait: string;
  /** CodeWords: the namespace variable (`ns`). */
  nsVar?: string;
  /** CodeWords outside an `async with redis_client()` block: open one around the memory code. */
  opener?: string;
  /** The module-level client this suggestion creates, if none exists. */
  createClient?: 'redis-py' | 'redis-py-async' | 'ioredis' | 'node-redis';
  /** redis-py: false when the existing client may answer bytes (no `decode_responses=True` where it is made). */
  decodes?: boolean;
}

/**
 * An import the inserted code needs: `import hashlib`, `import redis.asyncio as aioredis`,
 * `from codewords_client import redis_client`, `import Redis from 'ioredis'`,
 * `import { createHash } from 'node:crypto'`.
 */
interface ImportNeed {
  module: string;
  /** The imported name (`from m import name`, `import { name } from 'm'`); absent: the module itself. */
  name?: string;
  /** The local name: a Python module alias, or a JavaScript default import. */
  local?: string;
}

/** Python standard-library modules: their imports go with the file's stdlib group (PEP 8 order). */
const PYTHON_STDLIB = new Set(
  ('__future__ abc argparse ast asyncio base64 binascii bisect builtins calendar collections concurrent configparser contextlib ' +
    'contextvars copy csv ctypes dataclasses datetime decimal difflib email enum errno fnmatch fractions functools getpass glob ' +
    'gzip hashlib heapq hmac html http importlib inspect io ipaddress itertools json logging lzma math mimetypes multiprocessing ' +
    'numbers operator os pathlib pickle platform pprint queue random re secrets select shelve shlex shutil signal smtplib socket ' +
    'sqlite3 ssl stat statistics string struct subprocess sys tempfile textwrap threading time timeit traceback types typing ' +
    'unicodedata unittest urllib uuid warnings weakref xml zipfile zlib zoneinfo').split(' '),
);

export class EditPlan {
  /** Standard modules the code uses, by the local name it calls them; `imported` when the file lacks that import. */
  private readonly stdlibNames = new Map<StdlibModule, { local: string; imported: boolean }>();
  private needsCrypto = false;
  private readonly edits: TextEdit[] = [];
  private clientLines: string[] = [];
  private readonly imports: ImportNeed[] = [];
  private hashName = 'createHash';

  /** `scope`: the function (or module) the code goes into, where its names must resolve. */
  constructor(
    private readonly ctx: FileContext,
    private readonly scope: Scope,
  ) {}

  /**
   * The name inserted code calls a standard module by (Python): the file's own import of it when
   * nothing in `scope` rebinds that name, else the module imported under a fresh alias
   * (`json_module`): a local `json = response.json()` would otherwise capture `json.dumps`.
   */
  stdlib(module: StdlibModule, scope: Scope = this.scope): string {
    const known = this.stdlibNames.get(module);
    if (known) return known.local;
    const usable = (name: string): boolean => !rebindsName(this.ctx, scope, name, module);
    const existing = this.existingBindings(new RegExp(`^${module}$`)).find(usable);
    const local = existing ?? (usable(module) ? module : this.ctx.freshName(`${module}_module`));
    this.stdlibNames.set(module, { local, imported: !existing });
    return local;
  }

  /** `createHash` or `crypto.createHash`, whichever the file already has (JS). */
  get createHash(): string {
    this.needsCrypto = true;
    const existing = this.existingBinding(/^(node:)?crypto\.createHash$/);
    if (existing) return existing;
    const moduleAlias = this.existingBinding(/^(node:)?crypto$/);
    if (moduleAlias) return `${moduleAlias}.createHash`;
    return this.hashName;
  }

  insertBefore(statement: Node, lines: CodeLine[]): void {
    const indent = this.ctx.indentOf(statement);
    this.edits.push({
      range: { start: { line: statement.startPosition.row, character: 0 }, end: { line: statement.startPosition.row, character: 0 } },
      newText: this.render(indent, lines),
    });
  }

  insertAfter(statement: Node, lines: CodeLine[]): void {
    const indent = this.ctx.indentOf(statement);
    const row = statement.endPosition.row;
    if (row + 1 < this.ctx.lines.length) {
      this.edits.push({ range: { start: { line: row + 1, character: 0 }, end: { line: row + 1, character: 0 } }, newText: this.render(indent, lines) });
    } else {
      const end = { line: row, character: this.ctx.lineText(row).length };
      this.edits.push({ range: { start: end, end }, newText: '\n' + this.render(indent, lines).replace(/\n$/, '') });
    }
  }

  replace(node: Node, text: string): void {
    this.edits.push({
      range: {
        start: { line: node.startPosition.row, character: node.startPosition.column },
        end: { line: node.endPosition.row, character: node.endPosition.column },
      },
      newText: text,
    });
  }

  insertAt(row: number, column: number, text: string): void {
    this.edits.push({ range: { start: { line: row, character: column }, end: { line: row, character: column } }, newText: text });
  }

  /** Replaces whole lines [statement start row, end row] with code at the statement's indentation. */
  replaceLines(first: Node, last: Node, lines: CodeLine[]): void {
    const indent = this.ctx.indentOf(first);
    const endRow = last.endPosition.row;
    this.edits.push({
      range: { start: { line: first.startPosition.row, character: 0 }, end: { line: endRow, character: this.ctx.lineText(endRow).length } },
      newText: this.render(indent, lines).replace(/\n$/, ''),
    });
  }

  /** The original statements from `first` to `last`, one level deeper, as code lines. */
  reindented(first: Node, last: Node, depth: number, replacements: Array<{ node: Node; text: string }> = []): CodeLine[] {
    const baseIndent = this.ctx.indentOf(first);
    let text = this.ctx.facts.text.slice(first.startIndex - first.startPosition.column, last.endIndex);
    const offset = first.startIndex - first.startPosition.column;
    for (const { node, text: newText } of [...replacements].sort((a, b) => b.node.startIndex - a.node.startIndex)) {
      text = text.slice(0, node.startIndex - offset) + newText + text.slice(node.endIndex - offset);
    }
    return text.split('\n').map((original) => {
      const stripped = original.startsWith(baseIndent) ? original.slice(baseIndent.length) : original.trimStart();
      return line(depth, stripped);
    });
  }

  useClient(access: MemoryAccess): void {
    // CodeWords: the `async with redis_client() as (redis, ns):` block needs `redis_client` bound.
    if (access.opener && access.flavor === 'codewords' && !this.existingBinding(/^codewords_client(\.redis_client)?$/)) {
      this.imports.push({ module: 'codewords_client', name: 'redis_client' });
    }
    if (!access.createClient) return;
    const ctx = this.ctx;
    const q = ctx.quote;
    switch (access.createClient) {
      case 'redis-py':
      case 'redis-py-async': {
        // The client is created at module level, next to the imports.
        const os = this.stdlib('os', ctx.facts.module);
        const asyncClient = access.createClient === 'redis-py-async';
        const alias = this.existingBinding(asyncClient ? /^redis\.asyncio$/ : /^redis$/);
        const moduleName = alias ?? (asyncClient ? 'aioredis' : 'redis');
        if (!alias) this.imports.push(asyncClient ? { module: 'redis.asyncio', local: 'aioredis' } : { module: 'redis' });
        this.clientLines = [
          `${access.client} = ${moduleName}.Redis.from_url(${os}.environ.get(${q}${ctx.redisUrlVariable}${q}, ${q}redis://localhost:6379${q}), decode_responses=True)`,
        ];
        break;
      }
      case 'ioredis': {
        const existing = this.existingBinding(/^ioredis(\.Redis)?$/);
        const name = existing ?? 'Redis';
        if (!existing) this.imports.push({ module: 'ioredis', local: 'Redis' });
        this.clientLines = [`const ${access.client} = new ${name}(process.env.${ctx.redisUrlVariable} ?? ${q}redis://localhost:6379${q});`];
        this.closeWhenScriptEnds(access.client);
        break;
      }
      case 'node-redis': {
        const existing = this.existingBinding(/^redis\.createClient$/);
        const name = existing ?? 'createClient';
        if (!existing) this.imports.push({ module: 'redis', name: 'createClient' });
        this.clientLines = [
          `const ${access.client} = ${name}({ url: process.env.${ctx.redisUrlVariable} ?? ${q}redis://localhost:6379${q} });`,
          `${access.client}.on(${q}error${q}, (error) => console.error(${q}Redis:${q}, error.message));`,
          `void ${access.client}.connect();`,
        ];
        this.closeWhenScriptEnds(access.client);
        break;
      }
    }
  }

  /**
   * A one-shot script (`main().catch(…)` at the bottom) would never exit with an open Redis
   * connection: close the client we add when its entry call settles. Long-running entries (routes,
   * schedules, bots, serverless handlers reused between invocations) keep it.
   */
  private closeWhenScriptEnds(client: string): void {
    const end = oneShotEntryCall(this.ctx);
    if (end) this.insertAt(end.endPosition.row, end.endPosition.column, `.finally(() => ${client}.quit())`);
  }

  toEdits(): TextEdit[] {
    return [...this.importEdits(), ...this.edits];
  }

  private render(indent: string, lines: CodeLine[]): string {
    return lines.map((l) => (l.text === '' ? '' : indent + this.ctx.indentUnit.repeat(l.depth) + l.text)).join('\n') + '\n';
  }

  private existingBinding(pathPattern: RegExp): string | undefined {
    return this.existingBindings(pathPattern)[0];
  }

  /** Module-level names bound by imports whose path matches, in import order. */
  private existingBindings(pathPattern: RegExp): string[] {
    const names: string[] = [];
    for (const [local, path] of this.ctx.facts.module.imports) if (pathPattern.test(path)) names.push(local);
    return names;
  }

  /** Every import the inserted code needs and the file lacks, the standard ones first. */
  private neededImports(): ImportNeed[] {
    const needs: ImportNeed[] = [];
    for (const module of STDLIB_MODULES) {
      const use = this.stdlibNames.get(module);
      if (use?.imported) needs.push(use.local === module ? { module } : { module, local: use.local });
    }
    if (this.needsCrypto && this.ctx.facts.dialect === 'js' && !this.existingBinding(/^(node:)?crypto(\.createHash)?$/)) {
      needs.push({ module: 'node:crypto', name: this.hashName });
    }
    return [...needs, ...this.imports];
  }

  /**
   * The imports (and a module-level client) as edits: a name from a module the file already
   * imports from joins that import; Python standard modules go after the file's standard
   * imports; everything else after the file's last top-level import.
   */
  private importEdits(): TextEdit[] {
    const ctx = this.ctx;
    const python = ctx.facts.dialect === 'python';
    const edits: TextEdit[] = [];
    const standard: string[] = [];
    const others: string[] = [];
    for (const need of this.neededImports()) {
      const extension = need.name ? this.extendExistingImport(need.module, need.name) : undefined;
      if (extension) edits.push(extension);
      else if (python && PYTHON_STDLIB.has(need.module.split('.')[0])) standard.push(this.importStatement(need));
      else others.push(this.importStatement(need));
    }
    const stdlibAnchor = python && standard.length > 0 ? this.stdlibAnchorRow() : undefined;
    if (stdlibAnchor && !stdlibAnchor.sameAsLast) {
      const text = standard.map((i) => i + '\n').join('') + (stdlibAnchor.blankAfter ? '\n' : '');
      edits.unshift({ range: { start: { line: stdlibAnchor.row, character: 0 }, end: { line: stdlibAnchor.row, character: 0 } }, newText: text });
      standard.length = 0;
    }
    const afterLast = [...standard, ...others];
    if (afterLast.length > 0 || this.clientLines.length > 0) edits.push(this.afterLastImport(afterLast));
    return edits;
  }

  private importStatement(need: ImportNeed): string {
    const q = this.ctx.quote;
    if (this.ctx.facts.dialect === 'python') {
      if (need.name) return `from ${need.module} import ${need.name}`;
      return need.local ? `import ${need.module} as ${need.local}` : `import ${need.module}`;
    }
    const binding = need.name ? `{ ${need.name} }` : (need.local ?? need.module);
    return this.ctx.facts.usesRequire ? `const ${binding} = require(${q}${need.module}${q});` : `import ${binding} from ${q}${need.module}${q};`;
  }

  /** `from m import a` -> `from m import a, name`; `import { a } from 'm'` / `const { a } = require('m')` likewise. */
  private extendExistingImport(module: string, name: string): TextEdit | undefined {
    const ctx = this.ctx;
    let lastName: Node | undefined;
    for (const statement of ctx.facts.importStatements) {
      if (statement.parent?.type !== ctx.facts.root.type) continue;
      if (statement.type === 'import_from_statement') {
        if (statement.childForFieldName('module_name')?.text !== module || statement.namedChildren.some((c) => c.type === 'wildcard_import')) continue;
        lastName = statement.childrenForFieldName('name').pop() ?? undefined;
      } else if (statement.type === 'import_statement' && ctx.facts.dialect === 'js') {
        // A type-only import binds no value: `import type { X } from 'm'` cannot take `createHash`.
        if (stringValue(statement.childForFieldName('source')) !== module || /^import\s+type\b/.test(statement.text)) continue;
        const named = statement.namedChildren.find((c) => c.type === 'import_clause')?.namedChildren.find((c) => c.type === 'named_imports');
        lastName = named?.namedChildren.filter((c) => c.type === 'import_specifier').pop();
      } else if (statement.type === 'lexical_declaration' || statement.type === 'variable_declaration') {
        const declarator = statement.namedChildren.find((c) => c.type === 'variable_declarator');
        const value = declarator?.childForFieldName('value');
        const pattern = declarator?.childForFieldName('name');
        if (value?.type !== 'call_expression' || value.childForFieldName('function')?.text !== 'require' || pattern?.type !== 'object_pattern') continue;
        if (stringValue(value.childForFieldName('arguments')?.namedChildren[0]) !== module) continue;
        lastName = pattern.namedChildren.filter((c) => c.type !== 'comment').pop();
        if (lastName?.type === 'rest_pattern') lastName = undefined;
      }
      if (lastName) break;
    }
    if (!lastName) return undefined;
    const at = { line: lastName.endPosition.row, character: lastName.endPosition.column };
    return { range: { start: at, end: at }, newText: `, ${name}` };
  }

  /** Imports and the module-level client, after the file's last top-level import. */
  private afterLastImport(imports: string[]): TextEdit {
    const ctx = this.ctx;
    const anchor = this.importAnchorRow();
    let text = imports.map((i) => i + '\n').join('');
    if (this.clientLines.length > 0) text += '\n' + this.clientLines.map((l) => l + '\n').join('');
    if (anchor.atEnd) {
      const row = ctx.lines.length - 1;
      const end = { line: row, character: ctx.lineText(row).length };
      return { range: { start: end, end }, newText: (ctx.lineText(row) === '' ? '' : '\n') + text };
    }
    // Keep a blank line between what we add and the code that follows.
    if ((anchor.blankAfter || this.clientLines.length > 0) && ctx.lineText(anchor.row).trim() !== '') text += '\n';
    return { range: { start: { line: anchor.row, character: 0 }, end: { line: anchor.row, character: 0 } }, newText: text };
  }

  private importAnchorRow(): { row: number; atEnd?: boolean; blankAfter?: boolean } {
    this.ctx.importAnchor ??= this.findImportAnchor();
    return this.ctx.importAnchor;
  }

  private stdlibAnchorRow(): StdlibAnchor {
    let anchor = stdlibAnchors.get(this.ctx);
    if (!anchor) {
      anchor = this.findStdlibAnchor();
      stdlibAnchors.set(this.ctx, anchor);
    }
    return anchor;
  }

  /**
   * Python: where a standard-library import goes. After the last standard import of the import
   * block at the top; before its first third-party import when it has no standard one; else where
   * any import goes (after the docstring and `from __future__` imports).
   */
  private findStdlibAnchor(): StdlibAnchor {
    let lastStandard: Node | undefined;
    let firstOther: Node | undefined;
    for (const child of this.ctx.facts.root.namedChildren) {
      if (child.type === 'comment' || child.type === 'future_import_statement') continue;
      if (child.type === 'expression_statement' && child.namedChildren[0]?.type === 'string') continue;
      if (child.type !== 'import_statement' && child.type !== 'import_from_statement') break;
      const moduleNode = child.type === 'import_from_statement' ? child.childForFieldName('module_name') : child.childForFieldName('name');
      const module = (moduleNode?.type === 'aliased_import' ? moduleNode.childForFieldName('name') : moduleNode)?.text ?? '';
      if (PYTHON_STDLIB.has(module.split('.')[0])) lastStandard = child;
      else firstOther ??= child;
    }
    if (lastStandard) return { row: lastStandard.endPosition.row + 1, sameAsLast: this.importAnchorRow().row === lastStandard.endPosition.row + 1 };
    if (firstOther) return { row: firstOther.startPosition.row, blankAfter: true };
    return { row: 0, sameAsLast: true };
  }

  private findImportAnchor(): { row: number; atEnd?: boolean; blankAfter?: boolean } {
    const ctx = this.ctx;
    const topImports = ctx.facts.importStatements.filter((n) => n.parent?.type === ctx.facts.root.type);
    const last = topImports[topImports.length - 1];
    if (last) {
      const row = last.endPosition.row + 1;
      return row >= ctx.lines.length ? { row, atEnd: true } : { row };
    }
    // No imports yet: after a shebang, leading comments, a docstring, `from __future__` imports or 'use strict'.
    let row = 0;
    for (const child of ctx.facts.root.namedChildren) {
      const isPreamble =
        child.type === 'comment' ||
        child.type === 'future_import_statement' ||
        (child.type === 'expression_statement' && (child.namedChildren[0]?.type === 'string') && row === child.startPosition.row) ||
        child.type === 'hash_bang_line';
      if (!isPreamble) break;
      row = child.endPosition.row + 1;
    }
    return row >= ctx.lines.length ? { row, atEnd: true } : { row, blankAfter: row > 0 ? false : true };
  }
}

/** Where a Python standard-library import goes; `sameAsLast`: with the other imports, after the last one. */
interface StdlibAnchor {
  row: number;
  blankAfter?: boolean;
  sameAsLast?: boolean;
}

const stdlibAnchors = new WeakMap<FileContext, StdlibAnchor>();

// ---------------------------------------------------------------------------------------------
// Client access

/**
 * How code inserted at `statement` (in `scope`) reaches Redis, or undefined when it cannot be
 * written idiomatically there (an async client in a sync function, say).
 */
export function memoryAccessAt(ctx: FileContext, scope: Scope, statement: Node): MemoryAccess | undefined {
  const python = ctx.facts.dialect === 'python';
  const isAsync = scope.kind === 'function' && scope.isAsync;

  // Inside `async with redis_client() as (redis, ns):` already.
  if (python) {
    for (const block of scope.withs) {
      if (block.node.startIndex > statement.startIndex || statement.endIndex > block.node.endIndex) continue;
      for (const item of block.items) {
        const path = ctx.resolver.qualify(item.value, scope);
        if (path === 'codewords_client.redis_client()' && item.target && item.target.namedChildren.length === 2) {
          return { flavor: 'codewords', client: item.target.namedChildren[0].text, nsVar: item.target.namedChildren[1].text, wait: 'await ' };
        }
      }
    }
  }
  if (ctx.isCodeWords && python) {
    if (!isAsync) return undefined;
    const client = ctx.isNameUsed('redis') && hasModuleBinding(ctx, 'redis') ? 'memory' : 'redis';
    return { flavor: 'codewords', client, nsVar: 'ns', wait: 'await ', opener: `async with ${codewordsRedisClient(ctx)}() as (${client}, ns):` };
  }
  // An existing client in scope: a local, a parameter, a module-level variable, self/this attribute.
  const existing = findClientInScope(ctx, scope, statement);
  if (existing) {
    if (isAsyncFlavor(existing.flavor) && !isAsync) return undefined;
    return { flavor: existing.flavor, client: existing.name, wait: isAsyncFlavor(existing.flavor) ? 'await ' : '', decodes: existing.decodes };
  }
  // A new client from REDIS_URL.
  const client = ctx.freshName('memory');
  if (python) {
    const flavor = isAsync ? 'redis-py-async' : 'redis-py';
    return { flavor, client, wait: isAsync ? 'await ' : '', createClient: flavor };
  }
  if (!isAsync) return undefined;
  // A Cloudflare Worker has no TCP sockets and no process.env: a client of ours could not connect there.
  if (/\bexport\s+default\s*\{[\s\S]*?\b(async\s+)?(scheduled|fetch|queue)\s*\([^)]*\benv\b/.test(ctx.facts.text)) return undefined;
  const flavor = ctx.fileFlavor === 'node-redis' ? 'node-redis' : 'ioredis';
  return { flavor, client, wait: 'await ', createClient: flavor };
}

/** `redis_client` as the file can call it: its own alias, `codewords_client.redis_client`, or the bare name (imported by the plan). */
function codewordsRedisClient(ctx: FileContext): string {
  for (const [local, path] of ctx.facts.module.imports) {
    if (path === 'codewords_client.redis_client') return local;
    if (path === 'codewords_client') return `${local}.redis_client`;
  }
  return 'redis_client';
}

function hasModuleBinding(ctx: FileContext, name: string): boolean {
  return ctx.facts.module.imports.has(name);
}

function findClientInScope(ctx: FileContext, scope: Scope, statement: Node): { name: string; flavor: RedisFlavor; decodes?: boolean } | undefined {
  const decodes = (made: Node | undefined): boolean | undefined => (made ? /decode_responses\s*=\s*True/.test(made.text) : undefined);
  for (let s: Scope | undefined = scope; s; s = s.parent) {
    for (const assignment of s.assignments) {
      if (s === scope && assignment.node.startIndex > statement.startIndex) continue;
      if (!/^[\w$]+$|^(self|this)\.[\w$]+$/.test(assignment.name)) continue;
      const flavor = assignment.value ? redisClientFlavorOf(ctx.resolver.qualify(assignment.value, s)) : undefined;
      if (flavor && flavor !== 'codewords') return { name: assignment.name, flavor, decodes: decodes(assignment.value) };
    }
    for (const param of s.params) {
      if (!param.typeText) continue;
      const flavor = redisFlavorOf(ctx.resolver.qualify(param.node.type === 'identifier' ? param.node : (param.node.childForFieldName('pattern') ?? param.node.namedChildren[0]), s));
      if (flavor) return { name: param.name, flavor };
    }
  }
  // `self.redis` / `this.redis` assigned in a constructor.
  const method = scope.kind === 'function' && scope.params[0]?.name === 'self' ? 'self' : ctx.facts.dialect === 'js' && scope.node.type === 'method_definition' ? 'this' : undefined;
  if (method) {
    for (const s of ctx.facts.scopes) {
      for (const assignment of s.assignments) {
        if (!assignment.name.startsWith(`${method}.`)) continue;
        const flavor = assignment.value ? redisClientFlavorOf(ctx.resolver.qualify(assignment.value, s)) : undefined;
        if (flavor) return { name: assignment.name, flavor, decodes: decodes(assignment.value) };
      }
    }
  }
  // Redis operations in the same function on a receiver we recognised by name.
  // Not one bound only further down (`stats = redis.Redis(…)` after the code goes in: unbound there).
  const root = (receiver: string): string => receiver.split('.')[0];
  const boundLater = (name: string): boolean =>
    scope.assignments.some((a) => a.name === name && a.node.startIndex > statement.startIndex) && !scope.assignments.some((a) => a.name === name && a.node.startIndex < statement.startIndex);
  const op = ctx.opsIn(scope).find((candidate) => !boundLater(root(candidate.receiver.text)));
  if (op && /^[\w$.]+$/.test(op.receiver.text) && op.flavor !== 'codewords') return { name: op.receiver.text, flavor: op.flavor };
  return undefined;
}

// ---------------------------------------------------------------------------------------------
// Commands and keys

export interface KeyPart {
  literal?: string;
  expression?: string;
}

export class MemoryCode {
  readonly python: boolean;

  constructor(
    private readonly ctx: FileContext,
    readonly access: MemoryAccess,
    private readonly namespace: string,
    private readonly workflow: string,
  ) {
    this.python = ctx.facts.dialect === 'python';
  }

  get q(): string {
    return this.ctx.quote;
  }

  /** Key expression and its display form (`{ns}:monitor:page-hash:{url}`). */
  key(purpose: string, parts: KeyPart[]): { code: string; display: string } {
    const prefix = this.access.nsVar ? undefined : this.namespace;
    // A file whose keys already start with its workflow's name (`notifier:last-run`) gets
    // `notifier:notified:…`, not `notifier:notifier:notified:…`.
    const workflowIsPrefix = !this.access.nsVar && prefix === this.workflow;
    const segments: KeyPart[] = [
      this.access.nsVar ? { expression: this.access.nsVar } : { literal: prefix },
      ...(workflowIsPrefix ? [] : [{ literal: this.workflow }]),
      { literal: purpose },
      ...parts,
    ];
    const display = segments.map((s) => (s.expression !== undefined ? `{${s.expression === this.access.nsVar ? 'ns' : s.expression}}` : s.literal)).join(':');
    const hasExpression = segments.some((s) => s.expression !== undefined);
    if (!hasExpression) {
      return { code: `${this.q}${segments.map((s) => s.literal).join(':')}${this.q}`, display };
    }
    if (this.python) {
      const quote = segments.some((s) => s.expression?.includes(this.q)) ? (this.q === '"' ? "'" : '"') : this.q;
      if (segments.some((s) => s.expression?.includes(quote))) {
        const code = segments.map((s, i) => (s.expression !== undefined ? `str(${s.expression})` : `${quote}${s.literal}${i < segments.length - 1 ? ':' : ''}${quote}`)).join(' + ');
        return { code, display };
      }
      const body = segments.map((s) => (s.expression !== undefined ? `{${s.expression}}` : s.literal!.replace(/[{}]/g, (c) => c + c))).join(':');
      return { code: `f${quote}${body}${quote}`, display };
    }
    const body = segments.map((s) => (s.expression !== undefined ? `\${${s.expression}}` : s.literal!.replace(/[`$\\]/g, (c) => '\\' + c))).join(':');
    return { code: `\`${body}\``, display };
  }

  /** `await redis.get(k)` in the client's spelling. */
  call(method: string, args: string[]): string {
    // node-redis takes a variadic command's elements as one array: `rPush(key, [a, b])`; a third
    // argument would be dropped without a word.
    if (this.access.flavor === 'node-redis' && VARIADIC_COMMANDS.has(method) && args.length > 2) args = [args[0], `[${args.slice(1).join(', ')}]`];
    return `${this.access.wait}${this.access.client}.${this.methodName(method)}(${args.join(', ')})`;
  }

  /** SET with an expiry (and NX when asked). */
  setWithExpiry(key: string, value: string, ttl: string, nx = false): string {
    switch (this.access.flavor) {
      case 'ioredis':
        return this.call('set', [key, value, `${this.q}EX${this.q}`, ttl, ...(nx ? [`${this.q}NX${this.q}`] : [])]);
      case 'node-redis':
        return this.call('set', [key, value, `{ EX: ${ttl}${nx ? ', NX: true' : ''} }`]);
      default:
        return this.call('set', [key, value, ...(nx ? ['nx=True'] : []), `ex=${ttl}`]);
    }
  }

  /** Lines opening the memory block (CodeWords `async with`) and the depth of its body. */
  open(): { lines: CodeLine[]; depth: number } {
    return this.access.opener ? { lines: [line(0, this.access.opener)], depth: 1 } : { lines: [], depth: 0 };
  }

  private methodName(method: string): string {
    if (this.access.flavor !== 'node-redis') return method;
    const camel: Record<string, string> = {
      sismember: 'sIsMember', sadd: 'sAdd', smembers: 'sMembers', hset: 'hSet', hget: 'hGet', hgetall: 'hGetAll',
      lrange: 'lRange', rpush: 'rPush', ltrim: 'lTrim', setex: 'setEx',
    };
    return camel[method] ?? method;
  }
}

/** The module-level call chain that runs a one-shot script's entry (`main().catch(…)`), if every entry runs once. */
function oneShotEntryCall(ctx: FileContext): Node | undefined {
  const entries = ctx.facts.scopes.filter((scope) => scope.entry);
  if (entries.length === 0 || entries.some((scope) => scope.entry !== 'main')) return undefined;
  for (const call of ctx.facts.module.calls) {
    if (ctx.localCallee(call)?.entry !== 'main') continue;
    // Up the chain `main().then(…).catch(…)`, not into an `await` or an argument.
    let top: Node = call.node;
    for (let parent = top.parent; parent; parent = top.parent) {
      const onChain =
        (parent.type === 'member_expression' && parent.childForFieldName('object')?.equals(top)) ||
        (parent.type === 'call_expression' && parent.childForFieldName('function')?.equals(top));
      if (!onChain) break;
      top = parent;
    }
    const statement = top.parent?.type === 'await_expression' ? top.parent.parent : top.parent;
    // At module level, also inside `if (require.main === module) { … }`.
    if (statement?.type === 'expression_statement') return top;
  }
  return undefined;
}

/**
 * Whether `name` means something other than the module `module` inside `scope` (Python): a
 * parameter, assignment, loop or `with` target, nested function or other import there or in an
 * enclosing function binds it; at module level, anything but an import of `module` does. A name
 * bound anywhere in a Python function is local to all of it, so position does not matter.
 */
function rebindsName(ctx: FileContext, scope: Scope, name: string, module: string): boolean {
  for (let current: Scope | undefined = scope; current; current = current.parent) {
    const imported = current.imports.get(name);
    if (imported !== undefined && imported !== module) return true;
    if (current.params.some((param) => param.name === name)) return true;
    if (current.assignments.some((assignment) => assignment.name === name)) return true;
    if (current.loops.some((loop) => loop.kind !== 'comprehension' && loop.variable && patternNames(loop.variable).includes(name))) return true;
    if (current.withs.some((block) => block.items.some((item) => item.target && patternNames(item.target).includes(name)))) return true;
    if (ctx.functionsNamed(name).some((fn) => fn.parent === current)) return true;
  }
  return false;
}
