// One pass over the syntax tree that collects what the rules need: imports, scopes (functions
// and the module), parameters, assignments, calls with the loops and `with` blocks around them,
// returns and dismissal comments. One descendantsOfType() call per file finds the nodes; a stack
// of open ranges (the nodes arrive in document order) tells what encloses what, so no rule walks
// the whole tree again.

import type { Node, Tree } from 'web-tree-sitter';
import type { LanguageId } from './types';

export type Dialect = 'python' | 'js';

export function dialectOf(language: LanguageId): Dialect {
  return language === 'python' ? 'python' : 'js';
}

export interface Param {
  name: string;
  node: Node;
  typeText?: string;
}

/** `name = value` (or a declarator): `name` is the target's text (`x`, `self.client`). */
export interface Assignment {
  name: string;
  value: Node | undefined;
  /** The assignment or declarator node. */
  node: Node;
  scope: Scope;
}

export interface Loop {
  node: Node;
  kind: 'for' | 'while' | 'comprehension' | 'callback';
  /** The loop variable (identifier or pattern), when there is one. */
  variable?: Node;
  /** What is iterated. */
  collection?: Node;
  /** Block of statements run per item (the callback body for `.forEach(item => …)`). */
  body?: Node;
  /** `while True:` / `while (true)`: a long-running poller. */
  polling: boolean;
  scope: Scope;
}

export interface WithItem {
  value: Node;
  target?: Node;
}

export interface WithBlock {
  node: Node;
  items: WithItem[];
  body?: Node;
  isAsync: boolean;
}

export interface CallSite {
  node: Node;
  /** The called expression (`function` field, or the constructor of `new X()`). */
  callee: Node;
  args?: Node;
  isNew: boolean;
  scope: Scope;
  /** Loops around the call inside its own function, outermost first. */
  loops: Loop[];
  /** `with` blocks around the call inside its own function, outermost first. */
  withs: WithBlock[];
  /** Inside `if __name__ == "__main__":`. */
  inMainGuard: boolean;
  /** The callee's source, once calleeText() has read it (each read of `.text` crosses into wasm). */
  calleeSource?: string;
  /** Where the call ends and its arguments' source, once callEnd()/argumentsText() have read them. */
  end?: number;
  argumentsSource?: string;
  /**
   * TypeScript parses `await f<T>(x)` as a call of `await f` (tree-sitter-typescript): the callee
   * is then the inner `f`, and this says the call is awaited all the same.
   */
  awaitInCallee?: boolean;
}

/** `await call(…)` (or, in TypeScript, `await call<T>(…)`). */
export function isAwaited(call: CallSite): boolean {
  if (call.awaitInCallee) return true;
  const parentType = call.node.parent?.type;
  return parentType === 'await' || parentType === 'await_expression';
}

/** Where the call ends, read once per call: rules ask again and again which calls lie inside a block. */
export function callEnd(call: CallSite): number {
  return (call.end ??= call.node.endIndex);
}

/** The source of the call's arguments (`""` without any), read once per call. */
export function argumentsText(call: CallSite): string {
  return (call.argumentsSource ??= call.args?.text ?? '');
}

/** The called expression's source text (`requests.get`, `self.notify`), read once per call. */
export function calleeText(call: CallSite): string {
  return (call.calleeSource ??= call.callee.text);
}

export type EntryKind = 'route' | 'schedule' | 'bot' | 'handler' | 'main' | 'script';

export interface Scope {
  kind: 'module' | 'function';
  node: Node;
  body?: Node;
  name: string;
  isAsync: boolean;
  parent?: Scope;
  params: Param[];
  decorators: string[];
  assignments: Assignment[];
  /** `params["after"] = after`, `data.key = v`: stores into a container or object; they bind no name. */
  stores: Array<{ node: Node; target: Node; value: Node | undefined }>;
  calls: CallSite[];
  loops: Loop[];
  withs: WithBlock[];
  returns: Node[];
  /** Names bound by imports in this scope: local name -> module path (`requests`, `openai.OpenAI`). */
  imports: Map<string, string>;
  exported: boolean;
  entry?: EntryKind;
  routePath?: string;
  /** A function passed to a call (`app.post('/x', async (req, res) => …)`). */
  callbackOf?: CallSite;
  /** `.forEach(item => …)` and friends: the callback is the loop body. */
  loopCallback?: Loop;
}

