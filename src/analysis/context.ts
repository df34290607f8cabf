// Everything the rules share about one file: facts, name resolution, the Redis operations in it,
// which functions are workflow entry points, and the file's style (indentation, quotes).

import type { Node } from 'web-tree-sitter';
import type { CallSite, EntryKind, FileFacts, Loop, Scope } from './facts';
import { calleeText, isAwaited, stringValue } from './facts';
import {
  commandName,
  entryFromDecorator,
  entryFromRegistration,
  httpCall,
  isCliArgumentsPath,
  isMessageSend,
  KEY_COMMANDS,
  llmCall,
  redisFlavorOf,
  type RedisFlavor,
} from './libraries';
import { Resolver } from './resolve';

export interface RedisOp {
  call: CallSite;
  /** Lower-cased command (`sismember`, `hset`). */
  command: string;
  /** The method as written (`sIsMember`). */
  method: string;
  receiver: Node;
  flavor: RedisFlavor;
  positional: Node[];
  keywords: Map<string, Node>;
  key?: Node;
  /** ex=/px= (redis-py), 'EX', n (ioredis), { EX: n } (node-redis). */
  hasExpiryOption: boolean;
  awaited: boolean;
}

const REDIS_METHODS = new Set([...KEY_COMMANDS, 'expire', 'pexpire', 'expireat', 'pexpireat', 'setex', 'psetex', 'getex', 'exec', 'execute', 'publish']);

const PY_BLOCKS = new Set(['block', 'module']);
const JS_BLOCKS = new Set(['statement_block', 'program', 'switch_case', 'switch_default', 'else_clause']);

export class FileContext {
  readonly resolver: Resolver;
  readonly lines: string[];
  readonly redisOps: RedisOp[] = [];
  readonly indentUnit: string;
  readonly quote: string;
  readonly isCodeWords: boolean;
  /** Redis library the file already uses (decides the flavour of a client we create). */
  readonly fileFlavor: RedisFlavor | undefined;
  /** Scopes that run as part of a workflow (entry points and what they call, transitively). */
  readonly reachable = new Set<Scope>();
  /** Local functions called inside a loop: function -> the loops around the call (outermost first) and the call. */
  readonly calledInLoop = new Map<Scope, { call: CallSite; loops: Loop[] }>();
  readonly isWorkflow: boolean;
  /** Where new imports go (computed once, by codegen). */
  importAnchor: { row: number; atEnd?: boolean; blankAfter?: boolean } | undefined;
  private readonly usedNames: Set<string>;
  private readonly functionsByName = new Map<string, Scope[]>();
  private spans: { starts: number[]; ends: number[]; scopes: Scope[] } | undefined;
  private readonly spanIndex = new Map<Scope, number>();
  private opsByScope: Map<Scope, RedisOp[]> | undefined;
  /** statementOf() answers by node id. */
  private readonly statements = new Map<number, Node | undefined>();

  constructor(readonly facts: FileFacts) {
    this.resolver = new Resolver(facts);
    this.lines = facts.text.split('\n');
    this.usedNames = new Set(facts.declaredNames);
    this.indentUnit = detectIndentUnit(this.lines, facts.dialect === 'python' ? '    ' : '  ', facts.dialect);
    this.quote = detectQuote(facts.text, facts.dialect);
    this.isCodeWords = [...facts.module.imports.values()].some((path) => path.startsWith('codewords_client'));
    for (const scope of facts.scopes) {
      if (scope.kind !== 'function') continue;
      const list = this.functionsByName.get(scope.name) ?? [];
      list.push(scope);
      this.functionsByName.set(scope.name, list);
    }
    this.collectRedisOps();
    this.fileFlavor = this.detectFileFlavor();
    this.isWorkflow = this.findEntries();
  }

  // -------------------------------------------------------------------------------------------
  // Text and style

