// Names to what they are: `rq.get` -> `requests.get`, `client.chat.completions.create` with
// `client = OpenAI()` -> `openai.OpenAI().chat.completions.create`, `redis` bound by
// `async with redis_client() as (redis, ns)` -> `codewords_client.redis_client()[0]`.
// A call is written `()`, an element of a tuple or subscript `[i]`/`[]`.

import type { Node } from 'web-tree-sitter';
import type { Assignment, FileFacts, Scope } from './facts';

const MAX_DEPTH = 12;

export class Resolver {
  private readonly cache = new Map<number, string | undefined>();
  private readonly boundAnywhere = new Set<string>();

  constructor(private readonly facts: FileFacts) {
    for (const scope of facts.scopes) {
      for (const name of scope.imports.keys()) this.boundAnywhere.add(name);
      for (const assignment of scope.assignments) this.boundAnywhere.add(assignment.name);
      for (const param of scope.params) this.boundAnywhere.add(param.name);
    }
    for (const name of facts.declaredNames) this.boundAnywhere.add(name);
  }

  /** The qualified path of an expression, or undefined when it is a local value of unknown origin. */
  qualify(node: Node | null | undefined, scope: Scope, depth = 0): string | undefined {
    if (!node || depth > MAX_DEPTH) return undefined;
    const cached = this.cache.get(node.id);
    if (cached !== undefined || this.cache.has(node.id)) return cached;
    this.cache.set(node.id, undefined); // guards against cycles (`x = x.next`)
    const result = this.compute(node, scope, depth);
    this.cache.set(node.id, result);
    return result;
  }

  private compute(node: Node, scope: Scope, depth: number): string | undefined {
    const type = node.type;
    switch (type) {
      case 'identifier':
      case 'this':
      case 'self':
        return this.lookup(node.text, node, scope, depth);
      case 'attribute':
      case 'member_expression': {
        const bound = this.lookupAssigned(node.text, node, scope, depth);
        if (bound) return bound;
        const object = node.childForFieldName('object');
        const property = node.childForFieldName(type === 'attribute' ? 'attribute' : 'property');
        const base = this.qualify(object, scope, depth + 1);
        return base && property ? normalize(`${base}.${property.text}`) : undefined;
      }
      case 'call':
      case 'call_expression': {
        const fn = node.childForFieldName('function');
        if (fn?.text === 'require' || fn?.type === 'import') {
          const arg = node.childForFieldName('arguments')?.namedChildren[0];
          const moduleName = arg ? literalText(arg) : undefined;
          return moduleName;
        }
        const base = this.qualify(fn, scope, depth + 1);
        return base ? `${base}()` : undefined;
      }
      case 'new_expression': {
        const base = this.qualify(node.childForFieldName('constructor'), scope, depth + 1);
        return base ? `${base}()` : undefined;
      }
      case 'await':
      case 'await_expression':
      case 'parenthesized_expression':
      case 'as_expression':
      case 'non_null_expression':
      case 'satisfies_expression':
        return this.qualify(node.namedChildren[0], scope, depth + 1);
      case 'subscript':
      case 'subscript_expression': {
        const base = this.qualify(node.childForFieldName(type === 'subscript' ? 'value' : 'object'), scope, depth + 1);
        return base ? `${base}[]` : undefined;
      }
      default:
        return undefined;
    }
  }

  private lookup(name: string, at: Node, scope: Scope, depth: number): string | undefined {
    for (let current: Scope | undefined = scope; current; current = current.parent) {
      const imported = current.imports.get(name);
      if (imported) return normalize(imported);
      const fromWith = this.lookupWith(name, at, current, depth);
      if (fromWith) return fromWith;
      const assignment = latestAssignment(current, name, at.startIndex);
      if (assignment) return this.qualifyAssignment(assignment, name, depth);
      const param = current.params.find((p) => p.name === name);
      if (param) return param.typeText ? this.qualifyType(param.typeText, current, depth) : undefined;
    }
    // A name bound nowhere in the file is a global or builtin (`fetch`, `open`).
    return this.boundAnywhere.has(name) ? undefined : name;
  }