export interface FileFacts {
  language: LanguageId;
  dialect: Dialect;
  text: string;
  root: Node;
  module: Scope;
  scopes: Scope[];
  calls: CallSite[];
  /** Module-level import statements (and top-level `require`s), in order: where new imports go. */
  importStatements: Node[];
  /** Line -> kinds (or finding codes, or "all") silenced by a `workflow-memory: ignore …` comment. */
  ignoreComments: Map<number, Set<string>>;
  /** Every identifier-like name declared anywhere, to pick fresh names for inserted code. */
  declaredNames: Set<string>;
  hasSyntaxErrors: boolean;
  /** Uses CommonJS `require` and no `import` statement. */
  usesRequire: boolean;
}

/**
 * The node types the rules need, by the name the collector knows them by. One
 * `descendantsOfType()` call returns them in document order, a node before the nodes inside it
 * (cheaper than a query, whose matching engine costs more than this walk).
 */
const COLLECTED_TYPES: Record<Dialect, Record<string, string>> = {
  python: {
    import_statement: 'import',
    import_from_statement: 'import',
    function_definition: 'function',
    for_statement: 'for',
    while_statement: 'while',
    list_comprehension: 'comprehension',
    set_comprehension: 'comprehension',
    dictionary_comprehension: 'comprehension',
    generator_expression: 'comprehension',
    with_statement: 'with',
    call: 'call',
    assignment: 'assign',
    augmented_assignment: 'assign',
    if_statement: 'if',
    return_statement: 'return',
  },
  js: {
    import_statement: 'import',
    function_declaration: 'function',
    generator_function_declaration: 'function',
    function_expression: 'function',
    arrow_function: 'function',
    method_definition: 'function',
    for_in_statement: 'for',
    for_statement: 'cfor',
    while_statement: 'while',
    do_statement: 'while',
    call_expression: 'call',
    new_expression: 'new',
    variable_declarator: 'declare',
    assignment_expression: 'assign',
    augmented_assignment_expression: 'assign',
    return_statement: 'return',
    public_field_definition: 'field',
    field_definition: 'field',
  },
};
/** Comments matter only for `workflow-memory: ignore …`; files without one skip collecting them. */
const COMMENT_TYPE = 'comment';
const TYPE_LISTS: Record<Dialect, { plain: string[]; withComments: string[] }> = {
  python: { plain: Object.keys(COLLECTED_TYPES.python), withComments: [...Object.keys(COLLECTED_TYPES.python), COMMENT_TYPE] },
  js: { plain: Object.keys(COLLECTED_TYPES.js), withComments: [...Object.keys(COLLECTED_TYPES.js), COMMENT_TYPE] },
};

const IGNORE_COMMENT = /workflow-memory:\s*ignore\s+([\w-]+(?:\s*,\s*[\w-]+)*)/i;
/** A cheap test on the whole text: no match means no comment can silence anything. */
const IGNORE_MARKER = /workflow-memory:\s*ignore/i;
/** Python calls that run the function they are handed, with the remaining arguments. */
const THREAD_RUNNERS = /^(asyncio\.to_thread|anyio\.to_thread\.run_sync|trio\.to_thread\.run_sync)$/;
const CALLBACK_LOOP_METHODS = new Set(['forEach', 'map', 'flatMap', 'each']);

interface OpenRange {
  end: number;
  scope?: Scope;
  loop?: Loop;
  with?: WithBlock;
  mainGuard?: boolean;
}