  /**
   * The environment variable a client we add reads its URL from: the file's own Redis URL variable
   * (`UPSTASH_REDIS_URL`, or a `CELERY_BROKER_URL` pointing at Redis) when it reads one, else `REDIS_URL`.
   */
  get redisUrlVariable(): string {
    return (this.urlVariable ??= redisUrlVariableOf(this.facts.text));
  }
  private urlVariable: string | undefined;

  lineText(row: number): string {
    return this.lines[row] ?? '';
  }

  indentOf(node: Node): string {
    return /^[ \t]*/.exec(this.lineText(node.startPosition.row))![0];
  }

  /** The statement (a direct child of a block) that contains `node`. */
  statementOf(node: Node): Node | undefined {
    // Rules ask for the same sites' statements again and again; each step up crosses into wasm twice.
    if (this.statements.has(node.id)) return this.statements.get(node.id);
    const blocks = this.facts.dialect === 'python' ? PY_BLOCKS : JS_BLOCKS;
    let current = node;
    let parent = current.parent;
    while (parent && !blocks.has(parent.type)) {
      current = parent;
      parent = current.parent;
    }
    const statement = parent ? current : undefined;
    this.statements.set(node.id, statement);
    return statement;
  }

  /** The statement is alone on its lines: code can go on the line before and after it. */
  standsAlone(statement: Node): boolean {
    const before = this.lineText(statement.startPosition.row).slice(0, statement.startPosition.column);
    if (before.trim() !== '') return false;
    const after = this.lineText(statement.endPosition.row).slice(statement.endPosition.column).trim();
    return after === '' || after.startsWith('#') || after.startsWith('//') || after === ';';
  }

  /** A name not used anywhere in the file yet (and reserved from now on for this analysis). */
  freshName(base: string): string {
    let name = base;
    for (let i = 2; this.usedNames.has(name); i++) name = `${base}${i}`;
    return name;
  }

  isNameUsed(name: string): boolean {
    return this.usedNames.has(name);
  }

  functionsNamed(name: string): Scope[] {
    return this.functionsByName.get(name) ?? [];
  }

  /** The local function a call invokes (`notify(user)`, `self.notify(user)`, `this.notify(u)`), if any. */
  localCallee(call: CallSite): Scope | undefined {
    const text = calleeText(call).replace(/^(self|this)\./, '');
    if (!/^[A-Za-z_$][\w$]*$/.test(text)) return undefined;
    const candidates = this.functionsNamed(text);
    return candidates.length === 1 ? candidates[0] : undefined;
  }

  /**
   * The method of a local class a call invokes on a fresh instance or on a variable made from one:
   * `Reminders().run()`, `new Sync().start()`, `job = Reminders(); job.run()`.
   */
  localMethodCallee(call: CallSite): Scope | undefined {
    return this.localMethod(calleeText(call).replace(/^new\s+/, ''), call.scope, call.node.startIndex);
  }

