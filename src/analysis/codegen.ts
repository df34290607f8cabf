// Writing memory code in the file's own style: its Redis client (or the CodeWords
// `async with redis_client() as (redis, ns):`, or a client from REDIS_URL), its indentation and
// quotes, keys `<ns>:<workflow>:<purpose>:<id>`, and the imports the code needs. An EditPlan
// gathers the pieces of one suggestion and turns them into a single set of TextEdits.

import type { Node } from 'web-tree-sitter';
import type { FileContext } from './context';
import type { Scope } from './facts';
import { isAsyncFlavor, redisFlavorOf, type RedisFlavor } from './libraries';
import type { TextEdit } from './types';

/** A line of generated code, `depth` levels deeper than the statement it goes next to. */
export interface CodeLine {
  depth: number;
  text: string;
}

export function line(depth: number, text: string): CodeLine {
  return { depth, text };
}

export type Requirement = 'hashlib' | 'json' | 'os' | 'time' | 'crypto';

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
}

export class EditPlan {
  private readonly requirements = new Set<Requirement>();
  private readonly edits: TextEdit[] = [];
  private clientLines: string[] = [];
  private clientImport: string | undefined;
  private hashName = 'createHash';

  constructor(private readonly ctx: FileContext) {}

  require(requirement: Requirement): void {
    this.requirements.add(requirement);
  }

  /** `createHash` or `crypto.createHash`, whichever the file already has (JS). */
  get createHash(): string {
    this.require('crypto');
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
    if (!access.createClient) return;
    const ctx = this.ctx;
    const q = ctx.quote;
    switch (access.createClient) {
      case 'redis-py':
      case 'redis-py-async': {
        this.require('os');
        const asyncClient = access.createClient === 'redis-py-async';
        const alias = this.existingBinding(asyncClient ? /^redis\.asyncio$/ : /^redis$/);
        const moduleName = alias ?? (asyncClient ? 'aioredis' : 'redis');
        if (!alias) this.clientImport = asyncClient ? 'import redis.asyncio as aioredis' : 'import redis';
        this.clientLines = [
          `${access.client} = ${moduleName}.Redis.from_url(os.environ.get(${q}REDIS_URL${q}, ${q}redis://localhost:6379${q}), decode_responses=True)`,
        ];
        break;
      }
      case 'ioredis': {
        const existing = this.existingBinding(/^ioredis(\.Redis)?$/);
        const name = existing ?? 'Redis';
        if (!existing) this.clientImport = ctx.facts.usesRequire ? `const Redis = require(${q}ioredis${q});` : `import Redis from ${q}ioredis${q};`;
        this.clientLines = [`const ${access.client} = new ${name}(process.env.REDIS_URL ?? ${q}redis://localhost:6379${q});`];
        break;
      }
      case 'node-redis': {
        const existing = this.existingBinding(/^redis\.createClient$/);
        const name = existing ?? 'createClient';
        if (!existing) this.clientImport = ctx.facts.usesRequire ? `const { createClient } = require(${q}redis${q});` : `import { createClient } from ${q}redis${q};`;
        this.clientLines = [
          `const ${access.client} = ${name}({ url: process.env.REDIS_URL ?? ${q}redis://localhost:6379${q} });`,
          `${access.client}.on(${q}error${q}, (error) => console.error(${q}Redis:${q}, error.message));`,
          `void ${access.client}.connect();`,
        ];
        break;
      }
    }
  }

  toEdits(): TextEdit[] {
    const top = this.topOfFileText();
    return top ? [top, ...this.edits] : [...this.edits];
  }

  private render(indent: string, lines: CodeLine[]): string {
    return lines.map((l) => (l.text === '' ? '' : indent + this.ctx.indentUnit.repeat(l.depth) + l.text)).join('\n') + '\n';
  }

  private existingBinding(pathPattern: RegExp): string | undefined {
    for (const [local, path] of this.ctx.facts.module.imports) if (pathPattern.test(path)) return local;
    return undefined;
  }