export function collectFacts(tree: Tree, text: string, language: LanguageId): FileFacts {
  const dialect = dialectOf(language);
  const root = tree.rootNode;
  const module: Scope = newScope('module', root, '<module>', false, undefined);
  module.body = root;
  const facts: FileFacts = {
    language,
    dialect,
    text,
    root,
    module,
    scopes: [module],
    calls: [],
    importStatements: [],
    ignoreComments: new Map(),
    declaredNames: new Set(),
    hasSyntaxErrors: root.hasError,
    usesRequire: false,
  };
  const stack: OpenRange[] = [{ end: Number.POSITIVE_INFINITY, scope: module }];
  const withComments = IGNORE_MARKER.test(text);
  const nodes = root.descendantsOfType(withComments ? TYPE_LISTS[dialect].withComments : TYPE_LISTS[dialect].plain);
  const captureNames = COLLECTED_TYPES[dialect];

  const currentScope = (): Scope => {
    for (let i = stack.length - 1; i >= 0; i--) if (stack[i].scope) return stack[i].scope!;
    return module;
  };
  const enclosing = (): { loops: Loop[]; withs: WithBlock[]; inMainGuard: boolean } => {
    const loops: Loop[] = [];
    const withs: WithBlock[] = [];
    let inMainGuard = false;
    for (let i = stack.length - 1; i >= 0 && !stack[i].scope; i--) {
      if (stack[i].loop) loops.unshift(stack[i].loop!);
      if (stack[i].with) withs.unshift(stack[i].with!);
      if (stack[i].mainGuard) inMainGuard = true;
    }
    return { loops, withs, inMainGuard };
  };

  for (const node of nodes) {
    const type = node.type;
    const captureName = type === COMMENT_TYPE ? 'comment' : captureNames[type];
    while (stack.length > 1 && stack[stack.length - 1].end <= node.startIndex) stack.pop();
    const scope = currentScope();
    switch (captureName) {
      case 'import':
        collectImport(facts, scope, node);
        break;
      case 'function': {
        const fn = dialect === 'python' ? pythonFunction(node, scope) : jsFunction(node, scope, text);
        facts.scopes.push(fn);
        for (const param of fn.params) facts.declaredNames.add(param.name);
        if (fn.name && !fn.name.startsWith('<')) facts.declaredNames.add(fn.name);
        stack.push({ end: node.endIndex, scope: fn });
        break;
      }
      case 'for':
      case 'while':
      case 'cfor':
      case 'comprehension': {
        const loop = dialect === 'python' ? pythonLoop(node, captureName, scope) : jsLoop(node, captureName, scope);
        scope.loops.push(loop);
        if (loop.variable) for (const name of patternNames(loop.variable)) facts.declaredNames.add(name);
        stack.push({ end: node.endIndex, loop });
        break;
      }
      case 'with': {
        const block = pythonWith(node);
        scope.withs.push(block);
        for (const item of block.items) {
          if (item.target) for (const name of patternNames(item.target)) facts.declaredNames.add(name);
        }
        stack.push({ end: node.endIndex, with: block });
        break;
      }
      case 'if':
        if (scope === module && isMainGuard(node)) {
          module.entry = 'main';
          stack.push({ end: node.endIndex, mainGuard: true });
        }
        break;
      case 'call':
      case 'new': {
        let callee = node.childForFieldName(captureName === 'new' ? 'constructor' : 'function');
        if (!callee) break;
        let awaitInCallee = false;
        let calleeSource: string | undefined;
        const args = node.childForFieldName('arguments') ?? undefined;
        if (dialect === 'js') {
          if (captureName === 'call' && callee.type === 'await_expression' && callee.namedChildren[0]) {
            callee = callee.namedChildren[0];
            awaitInCallee = true;
          }
        } else {
          // `await asyncio.to_thread(twilio.messages.create, to=…, body=…)` calls the function it is handed
          // (on a worker thread) with the rest of the arguments: it is that call.
          calleeSource = callee.text;
          if (THREAD_RUNNERS.test(calleeSource)) {
            const handed = args?.namedChildren[0];
            if (handed && (handed.type === 'attribute' || handed.type === 'identifier')) {
              callee = handed;
              calleeSource = undefined;
            }
          }
        }
        const call: CallSite = {
          node,
          callee,
          calleeSource,
          awaitInCallee,
          args,
          isNew: captureName === 'new',
          scope,
          ...enclosing(),
        };
        scope.calls.push(call);
        facts.calls.push(call);
        if (dialect === 'js' && !facts.usesRequire && callee.type === 'identifier' && calleeText(call) === 'require') facts.usesRequire = true;
        break;
      }
      case 'assign':
      case 'declare':
        collectAssignment(facts, scope, node, captureName === 'declare');
        break;
      case 'return':
        scope.returns.push(node);
        break;
      case 'field': {
        // `private readonly sms = twilio(…)` in a class body: what `this.sms` is in its methods.
        const property = node.childForFieldName('name') ?? node.childForFieldName('property');
        const value = node.childForFieldName('value') ?? undefined;
        if (property && value && /^(property_identifier|private_property_identifier)$/.test(property.type)) {
          scope.assignments.push({ name: `this.${property.text}`, value, node, scope });
        }
        break;
      }
      case 'comment': {
        const match = IGNORE_COMMENT.exec(node.text);
        if (match) {
          const line = node.startPosition.row;
          const set = facts.ignoreComments.get(line) ?? new Set<string>();
          for (const kind of match[1].split(',')) set.add(kind.trim().toLowerCase());
          facts.ignoreComments.set(line, set);
        }
        break;
      }
    }
  }
  if (facts.importStatements.some((n) => n.type === 'import_statement') && dialect === 'js') facts.usesRequire = false;
  return facts;
}