  /** The method of a local class that `Reminders().run` or `job.run` (a variable made from one) names, seen from `scope` at offset `at`. */
  localMethod(reference: string, scope: Scope, at: number): Scope | undefined {
    const match = /^([A-Za-z_$][\w$]*)(\([^()]*\))?\.([A-Za-z_$][\w$]*)$/.exec(reference);
    if (!match) return undefined;
    const [, object, constructed, method] = match;
    // Most `x.method()` calls name no local method (`requests.get`): settle those before any lookup.
    const named = this.functionsNamed(method);
    if (named.length === 0) return undefined;
    let className = constructed ? object : undefined;
    if (!className) {
      // The instance may be made in an enclosing function (`const responder = new Responder(); new Worker(q, (job) => responder.run(job))`).
      let made: Node | undefined;
      for (let current: Scope | undefined = scope; current && !made; current = current.parent) {
        const { assignments } = current;
        for (let i = assignments.length - 1; i >= 0; i--) {
          const a = assignments[i];
          if (a.name === object && a.node.startIndex < at) {
            made = a.value;
            break;
          }
        }
      }
      // `ClosureWatcher(sys.argv[1] if len(sys.argv) > 1 else "families.csv")`: the arguments may hold calls too.
      className = made && /^(call|new_expression)$/.test(made.type) ? /^(new\s+)?([A-Za-z_$][\w$]*)\(/.exec(made.text)?.[2] : undefined;
      // A parameter typed with the class (`memory: SurchargeMemory`).
      if (!className && !made) {
        for (let current: Scope | undefined = scope; current && !className; current = current.parent) {
          className = /^[A-Za-z_$][\w$]*$/.exec(current.params.find((p) => p.name === object)?.typeText?.trim() ?? '')?.[0];
        }
      }
    }
    if (!className) return undefined;
    const methods = named.filter((fn) => classNameOf(fn.node) === className);
    return methods.length === 1 ? methods[0] : undefined;
  }

  /** The calls elsewhere in the file that run `scope` (`notify(…)`, `self.notify(…)`, `Job().run()`). */
  callersOf(scope: Scope): CallSite[] {
    if (!this.callers) {
      this.callers = new Map();
      for (const call of this.facts.calls) {
        const callee = this.localCallee(call) ?? this.localMethodCallee(call);
        if (!callee || callee === call.scope) continue;
        const list = this.callers.get(callee);
        if (list) list.push(call);
        else this.callers.set(callee, [call]);
      }
    }
    return this.callers.get(scope) ?? [];
  }
  private callers: Map<Scope, CallSite[]> | undefined;

  /** The innermost function scope of a node (module when none). */
  scopeAt(node: Node): Scope {
    const { starts, ends, scopes } = this.functionSpans();
    const start = node.startIndex;
    const end = node.endIndex;
    // The last function starting at or before the node: the innermost one containing it is that
    // function or one of its enclosing functions (ranges nest), found without scanning the file.
    let low = 0;
    let high = starts.length - 1;
    let last = -1;
    while (low <= high) {
      const mid = (low + high) >> 1;
      if (starts[mid] <= start) {
        last = mid;
        low = mid + 1;
      } else high = mid - 1;
    }
    for (let scope: Scope | undefined = last >= 0 ? scopes[last] : undefined; scope && scope.kind === 'function'; scope = scope.parent) {
      const index = this.spanIndex.get(scope)!;
      if (starts[index] <= start && end <= ends[index]) return scope;
    }
    return this.facts.module;
  }

  /** Function scopes ordered by start, with their offsets as plain numbers (node getters cross into wasm). */
  private functionSpans(): { starts: number[]; ends: number[]; scopes: Scope[] } {
    if (!this.spans) {
      const scopes = this.facts.scopes.filter((scope) => scope.kind === 'function');
      const starts = scopes.map((scope) => scope.node.startIndex);
      const order = scopes.map((_, index) => index).sort((a, b) => starts[a] - starts[b] || a - b);
      const sorted = order.map((index) => scopes[index]);
      this.spans = { starts: order.map((index) => starts[index]), ends: sorted.map((scope) => scope.node.endIndex), scopes: sorted };
      sorted.forEach((scope, index) => this.spanIndex.set(scope, index));
    }
    return this.spans;
  }

  // -------------------------------------------------------------------------------------------
  // Redis operations

  private collectRedisOps(): void {
    const fallbackFlavor = this.guessFlavorFromImports();
    for (const call of this.facts.calls) {
      const callee = call.callee;
      // Cheap text test first (the callee's text is read once per call anyway): most calls are not Redis commands at all.
      const source = calleeText(call);
      if (!REDIS_METHODS.has(source.slice(source.lastIndexOf('.') + 1).toLowerCase())) continue;
      if (callee.type !== 'attribute' && callee.type !== 'member_expression') continue;
      const receiver = callee.childForFieldName('object');
      const methodNode = callee.childForFieldName(callee.type === 'attribute' ? 'attribute' : 'property');
      if (!receiver || !methodNode) continue;
      let flavor = redisFlavorOf(this.resolver.qualify(receiver, call.scope));
      if (!flavor && fallbackFlavor && /redis/i.test(receiver.text) && !/\(/.test(receiver.text.replace(/\.(pipeline|multi)\(\)$/, ''))) {
        flavor = fallbackFlavor;
      }
      if (!flavor) continue;
      const command = commandName(methodNode.text);
      const { positional, keywords } = splitArguments(call.args);
      const op: RedisOp = {
        call,
        command,
        method: methodNode.text,
        receiver,
        flavor,
        positional,
        keywords,
        key: positional[0] ?? keywords.get('name') ?? keywords.get('key'),
        hasExpiryOption: hasExpiryOption(flavor, positional, keywords),
        awaited: isAwaited(call),
      };
      this.redisOps.push(op);
    }
  }

  private guessFlavorFromImports(): RedisFlavor | undefined {
    const paths = [...this.facts.module.imports.values()];
    if (paths.some((p) => p.startsWith('codewords_client'))) return 'codewords';
    if (this.facts.dialect === 'python') {
      if (paths.some((p) => /^(redis\.asyncio|aioredis)/.test(p))) return 'redis-py-async';
      if (paths.some((p) => p === 'redis' || p.startsWith('redis.'))) return 'redis-py';
      return undefined;
    }
    if (paths.some((p) => p.startsWith('ioredis'))) return 'ioredis';
    if (paths.some((p) => p === 'redis' || p.startsWith('redis.') || p.startsWith('@redis/'))) return 'node-redis';
    for (const scope of [this.facts.module]) {
      for (const a of scope.assignments) {
        const q = a.value ? this.resolver.qualify(a.value, scope) : undefined;
        if (q?.startsWith('ioredis')) return 'ioredis';
        if (q?.startsWith('redis')) return 'node-redis';
      }
    }
    return undefined;
  }

  private detectFileFlavor(): RedisFlavor | undefined {
    if (this.isCodeWords) return 'codewords';
    return this.redisOps[0]?.flavor ?? this.guessFlavorFromImports();
  }

  opsIn(scope: Scope): RedisOp[] {
    if (!this.opsByScope) {
      this.opsByScope = new Map();
      for (const op of this.redisOps) {
        const list = this.opsByScope.get(op.call.scope);
        if (list) list.push(op);
        else this.opsByScope.set(op.call.scope, [op]);
      }
    }
    return this.opsByScope.get(scope) ?? [];
  }

  // -------------------------------------------------------------------------------------------
  // Workflow entry points

  private findEntries(): boolean {
    const { facts } = this;
    // A `'use client'` module (React Server Components) runs in the visitor's browser: nothing in it runs between visits.
    if (facts.dialect === 'js' && startsWithDirective(facts.root, 'use client')) return false;
    let cliArguments = false;
    let sendsMessages = false;
    let handlerEntries = 0;
    const mark = (scope: Scope | undefined, kind: EntryKind, routePath?: string): void => {
      if (!scope) return;
      if (kind !== 'main' && kind !== 'script') handlerEntries++;
      if (!scope.entry || scope.entry === 'main') scope.entry = kind;
      if (routePath && !scope.routePath) scope.routePath = routePath;
    };
    const moduleUsesServer = facts.dialect === 'js' && startsWithDirective(facts.root, 'use server');
    const nextApp = facts.dialect === 'js' && [...facts.module.imports.values()].some((path) => /^next\//.test(path));
    for (const scope of facts.scopes) {
      if (scope.kind !== 'function') continue;
      for (const decorator of scope.decorators) {
        const kind = entryFromDecorator(decorator);
        if (kind) mark(scope, kind, kind === 'route' ? firstStringIn(decorator) : undefined);
      }
      if (scope.callbackOf) {
        const call = scope.callbackOf;
        const kind = entryFromRegistration(calleeText(call), this.resolver.qualify(call.callee, call.scope));
        if (kind) {
          const first = call.args?.namedChildren[0];
          mark(scope, kind, kind === 'route' ? stringValue(first) : undefined);
        }
      }
      const topLevel = scope.parent?.kind === 'module' || (scope.parent?.kind === 'function' && scope.parent.name === 'default');
      if (topLevel && (scope.exported || facts.dialect === 'python') && /^(handler|lambda_handler|GET|POST|PUT|PATCH|DELETE|scheduled)$/.test(scope.name)) {
        mark(scope, 'handler');
      }
      // Remix / React Router route modules: the exported `action` and `loader` run on the server per request.
      if (topLevel && scope.exported && facts.dialect === 'js' && /^(action|loader)$/.test(scope.name)) mark(scope, 'route');
      // Next.js: a server action (`'use server'`) and an async page of the App Router run per request.
      if (facts.dialect === 'js' && (isServerAction(scope, moduleUsesServer) || (nextApp && topLevel && scope.exported && scope.isAsync && (scope.name === 'default' || isDefaultExport(scope.node))))) mark(scope, 'route');
      if (scope.name === 'scheduled' || scope.name === 'queue') {
        // Cloudflare Workers: export default { async scheduled(event, env) { … } }
        if (scope.node.type === 'method_definition') mark(scope, 'schedule');
      }
    }
    for (const call of facts.calls) {
      const path = this.resolver.qualify(call.callee, call.scope);
      const source = calleeText(call);
      if (isCliArgumentsPath(path) || /^(sys\.argv|process\.argv)/.test(source)) cliArguments = true;
      if (isMessageSend(path)) sendsMessages = true;
      // schedule.every(5).minutes.do(job), scheduler.add_job(job, …), asyncio.run(main()), main()
      // Named functions handed to a scheduler or a router: cron.schedule('* * * * *', checkJobs), setInterval(poll, ms).
      // RQ and rq-scheduler too: `queue.enqueue(job)`, `Scheduler(…).cron("30 6 * * 1-5", func=job)`.
      const registered = /\.do$|\.add_job$|\.cron$|\.enqueue(_at|_in|_call)?$|^(schedule|cron|aiocron)\b|^(setInterval|setTimeout)$/.test(source)
        ? 'schedule'
        : entryFromRegistration(source, path);
      if (registered) {
        for (const arg of call.args?.namedChildren ?? []) {
          const fnArg = arg.type === 'keyword_argument' && /^(func|f|job|callback)$/.test(arg.childForFieldName('name')?.text ?? '') ? arg.childForFieldName('value') : arg;
          if (fnArg?.type === 'identifier') for (const fn of this.functionsNamed(fnArg.text)) mark(fn, registered);
          // A bound method: `scheduler.add_job(WinsAnnouncer().run, "interval", …)`.
          else if (fnArg && /^(attribute|member_expression)$/.test(fnArg.type)) mark(this.localMethod(fnArg.text, call.scope, call.node.startIndex), registered);
        }
      }
      if (call.scope.kind === 'module' || call.inMainGuard) {
        // Called when the file runs: `main()`, `run().catch(…)`, `asyncio.run(main())`,
        // `ShiftReminders().run()`.
        mark(this.localCallee(call) ?? this.localMethodCallee(call), 'main');
        // The first argument only when needed: reading arguments builds a node per argument.
        const firstArg = /^(asyncio\.run|anyio\.run|trio\.run)$/.test(source) ? call.args?.namedChildren[0] : undefined;
        if (firstArg) {
          const inner = firstArg.type === 'call' ? firstArg.childForFieldName('function') : firstArg;
          if (inner) for (const fn of this.functionsNamed(inner.text)) mark(fn, 'main');
        }
      }
    }
    // Attribute access (`sys.argv[1]`, `process.argv.slice(2)`) is not a call: look at the text once.
    if (/\bsys\.argv\b|\bprocess\.argv\b|\bargparse\b|\bcommander\b|\byargs\b/.test(facts.text)) cliArguments = true;
    for (const scope of facts.scopes) {
      for (const loop of scope.loops) {
        if (loop.polling && (scope.kind === 'module' || scope.entry)) {
          handlerEntries++;
          if (!scope.entry) mark(scope, 'schedule');
        }
      }
    }
    const entries = facts.scopes.filter((s) => s.entry);
    // A one-shot CLI transform: reads its input from the command line and is not scheduled or served.
    // (One that emails or messages people is a notifier run by a timer, its arguments only its configuration.)
    if (cliArguments && handlerEntries === 0 && !sendsMessages) return false;
    const moduleWorks = this.moduleDoesWork();
    if (entries.length === 0 && !moduleWorks) return false;
    // A script whose top level does the work (top-level `await fetch(…)`) runs it, whatever helpers it also calls (`await sleep(250)`).
    if (entries.length === 0 || (moduleWorks && entries.every((s) => s.entry === 'main'))) {
      mark(facts.module, 'script');
      entries.push(facts.module);
    }
    // Everything an entry point calls runs as part of the workflow too.
    const queue = facts.scopes.filter((s) => s.entry);
    for (const scope of queue) this.reachable.add(scope);
    const nested = new Map<Scope, Scope[]>();
    for (const inner of facts.scopes) {
      if (!inner.parent) continue;
      const list = nested.get(inner.parent);
      if (list) list.push(inner);
      else nested.set(inner.parent, [inner]);
    }
    for (let next = 0; next < queue.length; next++) {
      const scope = queue[next];
      for (const inner of nested.get(scope) ?? []) {
        // Callbacks and nested functions defined inside an entry function run with it; at the top
        // level of a script, the callbacks it passes (`items.map((item) => notify(item))`) do.
        if (scope.kind !== 'function' && !inner.callbackOf) continue;
        if (!this.reachable.has(inner)) {
          this.reachable.add(inner);
          queue.push(inner);
        }
      }
      for (const call of scope.calls) {
        const callee = this.localCallee(call) ?? this.localMethodCallee(call);
        if (!callee) continue;
        if (call.loops.length > 0 && !this.calledInLoop.has(callee)) this.calledInLoop.set(callee, { call, loops: call.loops });
        if (!this.reachable.has(callee)) {
          this.reachable.add(callee);
          queue.push(callee);
        }
      }
    }
    // A web service that only computes (no network, message, model or Redis call anywhere it runs)
    // keeps nothing between runs worth remembering: it is not a workflow.
    if (entries.length > 0 && entries.every((s) => s.entry === 'route' || s.entry === 'main') && !this.reachesOutside()) return false;
    return true;
  }

  /** Some code that runs calls out of the process: HTTP, a message, a model, Redis, or an awaited library call. */
  private reachesOutside(): boolean {
    if (this.redisOps.length > 0) return true;
    const modules = this.importedModules();
    for (const scope of this.reachable) {
      for (const call of scope.calls) {
        if (this.localCallee(call)) continue;
        if (isAwaited(call)) return true;
        const path = this.resolver.qualify(call.callee, call.scope);
        if (!path) continue;
        if (httpCall(path) || isMessageSend(path) || llmCall(path)) return true;
        const module = modules.find((m) => path === m || path.startsWith(`${m}.`) || path.startsWith(`${m}(`));
        if (module && !IN_PROCESS_MODULES.test(module)) return true;
      }
    }
    return false;
  }

  /** Modules the file imports (`requests`, `@slack/web-api`, `discord.js`), longest first. */
  private importedModules(): string[] {
    const modules = new Set<string>();
    for (const path of this.facts.module.imports.values()) {
      if (this.facts.dialect === 'python') modules.add(path.split('.')[0]);
      else {
        modules.add(path);
        const lastDot = path.lastIndexOf('.');
        if (lastDot > 0) modules.add(path.slice(0, lastDot));
      }
    }
    return [...modules].sort((a, b) => b.length - a.length);
  }

  /** A script that does its work at module level (network calls outside any function). */
  private moduleDoesWork(): boolean {
    return this.facts.module.calls.some((call) => {
      if (call.isNew) return false;
      const path = this.resolver.qualify(call.callee, call.scope);
      return !!httpCall(path) || isMessageSend(path) || !!llmCall(path);
    });
  }
}

/** Frameworks and standard modules that do their work inside the process. */
const IN_PROCESS_MODULES = /^(fastapi|starlette|flask|django|pydantic|functools|collections|time|datetime|math|json|re|typing|dataclasses|enum|itertools|os|sys|logging|hashlib|uuid|random|decimal|statistics|string|textwrap|pathlib|csv|express|fastify|hono|koa|zod|path|util|crypto|events|node:[\w/]+)$/;

/** `'use server'` as the first statement of a file or function body. */
function startsWithDirective(block: Node | undefined, directive: string): boolean {
  // Sibling steps, not `namedChildren`: that builds a node for every statement of the block.
  let first = block?.firstNamedChild ?? null;
  while (first?.type === 'comment') first = first.nextNamedSibling;
  return first?.type === 'expression_statement' && /^(['"])(.*)\1;?$/.exec(first.text)?.[2] === directive;
}

/** A Next.js server action: a function marked `'use server'`, or an exported function of a `'use server'` file. */
function isServerAction(scope: Scope, moduleUsesServer: boolean): boolean {
  if (moduleUsesServer && scope.exported) return true;
  return startsWithDirective(scope.body, 'use server');
}

const CLASS_TYPES = new Set(['class_definition', 'class_declaration', 'class']);

/** The name of the class a method is defined in, if it is one. */
function classNameOf(fn: Node): string | undefined {
  // def run(self) -> block -> class_definition / method_definition -> class_body -> class_declaration
  const container = fn.parent?.type === 'decorated_definition' ? fn.parent.parent?.parent : fn.parent?.parent;
  return container && CLASS_TYPES.has(container.type) ? container.childForFieldName('name')?.text : undefined;
}

function firstStringIn(text: string): string | undefined {
  return /(['"])([^'"]*)\1/.exec(text)?.[2];
}

/** splitArguments() answers per argument-list node: several rules split the same call's arguments. */
const splitCache = new WeakMap<Node, { positional: Node[]; keywords: Map<string, Node> }>();

export function splitArguments(args: Node | undefined): { positional: Node[]; keywords: Map<string, Node> } {
  const cached = args && splitCache.get(args);
  if (cached) return cached;
  const split = splitArgumentList(args);
  if (args) splitCache.set(args, split);
  return split;
}

function splitArgumentList(args: Node | undefined): { positional: Node[]; keywords: Map<string, Node> } {
  const positional: Node[] = [];
  const keywords = new Map<string, Node>();
  for (const arg of args?.namedChildren ?? []) {
    if (arg.type === 'keyword_argument') {
      const name = arg.childForFieldName('name')?.text;
      const value = arg.childForFieldName('value');
      if (name && value) keywords.set(name, value);
    } else if (arg.type !== 'comment') {
      positional.push(arg);
    }
  }
  return { positional, keywords };
}

function hasExpiryOption(flavor: RedisFlavor, positional: Node[], keywords: Map<string, Node>): boolean {
  if (flavor === 'codewords' || flavor === 'redis-py' || flavor === 'redis-py-async') {
    for (const name of ['ex', 'px', 'exat', 'pxat', 'keepttl']) {
      const value = keywords.get(name);
      if (value && value.text !== 'None' && value.text !== 'False') return true;
    }
    return false;
  }
  for (const arg of positional.slice(2)) {
    if (arg.type === 'string' && /^['"`](EX|PX|EXAT|PXAT|KEEPTTL)['"`]$/i.test(arg.text)) return true;
    if (arg.type === 'object' && /\b(EX|PX|EXAT|PXAT|KEEPTTL|expiration)\s*:/.test(arg.text)) return true;
  }
  return false;
}

/**
 * The file's indentation step: how far the line after a block opener (`…:` in Python, `… {` in
 * JavaScript) is indented past it, the most common such step. Docstrings, aligned continuation
 * lines and comments indent by other amounts; they decide only when no block opens.
 */
function detectIndentUnit(lines: string[], fallback: string, dialect: 'python' | 'js'): string {
  const opener = dialect === 'python' ? /:\s*(#.*)?$/ : /[{(\[]\s*(\/\/.*)?$/;
  const steps = new Map<number, number>();
  let previous: string | undefined;
  let smallest = Number.POSITIVE_INFINITY;
  for (const line of lines) {
    if (line.trim() === '') continue;
    const spaces = /^ */.exec(line)![0].length;
    if (spaces > 0 && spaces < smallest) smallest = spaces;
    if (previous !== undefined && opener.test(previous)) {
      if (line.startsWith('\t') && !previous.startsWith(' ')) return '\t';
      const step = spaces - /^ */.exec(previous)![0].length;
      if (step > 0 && step <= 8) steps.set(step, (steps.get(step) ?? 0) + 1);
    }
    previous = line;
  }
  let best: number | undefined;
  for (const [step, count] of steps) {
    const bestCount = best === undefined ? -1 : steps.get(best)!;
    if (count > bestCount || (count === bestCount && step < best!)) best = step;
  }
  if (best !== undefined) return ' '.repeat(best);
  if (lines.some((line) => line.startsWith('\t'))) return '\t';
  return Number.isFinite(smallest) && smallest <= 8 ? ' '.repeat(smallest) : fallback;
}

function detectQuote(text: string, dialect: 'python' | 'js'): string {
  // Counted in place: matching every quote built arrays as long as the file's quotes.
  let doubles = 0;
  let singles = 0;
  for (let index = 0; index < text.length; index++) {
    const code = text.charCodeAt(index);
    if (code === 34) doubles++;
    else if (code === 39) singles++;
  }
  if (dialect === 'python') return singles > doubles * 2 ? "'" : '"';
  return doubles > singles * 2 ? '"' : "'";
}

/** Environment variables read in the file: `os.environ["X"]`, `os.environ.get("X")`, `os.getenv("X")`, `process.env.X`. */
const ENV_READ = /\b(?:environ(?:\.get\(\s*|\[\s*)|getenv\(\s*)['"]([A-Z][A-Z0-9_]*)['"]|\bprocess\.env(?:\.([A-Z][A-Z0-9_]*)|\[\s*['"]([A-Z][A-Z0-9_]*)['"]\s*\])/g;

function redisUrlVariableOf(text: string): string {
  if (!/REDIS|BROKER/.test(text)) return 'REDIS_URL';
  let broker: string | undefined;
  for (const match of text.matchAll(ENV_READ)) {
    const name = match[1] ?? match[2] ?? match[3];
    if (name === 'REDIS_URL') return name;
    if (/REDIS/.test(name) && /_URL$|_URI$/.test(name)) return name;
    if (/BROKER_URL$/.test(name) && /['"`]rediss?:\/\//.test(text)) broker ??= name;
  }
  return broker ?? 'REDIS_URL';
}

/** `export default async function TrailPage(…)`: a named function that is the module's default export. */
function isDefaultExport(fn: Node): boolean {
  const parent = fn.parent;
  return parent?.type === 'export_statement' && /^export\s+default\b/.test(parent.text);
}