  /** Imports (and a module-level client) inserted after the file's last top-level import. */
  private topOfFileText(): TextEdit | undefined {
    const ctx = this.ctx;
    const python = ctx.facts.dialect === 'python';
    const q = ctx.quote;
    const imports: string[] = [];
    const has = (pattern: RegExp): boolean => this.existingBinding(pattern) !== undefined;
    for (const requirement of ['hashlib', 'json', 'os', 'time', 'crypto'] as const) {
      if (!this.requirements.has(requirement)) continue;
      if (python && requirement !== 'crypto' && !has(new RegExp(`^${requirement}$`))) imports.push(`import ${requirement}`);
      if (!python && requirement === 'crypto' && !has(/^(node:)?crypto(\.createHash)?$/)) {
        imports.push(ctx.facts.usesRequire ? `const { createHash } = require(${q}node:crypto${q});` : `import { createHash } from ${q}node:crypto${q};`);
      }
    }
    if (this.clientImport) imports.push(this.clientImport);
    if (imports.length === 0 && this.clientLines.length === 0) return undefined;
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

  private findImportAnchor(): { row: number; atEnd?: boolean; blankAfter?: boolean } {
    const ctx = this.ctx;
    const topImports = ctx.facts.importStatements.filter((n) => n.parent?.type === ctx.facts.root.type);
    const last = topImports[topImports.length - 1];
    if (last) {
      const row = last.endPosition.row + 1;
      return row >= ctx.lines.length ? { row, atEnd: true } : { row };
    }
    // No imports yet: after a shebang, leading comments, a docstring or 'use strict'.
    let row = 0;
    for (const child of ctx.facts.root.namedChildren) {
      const isPreamble =
        child.type === 'comment' ||
        (child.type === 'expression_statement' && (child.namedChildren[0]?.type === 'string') && row === child.startPosition.row) ||
        child.type === 'hash_bang_line';
      if (!isPreamble) break;
      row = child.endPosition.row + 1;
    }
    return row >= ctx.lines.length ? { row, atEnd: true } : { row, blankAfter: row > 0 ? false : true };
  }
}

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
    return { flavor: 'codewords', client, nsVar: 'ns', wait: 'await ', opener: `async with redis_client() as (${client}, ns):` };
  }
  // An existing client in scope: a local, a parameter, a module-level variable, self/this attribute.
  const existing = findClientInScope(ctx, scope, statement);
  if (existing) {
    if (isAsyncFlavor(existing.flavor) && !isAsync) return undefined;
    return { flavor: existing.flavor, client: existing.name, wait: isAsyncFlavor(existing.flavor) ? 'await ' : '' };
  }
  // A new client from REDIS_URL.
  const client = ctx.freshName('memory');
  if (python) {
    const flavor = isAsync ? 'redis-py-async' : 'redis-py';
    return { flavor, client, wait: isAsync ? 'await ' : '', createClient: flavor };
  }
  if (!isAsync) return undefined;
  const flavor = ctx.fileFlavor === 'node-redis' ? 'node-redis' : 'ioredis';
  return { flavor, client, wait: 'await ', createClient: flavor };
}

function hasModuleBinding(ctx: FileContext, name: string): boolean {
  return ctx.facts.module.imports.has(name);
}

function findClientInScope(ctx: FileContext, scope: Scope, statement: Node): { name: string; flavor: RedisFlavor } | undefined {
  for (let s: Scope | undefined = scope; s; s = s.parent) {
    for (const assignment of s.assignments) {
      if (s === scope && assignment.node.startIndex > statement.startIndex) continue;
      if (!/^[\w$]+$|^(self|this)\.[\w$]+$/.test(assignment.name)) continue;
      const flavor = assignment.value ? redisFlavorOf(ctx.resolver.qualify(assignment.value, s)) : undefined;
      if (flavor && flavor !== 'codewords') return { name: assignment.name, flavor };
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
        const flavor = assignment.value ? redisFlavorOf(ctx.resolver.qualify(assignment.value, s)) : undefined;
        if (flavor) return { name: assignment.name, flavor };
      }
    }
  }
  // Redis operations in the same function on a receiver we recognised by name.
  const op = ctx.opsIn(scope)[0];
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
    const segments: KeyPart[] = [
      this.access.nsVar ? { expression: this.access.nsVar } : { literal: prefix },
      { literal: this.workflow },
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