function newScope(kind: Scope['kind'], node: Node, name: string, isAsync: boolean, parent: Scope | undefined): Scope {
  return {
    kind,
    node,
    name,
    isAsync,
    parent,
    params: [],
    decorators: [],
    assignments: [],
    stores: [],
    calls: [],
    loops: [],
    withs: [],
    returns: [],
    imports: new Map(),
    exported: false,
  };
}

// ---------------------------------------------------------------------------------------------
// Imports

function collectImport(facts: FileFacts, scope: Scope, node: Node): void {
  if (scope.kind === 'module') facts.importStatements.push(node);
  if (node.type === 'import_from_statement') {
    const moduleNode = node.childForFieldName('module_name');
    if (!moduleNode) return;
    const modulePath = moduleNode.text;
    for (const nameNode of node.childrenForFieldName('name')) {
      if (nameNode.type === 'aliased_import') {
        const imported = nameNode.childForFieldName('name')?.text;
        const alias = nameNode.childForFieldName('alias')?.text;
        if (imported && alias) bindImport(facts, scope, alias, `${modulePath}.${imported}`);
      } else {
        bindImport(facts, scope, nameNode.text, `${modulePath}.${nameNode.text}`);
      }
    }
    return;
  }
  if (facts.dialect === 'python') {
    for (const nameNode of node.childrenForFieldName('name')) {
      if (nameNode.type === 'aliased_import') {
        const imported = nameNode.childForFieldName('name')?.text;
        const alias = nameNode.childForFieldName('alias')?.text;
        if (imported && alias) bindImport(facts, scope, alias, imported);
      } else {
        // `import a.b` binds `a`; `a.b.c` then resolves through the attribute chain.
        const first = nameNode.text.split('.')[0];
        bindImport(facts, scope, first, first);
      }
    }
    return;
  }
  // JavaScript / TypeScript `import … from 'module'`.
  const source = stringValue(node.childForFieldName('source'));
  if (source === undefined) return;
  const clause = node.namedChildren.find((child) => child.type === 'import_clause');
  if (!clause) return;
  for (const part of clause.namedChildren) {
    if (part.type === 'identifier') bindImport(facts, scope, part.text, source);
    else if (part.type === 'namespace_import') {
      const local = part.namedChildren.find((c) => c.type === 'identifier');
      if (local) bindImport(facts, scope, local.text, source);
    } else if (part.type === 'named_imports') {
      for (const specifier of part.namedChildren) {
        if (specifier.type !== 'import_specifier') continue;
        const imported = specifier.childForFieldName('name')?.text;
        const alias = specifier.childForFieldName('alias')?.text;
        if (imported) bindImport(facts, scope, alias ?? imported, imported === 'default' ? source : `${source}.${imported}`);
      }
    }
  }
}

function bindImport(facts: FileFacts, scope: Scope, local: string, path: string): void {
  scope.imports.set(local, path);
  facts.declaredNames.add(local);
}