  /** `self.client` / `this.redis` assigned somewhere in the file. */
  private lookupAssigned(chain: string, at: Node, scope: Scope, depth: number): string | undefined {
    if (!/^(self|this)\./.test(chain)) {
      for (let current: Scope | undefined = scope; current; current = current.parent) {
        const assignment = latestAssignment(current, chain, at.startIndex);
        if (assignment) return this.qualifyAssignment(assignment, chain, depth);
      }
      return undefined;
    }
    for (const candidate of this.facts.scopes) {
      const assignment = latestAssignment(candidate, chain, Number.POSITIVE_INFINITY);
      if (assignment) return this.qualifyAssignment(assignment, chain, depth);
    }
    // A TypeScript parameter property: `constructor(private readonly client: Redis)` binds `this.client`.
    const property = /^this\.([A-Za-z_$][\w$]*)$/.exec(chain)?.[1];
    if (property) {
      for (const candidate of this.facts.scopes) {
        if (candidate.name !== 'constructor') continue;
        const param = candidate.params.find((p) => p.name === property && p.typeText && /^(private|public|protected|readonly)\b/.test(p.node.text));
        if (param?.typeText) return this.qualifyType(param.typeText, candidate, depth);
      }
    }
    return undefined;
  }

  private lookupWith(name: string, at: Node, scope: Scope, depth: number): string | undefined {
    for (const block of scope.withs) {
      if (block.node.startIndex > at.startIndex) continue;
      for (const item of block.items) {
        const target = item.target;
        if (!target) continue;
        const targetType = target.type;
        if (targetType === 'identifier' && target.text === name) return this.qualify(item.value, scope, depth + 1);
        if (targetType === 'tuple' || targetType === 'pattern_list' || targetType === 'list') {
          const index = target.namedChildren.findIndex((child) => child.text === name);
          if (index >= 0) {
            const base = this.qualify(item.value, scope, depth + 1);
            return base ? `${base}[${index}]` : undefined;
          }
        }
      }
    }
    return undefined;
  }

  private qualifyAssignment(assignment: Assignment, name: string, depth: number): string | undefined {
    if (!assignment.value) return undefined;
    const base = this.qualify(assignment.value, assignment.scope, depth + 1);
    const target = assignment.node.childForFieldName('name') ?? assignment.node.childForFieldName('left');
    if (base && target?.type === 'object_pattern') {
      // `const { createClient } = require('redis')` -> redis.createClient
      for (const part of target.namedChildren) {
        if (part.type === 'shorthand_property_identifier_pattern' && part.text === name) return normalize(`${base}.${name}`);
        if (part.type === 'pair_pattern' && part.childForFieldName('value')?.text === name) {
          return normalize(`${base}.${part.childForFieldName('key')?.text ?? name}`);
        }
      }
    }
    return base;
  }

  /** A parameter's annotation (`Redis`, `redis.asyncio.Redis`, `httpx.AsyncClient`) as an instance. */
  private qualifyType(typeText: string, scope: Scope, depth: number): string | undefined {
    const match = /^([A-Za-z_$][\w$]*)((?:\.[A-Za-z_$][\w$]*)*)/.exec(typeText.trim());
    if (!match || depth > MAX_DEPTH) return undefined;
    for (let current: Scope | undefined = scope; current; current = current.parent) {
      const imported = current.imports.get(match[1]);
      if (imported) return `${normalize(imported + match[2])}()`;
    }
    return undefined;
  }
}

/** A scope's assignments by name, with their start offsets: module scopes hold thousands in big files. */
const assignmentsByName = new WeakMap<Scope, Map<string, { assignment: Assignment; start: number }[]>>();

function latestAssignment(scope: Scope, name: string, before: number): Assignment | undefined {
  let byName = assignmentsByName.get(scope);
  if (!byName) {
    byName = new Map();
    for (const assignment of scope.assignments) {
      const entry = { assignment, start: assignment.node.startIndex };
      const list = byName.get(assignment.name);
      if (list) list.push(entry);
      else byName.set(assignment.name, [entry]);
    }
    assignmentsByName.set(scope, byName);
  }
  const candidates = byName.get(name);
  if (!candidates) return undefined;
  let best: Assignment | undefined;
  for (const { assignment, start } of candidates) if (start < before) best = assignment;
  return best ?? candidates[0].assignment;
}

/** `openai.default` and `axios.default` are the module itself. */
function normalize(path: string): string {
  return path.replace(/^([^.()[\]]+)\.default\b/, '$1');
}

function literalText(node: Node): string | undefined {
  if (node.type !== 'string') return undefined;
  const text = node.text;
  return text.length >= 2 ? text.slice(1, -1) : undefined;
}