/** The value of a plain string literal node, or undefined for anything else. */
export function stringValue(node: Node | null | undefined): string | undefined {
  if (!node || node.type !== 'string') return undefined;
  const text = node.text;
  const match = /^[rRbBuU]?(['"]{1,3})([\s\S]*)\1$/.exec(text);
  if (match) return match[2];
  return undefined;
}

// ---------------------------------------------------------------------------------------------
// Functions

function pythonFunction(node: Node, parent: Scope): Scope {
  const name = node.childForFieldName('name')?.text ?? '<anonymous>';
  const isAsync = node.child(0)?.type === 'async';
  const scope = newScope('function', node, name, isAsync, parent);
  scope.body = node.childForFieldName('body') ?? undefined;
  const params = node.childForFieldName('parameters');
  for (const param of params?.namedChildren ?? []) {
    let nameNode: Node | null = null;
    let typeNode: Node | null = null;
    switch (param.type) {
      case 'identifier':
        nameNode = param;
        break;
      case 'typed_parameter':
        nameNode = param.namedChildren.find((c) => c.type === 'identifier') ?? null;
        typeNode = param.childForFieldName('type');
        break;
      case 'default_parameter':
      case 'typed_default_parameter':
        nameNode = param.childForFieldName('name');
        typeNode = param.childForFieldName('type');
        break;
    }
    if (nameNode) scope.params.push({ name: nameNode.text, node: param, typeText: typeNode?.text });
  }
  const decorated = node.parent?.type === 'decorated_definition' ? node.parent : undefined;
  if (decorated) {
    for (const child of decorated.namedChildren) {
      if (child.type === 'decorator') scope.decorators.push(child.text.replace(/^@\s*/, ''));
    }
  }
  return scope;
}

function jsFunction(node: Node, parent: Scope, sourceText: string): Scope {
  const nameNode = node.childForFieldName('name');
  const parameters = node.childForFieldName('parameters');
  const single = node.childForFieldName('parameter');
  // `async` is a keyword before the name or the parameters (`static async run()`): read that text
  // rather than build a node for every child of the function.
  const headEnd = (nameNode ?? parameters ?? single)?.startIndex ?? node.startIndex;
  const isAsync = /\basync\b/.test(sourceText.slice(node.startIndex, headEnd));
  let name = nameNode?.text;
  const container = node.parent;
  // Read once: every `.type` crosses into wasm.
  const containerType = container?.type;
  let exported = containerType === 'export_statement';
  if (!name && container) {
    if (containerType === 'variable_declarator') {
      name = container.childForFieldName('name')?.text;
      exported = container.parent?.parent?.type === 'export_statement';
    } else if (containerType === 'pair') {
      name = container.childForFieldName('key')?.text;
    } else if (containerType === 'assignment_expression') {
      const left = container.childForFieldName('left')?.text ?? '';
      name = left.replace(/^(module\.)?exports\.?/, '') || 'default';
    } else if (containerType === 'export_statement') {
      name = 'default';
    }
  }
  if (container && containerType === 'assignment_expression') {
    // exports.handler = async function handler(event) { … }
    const left = container.childForFieldName('left')?.text ?? '';
    if (/^(module\.)?exports\b/.test(left)) {
      exported = true;
      name = left.replace(/^(module\.)?exports\.?/, '') || name || 'default';
    }
  }
  const scope = newScope('function', node, name ?? '<anonymous>', isAsync, parent);
  scope.exported = exported;
  scope.body = node.childForFieldName('body') ?? undefined;
  if (single) scope.params.push({ name: single.text, node: single });
  for (const param of parameters?.namedChildren ?? []) {
    if (param.type === 'identifier') scope.params.push({ name: param.text, node: param });
    else if (param.type === 'required_parameter' || param.type === 'optional_parameter') {
      const pattern = param.childForFieldName('pattern');
      const type = param.childForFieldName('type');
      if (pattern?.type === 'identifier') {
        scope.params.push({ name: pattern.text, node: param, typeText: type?.text.replace(/^:\s*/, '') });
      } else if (pattern) {
        for (const n of patternNames(pattern)) scope.params.push({ name: n, node: param });
      }
    } else if (param.type === 'assignment_pattern') {
      const left = param.childForFieldName('left');
      if (left?.type === 'identifier') scope.params.push({ name: left.text, node: param });
    } else {
      for (const n of patternNames(param)) scope.params.push({ name: n, node: param });
    }
  }
  // A function passed as an argument: a route/bot/cron callback, or a per-item loop body.
  const call = containerType === 'arguments' ? container!.parent : null;
  const callType = call?.type;
  if (container && call && (callType === 'call_expression' || callType === 'new_expression')) {
    const callee = call.childForFieldName('function');
    // The call was captured just before the function inside it: search from the latest.
    const owner = findLast(parent.calls, (c) => c.node.equals(call));
    if (owner) scope.callbackOf = owner;
    if (callee?.type === 'member_expression') {
      const method = callee.childForFieldName('property')?.text ?? '';
      if (CALLBACK_LOOP_METHODS.has(method) && container.namedChildren[0]?.equals(node)) {
        const first = scope.params[0];
        scope.loopCallback = {
          node,
          kind: 'callback',
          variable: first ? first.node.type === 'identifier' ? first.node : (first.node.childForFieldName('pattern') ?? first.node) : undefined,
          collection: callee.childForFieldName('object') ?? undefined,
          body: scope.body,
          polling: false,
          scope,
        };
      }
    }
  }
  return scope;
}

function findLast<T>(items: readonly T[], test: (item: T) => boolean): T | undefined {
  for (let index = items.length - 1; index >= 0; index--) if (test(items[index])) return items[index];
  return undefined;
}

// ---------------------------------------------------------------------------------------------
// Loops and with blocks

function pythonLoop(node: Node, kind: string, scope: Scope): Loop {
  if (kind === 'comprehension') {
    const clause = node.namedChildren.find((c) => c.type === 'for_in_clause');
    return {
      node,
      kind: 'comprehension',
      variable: clause?.childForFieldName('left') ?? undefined,
      collection: clause?.childForFieldName('right') ?? undefined,
      body: node.childForFieldName('body') ?? undefined,
      polling: false,
      scope,
    };
  }
  if (kind === 'while') {
    const condition = node.childForFieldName('condition');
    return {
      node,
      kind: 'while',
      body: node.childForFieldName('body') ?? undefined,
      polling: condition?.type === 'true' || condition?.text === '1',
      scope,
    };
  }
  return {
    node,
    kind: 'for',
    variable: node.childForFieldName('left') ?? undefined,
    collection: node.childForFieldName('right') ?? undefined,
    body: node.childForFieldName('body') ?? undefined,
    polling: false,
    scope,
  };
}

function jsLoop(node: Node, kind: string, scope: Scope): Loop {
  const body = node.childForFieldName('body') ?? undefined;
  if (kind === 'for') {
    return {
      node,
      kind: 'for',
      variable: node.childForFieldName('left') ?? undefined,
      collection: node.childForFieldName('right') ?? undefined,
      body,
      polling: false,
      scope,
    };
  }
  const condition = node.childForFieldName('condition');
  const conditionText = condition?.text.replace(/[()\s;]/g, '') ?? '';
  return {
    node,
    kind: 'while',
    body,
    polling: kind !== 'cfor' ? conditionText === 'true' || conditionText === '1' : conditionText === '',
    scope,
  };
}

function pythonWith(node: Node): WithBlock {
  const items: WithItem[] = [];
  const clause = node.namedChildren.find((c) => c.type === 'with_clause');
  for (const item of clause?.namedChildren ?? []) {
    if (item.type !== 'with_item') continue;
    const value = item.childForFieldName('value');
    if (!value) continue;
    if (value.type === 'as_pattern') {
      const expression = value.namedChildren[0];
      const targetWrapper = value.childForFieldName('alias');
      const target = targetWrapper?.namedChildren[0] ?? targetWrapper ?? undefined;
      if (expression) items.push({ value: expression, target: target ?? undefined });
    } else {
      items.push({ value });
    }
  }
  return {
    node,
    items,
    body: node.childForFieldName('body') ?? undefined,
    isAsync: node.child(0)?.type === 'async',
  };
}

function isMainGuard(node: Node): boolean {
  const condition = node.childForFieldName('condition');
  return !!condition && /^__name__\s*==\s*['"]__main__['"]$|^['"]__main__['"]\s*==\s*__name__$/.test(condition.text);
}

// ---------------------------------------------------------------------------------------------
// Assignments

function collectAssignment(facts: FileFacts, scope: Scope, node: Node, isDeclarator: boolean): void {
  const target = node.childForFieldName(isDeclarator ? 'name' : 'left');
  const value = node.childForFieldName(isDeclarator ? 'value' : 'right') ?? undefined;
  if (!target) return;
  if (facts.dialect === 'js' && value && scope.kind === 'module' && isRequireCall(value)) {
    // `const x = require('m')`: the declaration statement is where further requires go.
    if (node.parent) facts.importStatements.push(node.parent);
  }
  const targetType = target.type;
  if (targetType === 'identifier' || targetType === 'attribute' || targetType === 'member_expression') {
    const name = target.text;
    scope.assignments.push({ name, value, node, scope });
    if (targetType === 'identifier') facts.declaredNames.add(name);
    return;
  }
  if (targetType === 'object_pattern' && value) {
    // `const { a, b: c } = expr` -> a = expr.a, c = expr.b
    for (const part of target.namedChildren) {
      if (part.type === 'shorthand_property_identifier_pattern') {
        scope.assignments.push({ name: part.text, value, node, scope });
        facts.declaredNames.add(part.text);
      } else if (part.type === 'pair_pattern') {
        const local = part.childForFieldName('value');
        if (local?.type === 'identifier') {
          scope.assignments.push({ name: local.text, value, node, scope });
          facts.declaredNames.add(local.text);
        }
      } else if (part.type === 'object_assignment_pattern') {
        // `{ locale = 'en' }`: bound like the shorthand, with a default.
        const local = part.childForFieldName('left');
        if (local?.type === 'shorthand_property_identifier_pattern' || local?.type === 'identifier') {
          scope.assignments.push({ name: local.text, value, node, scope });
          facts.declaredNames.add(local.text);
        }
      }
    }
    return;
  }
  if (BINDS_NOTHING.has(target.type)) {
    scope.stores.push({ node, target, value });
    return;
  }
  // `url, params = f"{API}/items", {"since": since}`: each name gets its own value.
  if (value && /^(pattern_list|tuple_pattern)$/.test(target.type) && /^(expression_list|tuple)$/.test(value.type)) {
    const targets = target.namedChildren;
    const values = value.namedChildren;
    if (targets.length === values.length && targets.every((t) => t.type === 'identifier')) {
      targets.forEach((t, index) => {
        scope.assignments.push({ name: t.text, value: values[index], node, scope });
        facts.declaredNames.add(t.text);
      });
      return;
    }
  }
  for (const name of patternNames(target)) {
    scope.assignments.push({ name, value: undefined, node, scope });
    facts.declaredNames.add(name);
  }
}

function isRequireCall(node: Node): boolean {
  let current: Node | null = node;
  while (current && (current.type === 'member_expression' || current.type === 'await_expression')) {
    current = current.type === 'member_expression' ? current.childForFieldName('object') : current.namedChildren[0];
  }
  return current?.type === 'call_expression' && current.childForFieldName('function')?.text === 'require';
}

const BINDS_NOTHING = new Set(['subscript', 'subscript_expression', 'attribute', 'member_expression']);

/** Identifiers bound by a target pattern (`a`, `(a, b)`, `{ a, b: c }`, `[x, y]`). */
export function patternNames(node: Node): string[] {
  if (node.type === 'identifier' || node.type === 'shorthand_property_identifier_pattern') return [node.text];
  // `x["k"] = …`, `obj.attr = …`, `a[i] = …` store into something; they bind no name.
  if (BINDS_NOTHING.has(node.type)) return [];
  const names: string[] = [];
  for (const child of node.namedChildren) {
    if (child.type === 'pair_pattern') {
      const value = child.childForFieldName('value');
      if (value) names.push(...patternNames(value));
    } else if (child.type !== 'property_identifier' && child.type !== 'type_annotation') {
      names.push(...patternNames(child));
    }
  }
  return names;
}
