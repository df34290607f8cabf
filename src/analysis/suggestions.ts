// The seven suggestion kinds: each recogniser finds its sites in the collected facts and writes
// the memory code for them. Sites are only looked for in code that runs as part of a workflow
// (an entry point or what it calls), and not where Redis already guards the site.

import type { Node } from 'web-tree-sitter';
import { EditPlan, line, memoryAccessAt, MemoryCode, type CodeLine, type KeyPart, type MemoryAccess } from './codegen';
import type { FileContext } from './context';
import { splitArguments } from './context';
import type { CallSite, Loop, Scope } from './facts';
import { httpCall, isMessageSend, isPaidLookup, llmCall, NOTIFY_TARGET, type LlmApi } from './libraries';
import type { SuggestionKind, TextEdit } from './types';
import { durationExpression } from './ttl';

export interface SiteSuggestion {
  kind: SuggestionKind;
  /** The statement the lens sits above. */
  statement: Node;
  /** Short object of the title: "skip unchanged pages". */
  action: string;
  explanation: string;
  key: string;
  edits: TextEdit[];
}

export interface SuggestionSettings {
  ttlSeconds(kind: SuggestionKind): number;
  ttlLabel(kind: SuggestionKind): string;
  namespace: string;
  workflow: string;
  enabled(kind: SuggestionKind): boolean;
}

const GUARDS: Record<SuggestionKind, RegExp> = {
  // Items of the page already checked one by one (SISMEMBER) count as guarding the fetch too.
  'change-detection': /^(get|exists|getset|hget|mget|json\.get|sismember|smismember)$/,
  dedupe: /^(sismember|smismember|exists|get|setnx|sadd|hexists|hget)$/,
  'snapshot-diff': /^(get|smembers|hgetall|sdiff|lrange|json\.get)$/,
  conversation: /^(lrange|get|xrange|json\.get)$/,
  cache: /^(get|exists|hget|mget|json\.get)$/,
  cursor: /^(get|hget|hgetall)$/,
  preference: /^(hget|hgetall|hmget|get)$/,
};

const ID_FIELDS = ['id', 'guid', 'uid', 'uuid', 'message_id', 'messageId', 'email', 'url', 'link', 'key', 'slug', 'sku', 'number', 'phone', 'chat_id', 'chatId', 'user_id', 'userId'];
const SESSION_ORDER = ['session', 'conversation', 'thread', 'chat', 'user', 'customer', 'sender', 'contact', 'channel', 'author', 'from'];
const USER_ORDER = ['user', 'from', 'sender', 'customer', 'author', 'contact', 'chat', 'session', 'conversation', 'thread', 'channel'];
const PREFERENCE_NAMES = /^(language|lang|locale|language_code|languageCode|timezone|time_zone|timeZone|tz|units|unit|tone|currency|date_format|dateFormat|temperature_unit|temperatureUnit|voice|style|theme|country|region)$/;
const REQUEST_ROOTS = /^(req|request|body|payload|data|message|msg|update|event|ctx|params|query|form|input|evt|args|settings|prefs|options|job)$/;
const REPORT_ACCUMULATOR = /report|summary|digest|lines|rows|entries|bullets|body|message|text|html|markdown|md|content|output|table|sections|parts|blocks/i;
const PAGE_PARAMS = /^(cursor|page_token|pageToken|next_token|nextToken|starting_after|startingAfter|start_after|startAfter|after|offset|page|next_cursor|nextCursor|continuation|marker|since_id|sinceId|min_id|minId|last_id|lastId)$/;
const SINCE_PARAMS = /^(since|updated_since|updatedSince|updated_after|updatedAfter|modified_since|modifiedSince|created_after|createdAfter|start_date|startDate|from_date|fromDate|oldest|min_date|minDate|start_time|startTime|after|since_date|sinceDate|timeMin|time_min)$/;

/** Any cursor-like parameter name in a call's text (a cheap test before looking closer). */
const CURSOR_WORDS = /cursor|token|after|offset|page|since|marker|continuation|_id|Id\b|start|from|oldest|min|time/i;

export class SuggestionFinder {
  private readonly python: boolean;
  private readonly results: SiteSuggestion[] = [];
  private readonly usedStatements = new Set<string>();

  constructor(
    private readonly ctx: FileContext,
    private readonly settings: SuggestionSettings,
  ) {
    this.python = ctx.facts.dialect === 'python';
  }

  find(): SiteSuggestion[] {
    const ctx = this.ctx;
    if (!ctx.isWorkflow) return [];
    const loopsWithDedupe = new Set<number>();
    for (const call of ctx.facts.calls) {
      if (!ctx.reachable.has(call.scope)) continue;
      const path = ctx.resolver.qualify(call.callee, call.scope);
      const http = httpCall(path);
      const verb = http && !call.isNew ? this.httpVerb(call, http.verb) : undefined;
      if (verb === 'get') this.attempt('change-detection', () => this.changeDetection(call));
      if (isMessageSend(path) || (verb === 'post' && this.postsToNotifier(call))) {
        this.attempt('dedupe', () => this.dedupe(call, loopsWithDedupe));
      }
      const llm = llmCall(path);
      if (llm) this.llm(call, llm);
      else if (isPaidLookup(path)) this.attempt('cache', () => this.cache(call, 'paid'));
      this.attempt('cursor', () => this.cursor(call));
    }
    for (const scope of ctx.facts.scopes) {
      if (!ctx.reachable.has(scope)) continue;
      for (const loop of scope.loops) this.attempt('snapshot-diff', () => this.snapshotDiff(loop, scope));
      if (scope.loopCallback) this.attempt('snapshot-diff', () => this.snapshotDiff(scope.loopCallback!, scope.parent ?? scope));
      for (const assignment of scope.assignments) this.attempt('preference', () => this.preference(assignment.node, assignment.value, scope));
    }
    return this.results.sort((a, b) => a.statement.startIndex - b.statement.startIndex);
  }

  private attempt(kind: SuggestionKind, build: () => SiteSuggestion | undefined): void {
    if (!this.settings.enabled(kind)) return;
    const suggestion = build();
    if (!suggestion) return;
    const id = `${kind}@${suggestion.statement.startIndex}`;
    if (this.usedStatements.has(id)) return;
    this.usedStatements.add(id);
    this.results.push(suggestion);
  }

  // -------------------------------------------------------------------------------------------
  // change-detection: fetches a page and acts on its content -> skip when unchanged

  private changeDetection(call: CallSite): SiteSuggestion | undefined {
    const ctx = this.ctx;
    const scope = call.scope;
    const fetchStatement = ctx.statementOf(call.node);
    if (!fetchStatement || !ctx.standsAlone(fetchStatement)) return undefined;
    if (this.guarded(scope, 'change-detection')) return undefined;
    // Inside a pagination or polling loop, skipping would stall the loop; pages are a cursor's job.
    if (call.loops.some((l) => l.kind === 'while') || this.cursorArguments(call).length > 0) return undefined;
    const content = this.contentOf(call, fetchStatement);
    if (!content) return undefined;
    const anchor = content.statement;
    if (!ctx.standsAlone(anchor)) return undefined;
    const responseName = /^[\w$]+/.exec(content.expression)?.[0];
    const fetchTarget = this.assignmentTarget(fetchStatement)?.text;
    if (this.guarded(scope, 'change-detection', [responseName ?? '', fetchTarget ?? ''].filter((n) => /^[\w$]+$/.test(n)))) return undefined;
    const access = memoryAccessAt(ctx, scope, anchor);
    if (!access) return undefined;
    const exit = this.exitFrom(scope, anchor);
    if (!exit) return undefined;
    const plan = new EditPlan(ctx);
    plan.useClient(access);
    const code = this.code(access);
    const ttl = durationExpression(this.settings.ttlSeconds('change-detection'));
    const urlNode = this.urlArgument(call);
    const key = code.key('page-hash', this.idParts(urlNode, 'page'));
    const digestName = ctx.freshName(this.python ? 'page_digest' : 'pageDigest');
    const keyName = ctx.freshName(this.python ? 'page_key' : 'pageKey');
    const lines: CodeLine[] = [];
    if (this.python) {
      plan.require('hashlib');
      let hashed = `${content.expression}.encode()`;
      if (content.type === 'bytes') hashed = content.expression;
      if (content.type === 'object') {
        plan.require('json');
        hashed = `json.dumps(${content.expression}, sort_keys=True, default=str).encode()`;
      }
      lines.push(line(0, `# Workflow memory: skip the work below when the page has not changed since the last run.`));
      lines.push(line(0, `${digestName} = hashlib.sha256(${hashed}).hexdigest()`));
      const open = code.open();
      lines.push(...open.lines);
      lines.push(line(open.depth, `${keyName} = ${key.code}`));
      lines.push(line(open.depth, `if ${code.call('get', [keyName])} == ${digestName}:`));
      lines.push(line(open.depth + 1, exit));
      lines.push(line(open.depth, code.setWithExpiry(keyName, digestName, ttl)));
    } else {
      const createHash = plan.createHash;
      const input = content.type === 'string' ? content.expression : content.type === 'object' ? `JSON.stringify(${content.expression})` : `typeof ${content.expression} === 'string' ? ${content.expression} : JSON.stringify(${content.expression})`;
      lines.push(line(0, `// Workflow memory: skip the work below when the page has not changed since the last run.`));
      lines.push(line(0, `const ${digestName} = ${createHash}(${code.q}sha256${code.q}).update(${input}).digest(${code.q}hex${code.q});`));
      lines.push(line(0, `const ${keyName} = ${key.code};`));
      lines.push(line(0, `if ((${code.call('get', [keyName])}) === ${digestName}) ${exit}`));
      lines.push(line(0, `${code.setWithExpiry(keyName, digestName, ttl)};`));
    }
    plan.insertAfter(anchor, lines);
    const what = urlNode ? `\`${shorten(urlNode.text)}\`` : 'this page';
    return {
      kind: 'change-detection',
      statement: fetchStatement,
      action: 'skip unchanged pages',
      explanation: `Every run fetches ${what} and acts on it even when nothing changed. Remembering a SHA-256 of the content under \`${key.display}\` (${this.settings.ttlLabel('change-detection')}) lets the run stop early when the page is the same as last time.`,
      key: key.display,
      edits: plan.toEdits(),
    };
  }

  private httpVerb(call: CallSite, verb: 'get' | 'post' | 'other'): 'get' | 'post' | 'other' {
    // fetch(url, { method: 'POST' }) / axios({ method: 'post' }) / requests.request("POST", url)
    const args = call.args?.namedChildren ?? [];
    for (const arg of args) {
      const method = /\bmethod\s*[:=]\s*['"`](\w+)['"`]/i.exec(arg.type === 'object' || arg.type === 'keyword_argument' ? arg.text : '');
      if (method) return method[1].toLowerCase() === 'get' ? 'get' : method[1].toLowerCase() === 'post' ? 'post' : 'other';
    }
    const first = args[0];
    if (/\.request$/.test(call.callee.text) && first?.type === 'string') {
      const method = first.text.replace(/['"]/g, '').toLowerCase();
      return method === 'get' ? 'get' : method === 'post' ? 'post' : 'other';
    }
    return verb;
  }

  /** The response content the code acts on, and the statement after which it is known. */
  private contentOf(call: CallSite, fetchStatement: Node): { expression: string; type: 'string' | 'bytes' | 'object' | 'unknown'; statement: Node } | undefined {
    const ctx = this.ctx;
    const scope = call.scope;
    // `html = requests.get(url).text` / `const { data } = await axios.get(url)` in one statement.
    const direct = this.assignmentTarget(fetchStatement);
    const outer = outermostChain(call.node);
    if (direct && !outer.equals(call.node) && outer.type !== 'await' && outer.type !== 'await_expression') {
      const accessor = outer.text.slice(call.node.endIndex - outer.startIndex);
      const type = contentType(accessor);
      if (type && direct.type === 'identifier') return { expression: direct.text, type, statement: fetchStatement };
    }
    if (direct?.type === 'object_pattern' && /\b(data|body)\b/.test(direct.text) && httpCall(ctx.resolver.qualify(call.callee, scope))?.library.match(/axios|got/)) {
      const name = direct.text.includes('data') ? 'data' : 'body';
      return { expression: name, type: 'unknown', statement: fetchStatement };
    }
    // The response variable: an assignment, or `async with session.get(url) as resp:`.
    let responseName: string | undefined = direct?.type === 'identifier' ? direct.text : undefined;
    if (!responseName && this.python && fetchStatement.type === 'with_statement') {
      const block = scope.withs.find((w) => w.node.equals(fetchStatement));
      const item = block?.items.find((i) => i.value.startIndex <= call.node.startIndex && call.node.endIndex <= i.value.endIndex);
      if (item?.target?.type === 'identifier') responseName = item.target.text;
    }
    if (!responseName) return undefined;
    const escaped = escapeRegExp(responseName);
    const accessorPattern = new RegExp(`^(await\\s+)?\\(?\\s*(await\\s+)?${escaped}\\.(text|content|json\\(\\)|text\\(\\)|read\\(\\)|data|body|json)\\b`);
    for (const assignment of scope.assignments) {
      if (assignment.node.startIndex <= call.node.endIndex || !assignment.value) continue;
      const match = accessorPattern.exec(assignment.value.text);
      if (!match || !/^[A-Za-z_$][\w$]*$/.test(assignment.name)) continue;
      const type = contentType('.' + match[3]);
      const statement = ctx.statementOf(assignment.node);
      if (type && statement) return { expression: assignment.name, type, statement };
    }
    // Read inline (`BeautifulSoup(resp.text)`): properties can be read again.
    const body = scope.node.text.slice(fetchStatement.endIndex - scope.node.startIndex);
    const inline = new RegExp(`\\b${escaped}\\.(text|content|data|body)\\b(?!\\s*\\()`).exec(body);
    if (inline && (this.python || inline[1] === 'data')) {
      const type = contentType('.' + inline[1]);
      if (type) return { expression: `${responseName}.${inline[1]}`, type, statement: fetchStatement };
    }
    return undefined;
  }

  private urlArgument(call: CallSite): Node | undefined {
    const { positional, keywords } = splitArguments(call.args);
    const first = /\.request$/.test(call.callee.text) ? positional[1] : positional[0];
    if (first && first.type !== 'object') return first;
    return keywords.get('url');
  }

  // -------------------------------------------------------------------------------------------
  // dedupe: sends per item/recipient in a loop -> remember who was notified

  private postsToNotifier(call: CallSite): boolean {
    const url = this.urlArgument(call);
    if (!url) return false;
    if (NOTIFY_TARGET.test(url.text)) return true;
    if (url.type === 'identifier') {
      const assigned = call.scope.assignments.find((a) => a.name === url.text) ?? this.ctx.facts.module.assignments.find((a) => a.name === url.text);
      return !!assigned?.value && NOTIFY_TARGET.test(assigned.value.text);
    }
    return false;
  }

  private dedupe(call: CallSite, loopsWithDedupe: Set<number>): SiteSuggestion | undefined {
    const ctx = this.ctx;
    const site = this.loopSite(call);
    if (!site) return undefined;
    const { loop, statement, scope, loops } = site;
    if (loopsWithDedupe.has(loop.node.id)) return undefined;
    if (this.guarded(scope, 'dedupe') || this.guarded(call.scope, 'dedupe')) return undefined;
    if (!ctx.standsAlone(statement)) return undefined;
    const access = memoryAccessAt(ctx, scope, statement);
    if (!access) return undefined;
    const plan = new EditPlan(ctx);
    plan.useClient(access);
    const code = this.code(access);
    const lines: CodeLine[] = [];
    const parts: KeyPart[] = [];
    const nouns: string[] = [];
    for (const each of loops.slice(-2)) {
      const id = this.itemId(each, plan, lines);
      if (!id) return undefined;
      parts.push({ expression: id.expression });
      nouns.push(id.noun);
    }
    const key = code.key('notified', parts);
    const ttl = durationExpression(this.settings.ttlSeconds('dedupe'));
    const skip = loop.kind === 'callback' ? (this.python ? 'return' : 'return;') : this.python ? 'continue' : 'continue;';
    const comment = `Workflow memory: send once per ${nouns.join(' and ')}; the key claims it for ${this.settings.ttlLabel('dedupe')}.`;
    if (this.python) {
      const open = code.open();
      lines.unshift(line(0, `# ${comment}`));
      lines.push(...open.lines);
      lines.push(line(open.depth, `if not ${code.setWithExpiry(key.code, '1', ttl, true)}:`));
      lines.push(line(open.depth + 1, skip));
    } else {
      lines.unshift(line(0, `// ${comment}`));
      lines.push(line(0, `if (!(${code.setWithExpiry(key.code, `${code.q}1${code.q}`, ttl, true)})) ${skip}`));
    }
    plan.insertBefore(statement, lines);
    loopsWithDedupe.add(loop.node.id);
    const noun = nouns[nouns.length - 1];
    return {
      kind: 'dedupe',
      statement,
      action: `notify each ${noun} once`,
      explanation: `This loop sends a message for every ${noun} on every run, so the same ${noun} is notified again each time the workflow runs. Claiming \`${key.display}\` with SET NX before sending (${this.settings.ttlLabel('dedupe')}) sends each one once.`,
      key: key.display,
      edits: plan.toEdits(),
    };
  }

  /** The statement inside the per-item loop that (directly or through a local function) makes `call`. */
  private loopSite(call: CallSite): { loop: Loop; statement: Node; scope: Scope; loops: Loop[] } | undefined {
    let current: CallSite = call;
    for (let depth = 0; depth < 4; depth++) {
      const itemLoops = current.loops.filter((l) => l.kind === 'for' && l.variable);
      const loop = itemLoops[itemLoops.length - 1];
      if (loop?.body) {
        const statement = childStatementIn(loop.body, current.node);
        if (statement) return { loop, statement, scope: current.scope, loops: itemLoops };
      }
      const callback = current.scope.loopCallback;
      if (callback?.body && callback.variable && callback.body.type === 'statement_block') {
        const statement = childStatementIn(callback.body, current.node);
        if (statement) return { loop: callback, statement, scope: current.scope, loops: [callback] };
      }
      const caller = this.ctx.calledInLoop.get(current.scope);
      if (!caller) return undefined;
      current = caller.call;
    }
    return undefined;
  }

  /** What identifies the loop's item: `item["id"]`, `user.email`, the loop variable itself, or a fingerprint. */
  private itemId(loop: Loop, plan: EditPlan, lines: CodeLine[]): { expression: string; noun: string } | undefined {
    const variable = loop.variable;
    if (!variable) return undefined;
    const bodyText = loop.body?.text ?? '';
    let names: string[];
    if (variable.type === 'identifier') names = [variable.text];
    else names = variable.namedChildren.filter((c) => c.type === 'identifier' || c.type === 'shorthand_property_identifier_pattern').map((c) => c.text);
    if (variable.type === 'pattern_list' || variable.type === 'tuple_pattern' || variable.type === 'object_pattern' || variable.type === 'array_pattern') {
      const idName = names.find((n) => /^(id|.*_id|.*Id|email|url|link|key|uuid|guid)$/.test(n)) ?? names[0];
      return idName ? { expression: idName, noun: singular(idName) } : undefined;
    }
    const name = names[0];
    if (!name) return undefined;
    const found = this.idField(name, bodyText) ?? this.idFieldThroughCallee(loop, name);
    if (found) return { expression: found, noun: name };
    const structured = new RegExp(`\\b${name}(\\.|\\[)`).test(bodyText) || this.usedStructurallyByCallee(loop, name);
    if (!structured) return { expression: name, noun: name };
    return this.fingerprint(name, plan, lines);
  }

  private idField(name: string, bodyText: string): string | undefined {
    // One pass over the body for `item["id"]`, `item.get("id")`, `item.id`; the best-ranked field wins.
    const escaped = escapeRegExp(name);
    const pattern = new RegExp(`\\b${escaped}(?:\\[(['"])(\\w+)\\1\\]|\\.get\\((['"])(\\w+)\\3\\)|\\.(\\w+)\\b(?!\\s*\\())`, 'g');
    let best: { rank: number; text: string } | undefined;
    for (let match = pattern.exec(bodyText); match; match = pattern.exec(bodyText)) {
      const field = match[2] ?? match[4] ?? match[5];
      let rank = ID_FIELDS.indexOf(field);
      if (rank < 0 && /(_id|Id)$/.test(field)) rank = ID_FIELDS.length;
      if (rank >= 0 && (!best || rank < best.rank)) best = { rank, text: match[0] };
    }
    return best?.text;
  }

  /** `notify(address, incident)` where `def notify(address, incident): … incident['id']`. */
  private idFieldThroughCallee(loop: Loop, name: string): string | undefined {
    if (!loop.body) return undefined;
    for (const call of loop.scope.calls) {
      if (call.node.startIndex < loop.body.startIndex || call.node.endIndex > loop.body.endIndex) continue;
      const callee = this.ctx.localCallee(call);
      const index = call.args?.namedChildren.findIndex((a) => a.text === name) ?? -1;
      if (!callee || index < 0) continue;
      const params = callee.params.filter((p) => p.name !== 'self');
      const param = params[index]?.name;
      const field = param ? this.idField(param, callee.body?.text ?? '') : undefined;
      if (field) return name + field.slice(param!.length);
    }
    return undefined;
  }

  /** The item is passed to a local function that reads fields of it. */
  private usedStructurallyByCallee(loop: Loop, name: string): boolean {
    if (!loop.body) return false;
    return loop.scope.calls.some((call) => {
      if (call.node.startIndex < loop.body!.startIndex || call.node.endIndex > loop.body!.endIndex) return false;
      const callee = this.ctx.localCallee(call);
      const index = call.args?.namedChildren.findIndex((a) => a.text === name) ?? -1;
      const param = callee && index >= 0 ? callee.params.filter((p) => p.name !== 'self')[index]?.name : undefined;
      return !!param && new RegExp(`\\b${param}(\\.|\\[)`).test(callee!.body?.text ?? '');
    });
  }

  private fingerprint(name: string, plan: EditPlan, lines: CodeLine[]): { expression: string; noun: string } {
    const fingerprint = this.ctx.freshName(this.python ? `${name}_fingerprint` : `${name}Fingerprint`);
    if (this.python) {
      plan.require('hashlib');
      plan.require('json');
      lines.push(line(0, `${fingerprint} = hashlib.sha256(json.dumps(${name}, sort_keys=True, default=str).encode()).hexdigest()[:16]`));
    } else {
      const q = this.ctx.quote;
      lines.push(line(0, `const ${fingerprint} = ${plan.createHash}(${q}sha256${q}).update(JSON.stringify(${name})).digest(${q}hex${q}).slice(0, 16);`));
    }
    return { expression: fingerprint, noun: name };
  }

  // -------------------------------------------------------------------------------------------
  // snapshot-diff: builds a report from a collection -> report only what is new or changed

  private snapshotDiff(loop: Loop, scope: Scope): SiteSuggestion | undefined {
    const ctx = this.ctx;
    if (!loop.collection || !loop.variable || !loop.body) return undefined;
    const collection = loop.collection;
    if (/^(range|enumerate\(range|Object\.keys|Object\.entries|zip)\b/.test(collection.text) || /^[[({]/.test(collection.text) || collection.type === 'string' || collection.type === 'integer' || collection.type === 'number') return undefined;
    if (/\n/.test(collection.text)) return undefined;
    // Blocks of a model's answer or a message's parts are not a collection worth reporting on.
    if (/\b(content|choices|blocks|parts|messages|splitlines|split|lines)\b/.test(collection.text)) return undefined;
    const bodyText = loop.body.text;
    const accumulates = this.python
      ? /\b(\w+)\.(append|extend)\(|\b(\w+)\s*\+=/.exec(bodyText)
      : /\b(\w+)\.push\(|\b(\w+)\s*\+=/.exec(bodyText);
    let joined = false;
    if (loop.kind === 'comprehension' || loop.kind === 'callback') {
      // "\n".join(f"- {x}" for x in items) / items.map((x) => `- ${x}`).join("\n")
      const parentText = (loop.kind === 'callback' ? loop.node.parent?.parent?.parent?.parent?.text : loop.node.parent?.parent?.text) ?? '';
      joined = /\.join\(/.test(parentText) && (loop.kind === 'callback' ? /\.map\(/.test(parentText) : true);
      if (!joined) return undefined;
    } else {
      const accumulator = accumulates ? (accumulates[1] ?? accumulates[3] ?? accumulates[2]) : undefined;
      if (!accumulator || !REPORT_ACCUMULATOR.test(accumulator)) return undefined;
    }
    // A loop that sends per item is a dedupe site, not a report.
    if (scope.calls.some((c) => c.node.startIndex >= loop.node.startIndex && c.node.endIndex <= loop.node.endIndex && isMessageSend(ctx.resolver.qualify(c.callee, c.scope)))) return undefined;
    if (this.guarded(scope, 'snapshot-diff')) return undefined;
    const statement = loop.kind === 'for' ? loop.node : ctx.statementOf(loop.node);
    if (!statement || !ctx.standsAlone(statement) || ctx.scopeAt(statement) !== scope) return undefined;
    const access = memoryAccessAt(ctx, scope, statement);
    if (!access) return undefined;
    const plan = new EditPlan(ctx);
    plan.useClient(access);
    const code = this.code(access);
    const ttl = durationExpression(this.settings.ttlSeconds('snapshot-diff'));
    const simple = /^[A-Za-z_$][\w$]*$/.test(collection.text);
    const label = simple ? collection.text : 'items';
    const key = code.key('snapshot', [{ literal: kebab(label) }]);
    const itemName = loop.variable.type === 'identifier' ? loop.variable.text : 'item';
    const lines: CodeLine[] = [];
    const q = code.q;
    let newName: string;
    if (this.python) {
      plan.require('hashlib');
      plan.require('json');
      const source = simple ? collection.text : ctx.freshName('current_items');
      const fingerprints = ctx.freshName('item_fingerprints');
      const previous = ctx.freshName('previous_fingerprints');
      const keyName = ctx.freshName('snapshot_key');
      newName = ctx.freshName(`new_${simple ? collection.text : 'items'}`);
      lines.push(line(0, `# Workflow memory: report only what is new or changed since the last run.`));
      if (!simple) lines.push(line(0, `${source} = list(${collection.text})`));
      lines.push(line(0, `${fingerprints} = [hashlib.sha256(json.dumps(entry, sort_keys=True, default=str).encode()).hexdigest()[:16] for entry in ${source}]`));
      const open = code.open();
      lines.push(...open.lines);
      lines.push(line(open.depth, `${keyName} = ${key.code}`));
      lines.push(line(open.depth, `${previous} = set(json.loads(${code.call('get', [keyName])} or ${q}[]${q}))`));
      lines.push(line(open.depth, code.setWithExpiry(keyName, `json.dumps(${fingerprints})`, ttl)));
      lines.push(line(0, `${newName} = [entry for entry, fingerprint in zip(${source}, ${fingerprints}) if fingerprint not in ${previous}]`));
    } else {
      const createHash = plan.createHash;
      const source = simple ? collection.text : ctx.freshName('currentItems');
      const fingerprints = ctx.freshName('itemFingerprints');
      const previous = ctx.freshName('previousFingerprints');
      const keyName = ctx.freshName('snapshotKey');
      newName = ctx.freshName(simple ? `new${collection.text[0].toUpperCase()}${collection.text.slice(1)}` : 'newItems');
      lines.push(line(0, `// Workflow memory: report only what is new or changed since the last run.`));
      if (!simple) lines.push(line(0, `const ${source} = [...${collection.text}];`));
      lines.push(line(0, `const ${fingerprints} = ${source}.map((entry) => ${createHash}(${q}sha256${q}).update(JSON.stringify(entry)).digest(${q}hex${q}).slice(0, 16));`));
      lines.push(line(0, `const ${keyName} = ${key.code};`));
      lines.push(line(0, `const ${previous} = new Set(JSON.parse((${code.call('get', [keyName])}) ?? ${q}[]${q}));`));
      lines.push(line(0, `${code.setWithExpiry(keyName, `JSON.stringify(${fingerprints})`, ttl)};`));
      lines.push(line(0, `const ${newName} = ${source}.filter((_, index) => !${previous}.has(${fingerprints}[index]));`));
    }
    plan.insertBefore(statement, lines);
    plan.replace(collection, newName);
    return {
      kind: 'snapshot-diff',
      statement,
      action: 'report only what changed',
      explanation: `Each run builds its report from every ${itemName} in \`${shorten(collection.text)}\`, repeating what earlier runs already reported. Keeping a fingerprint of each ${itemName} under \`${key.display}\` (${this.settings.ttlLabel('snapshot-diff')}) lets the report show only what is new or changed.`,
      key: key.display,
      edits: plan.toEdits(),
    };
  }

  // -------------------------------------------------------------------------------------------
  // LLM calls: conversation (per session, only the current message) or cache (deterministic)

  private llm(call: CallSite, api: LlmApi): void {
    if (api === 'openai-embeddings' || api === 'langchain-embeddings') {
      this.attempt('cache', () => this.cache(call, 'embedding'));
      return;
    }
    // A deterministic call (temperature 0) is a transform: the same input gives the same answer.
    if (this.isDeterministic(call)) {
      this.attempt('cache', () => this.cache(call, 'llm'));
      return;
    }
    const messages = this.messagesOf(call, api);
    const session = this.idInScope(call.scope, SESSION_ORDER);
    if (session && messages) {
      if (messages.hasHistory) return;
      this.attempt('conversation', () => this.conversation(call, api, messages, session));
    }
  }

  private isDeterministic(call: CallSite): boolean {
    const text = call.args?.text ?? '';
    if (/\btemperature\s*[=:]\s*0(\.0+)?\b/.test(text)) return true;
    // LangChain: the temperature is set on the model object.
    const receiver = call.callee.type === 'attribute' || call.callee.type === 'member_expression' ? call.callee.childForFieldName('object') : null;
    if (receiver?.type === 'identifier') {
      for (let s: Scope | undefined = call.scope; s; s = s.parent) {
        const assignment = s.assignments.find((a) => a.name === receiver.text);
        if (assignment?.value && /\btemperature\s*[=:]\s*0(\.0+)?\b/.test(assignment.value.text)) return true;
      }
    }
    return false;
  }

  private messagesOf(call: CallSite, api: LlmApi): { list?: Node; user?: Node; content?: string; plain?: Node; hasHistory: boolean } | undefined {
    const { positional, keywords } = splitArguments(call.args);
    let value: Node | undefined;
    if (this.python) {
      value = api === 'langchain' ? positional[0] : keywords.get(api === 'openai-responses' ? 'input' : 'messages');
    } else {
      const options = api === 'langchain' ? undefined : positional.find((p) => p.type === 'object');
      if (api === 'langchain') value = positional[0];
      else if (options) {
        for (const pair of options.namedChildren) {
          const keyName = pair.type === 'pair' ? pair.childForFieldName('key')?.text.replace(/['"]/g, '') : pair.type === 'shorthand_property_identifier' ? pair.text : undefined;
          if (keyName === (api === 'openai-responses' ? 'input' : 'messages')) value = pair.type === 'pair' ? (pair.childForFieldName('value') ?? undefined) : pair;
        }
      }
    }
    if (!value) return undefined;
    if (value.type === 'identifier' || value.type === 'shorthand_property_identifier') {
      const assignment = [...call.scope.assignments].reverse().find((a) => a.name === value!.text && a.node.startIndex < call.node.startIndex);
      if (!assignment?.value) {
        // A parameter or something built elsewhere: a plain string input can still be wrapped.
        return api === 'openai-responses' || api === 'langchain' ? { plain: value, content: value.text, hasHistory: false } : undefined;
      }
      if (assignment.value.type === 'list' || assignment.value.type === 'array') value = assignment.value;
      else if (/history|messages|turns|memory/i.test(assignment.value.text)) return { hasHistory: true };
      else return api === 'openai-responses' || api === 'langchain' ? { plain: value, content: value.text, hasHistory: false } : undefined;
    }
    if (value.type !== 'list' && value.type !== 'array') {
      const simple = /^[A-Za-z_$][\w$.]*$/.test(value.text);
      return simple && (api === 'openai-responses' || api === 'langchain') ? { plain: value, content: value.text, hasHistory: false } : undefined;
    }
    let user: Node | undefined;
    let content: string | undefined;
    let turns = 0;
    for (const element of value.namedChildren) {
      if (element.type === 'list_splat' || element.type === 'spread_element' || element.type === 'comment') {
        if (element.type !== 'comment') return { hasHistory: true };
        continue;
      }
      const role = /\brole\b['"]?\s*[:=]\s*['"](\w+)['"]/.exec(element.text)?.[1] ?? /^\(\s*['"](\w+)['"]/.exec(element.text)?.[1] ?? (/^HumanMessage\(/.test(element.text) ? 'user' : /^AIMessage\(/.test(element.text) ? 'assistant' : undefined);
      if (role === 'system' || role === 'developer') continue;
      turns++;
      if ((role === 'user' || role === 'human') && !user) {
        user = element;
        content = /\bcontent\b['"]?\s*[:=]\s*([A-Za-z_$][\w$.]*(?:\[['"]\w+['"]\])?)\s*[,})]/.exec(element.text)?.[1] ?? /^\(\s*['"]\w+['"]\s*,\s*([A-Za-z_$][\w$.]*)\s*\)$/.exec(element.text)?.[1];
      }
    }
    if (turns > 1) return { hasHistory: true };
    if (!user || !content) return undefined;
    return { list: value, user, content, hasHistory: false };
  }

  private conversation(call: CallSite, api: LlmApi, messages: { list?: Node; user?: Node; content?: string; plain?: Node }, session: string): SiteSuggestion | undefined {
    const ctx = this.ctx;
    const scope = call.scope;
    const statement = ctx.statementOf(call.node);
    if (!statement || !ctx.standsAlone(statement) || !messages.content) return undefined;
    if (this.guarded(scope, 'conversation')) return undefined;
    const target = this.assignmentTarget(statement);
    if (!target || target.type !== 'identifier') return undefined;
    const outer = outermostChain(call.node);
    if (!outer.equals(call.node) && outer.type !== 'await' && outer.type !== 'await_expression') return undefined;
    const access = memoryAccessAt(ctx, scope, statement);
    if (!access) return undefined;
    const plan = new EditPlan(ctx);
    plan.useClient(access);
    const code = this.code(access);
    const q = code.q;
    const ttl = durationExpression(this.settings.ttlSeconds('conversation'));
    const key = code.key('conversation', [{ expression: session }]);
    const reply = replyExpression(api, target.text, this.python);
    const keyName = ctx.freshName(this.python ? 'history_key' : 'historyKey');
    const history = ctx.freshName('history');
    const before: CodeLine[] = [];
    const after: CodeLine[] = [];
    const turns = 20;
    if (this.python) {
      plan.require('json');
      const open = code.open();
      before.push(line(0, `# Workflow memory: the last ${turns / 2} exchanges of this conversation, oldest first.`));
      before.push(...open.lines);
      before.push(line(open.depth, `${keyName} = ${key.code}`));
      before.push(line(open.depth, `${history} = [json.loads(turn) for turn in ${code.call('lrange', [keyName, `-${turns}`, '-1'])}]`));
      after.push(...open.lines);
      after.push(line(open.depth, code.call('rpush', [keyName, `json.dumps({${q}role${q}: ${q}user${q}, ${q}content${q}: ${messages.content}})`, `json.dumps({${q}role${q}: ${q}assistant${q}, ${q}content${q}: ${reply}})`])));
      after.push(line(open.depth, code.call('ltrim', [keyName, `-${turns}`, '-1'])));
      after.push(line(open.depth, code.call('expire', [keyName, ttl])));
    } else {
      before.push(line(0, `// Workflow memory: the last ${turns / 2} exchanges of this conversation, oldest first.`));
      before.push(line(0, `const ${keyName} = ${key.code};`));
      before.push(line(0, `const ${history} = (${code.call('lrange', [keyName, `-${turns}`, '-1'])}).map((turn) => JSON.parse(turn));`));
      after.push(line(0, `${code.call('rpush', [keyName, `JSON.stringify({ role: ${q}user${q}, content: ${messages.content} })`, `JSON.stringify({ role: ${q}assistant${q}, content: ${reply} })`])};`));
      after.push(line(0, `${code.call('ltrim', [keyName, `-${turns}`, '-1'])};`));
      after.push(line(0, `${code.call('expire', [keyName, ttl])};`));
    }
    plan.insertBefore(statement, before);
    if (messages.user) {
      const spread = this.python ? `*${history},` : `...${history},`;
      const ownLine = ctx.lineText(messages.user.startPosition.row).slice(0, messages.user.startPosition.column).trim() === '';
      plan.insertAt(messages.user.startPosition.row, messages.user.startPosition.column, ownLine ? `${spread}\n${ctx.indentOf(messages.user)}` : `${spread} `);
    } else if (messages.plain) {
      const wrapped = this.python
        ? `[*${history}, {${q}role${q}: ${q}user${q}, ${q}content${q}: ${messages.plain.text}}]`
        : `[...${history}, { role: ${q}user${q}, content: ${messages.plain.text} }]`;
      plan.replace(messages.plain, messages.plain.type === 'shorthand_property_identifier' ? `${messages.plain.text}: ${wrapped}` : wrapped);
    }
    plan.insertAfter(statement, after);
    return {
      kind: 'conversation',
      statement,
      action: 'keep the last turns per chat',
      explanation: `The model only sees the current message for \`${session}\`, so it forgets everything said before. Keeping the last turns under \`${key.display}\` (RPUSH + LTRIM, ${this.settings.ttlLabel('conversation')}) and sending them along gives it the conversation.`,
      key: key.display,
      edits: plan.toEdits(),
    };
  }

  private cache(call: CallSite, what: 'llm' | 'embedding' | 'paid'): SiteSuggestion | undefined {
    const ctx = this.ctx;
    const scope = call.scope;
    const statement = ctx.statementOf(call.node);
    if (!statement || !ctx.standsAlone(statement)) return undefined;
    if (this.guarded(scope, 'cache')) return undefined;
    // JSON keeps a JavaScript result's fields; in Python only plain data (an embedding list) round-trips.
    const span = this.resultSpan(call, statement, !this.python || (what === 'embedding' && /langchain/.test(llmCall(this.ctx.resolver.qualify(call.callee, scope)) ?? '')));
    if (!span) return undefined;
    if (this.hasMultilineString(span.first, span.last)) return undefined;
    const access = memoryAccessAt(ctx, scope, statement);
    if (!access) return undefined;
    const plan = new EditPlan(ctx);
    plan.useClient(access);
    const code = this.code(access);
    const q = code.q;
    const ttl = durationExpression(this.settings.ttlSeconds('cache'));
    const inputs = this.inputsOf(call);
    const digest = ctx.freshName(this.python ? 'input_digest' : 'inputDigest');
    const keyName = ctx.freshName(this.python ? 'cache_key' : 'cacheKey');
    const key = code.key('cache', [{ expression: digest }]);
    const value = span.valueName;
    const lines: CodeLine[] = [];
    if (this.python) {
      plan.require('hashlib');
      plan.require('json');
      const cached = ctx.freshName(`cached_${value}`);
      const open = code.open();
      lines.push(line(0, `# Workflow memory: the same inputs give the same answer; reuse it for ${this.settings.ttlLabel('cache')}.`));
      lines.push(line(0, `${digest} = hashlib.sha256(json.dumps([${inputs.join(', ')}], sort_keys=True, default=str).encode()).hexdigest()`));
      lines.push(...open.lines);
      lines.push(line(open.depth, `${keyName} = ${key.code}`));
      lines.push(line(open.depth, `${cached} = ${code.call('get', [keyName])}`));
      lines.push(line(0, `if ${cached} is not None:`));
      lines.push(line(1, `${value} = json.loads(${cached})`));
      lines.push(line(0, 'else:'));
      lines.push(...plan.reindented(span.first, span.last, 1));
      lines.push(...open.lines.map((l) => line(l.depth + 1, l.text)));
      lines.push(line(open.depth + 1, code.setWithExpiry(keyName, `json.dumps(${value})`, ttl)));
    } else {
      const createHash = plan.createHash;
      lines.push(line(0, `// Workflow memory: the same inputs give the same answer; reuse it for ${this.settings.ttlLabel('cache')}.`));
      lines.push(line(0, `const ${digest} = ${createHash}(${q}sha256${q}).update(JSON.stringify([${inputs.join(', ')}])).digest(${q}hex${q});`));
      lines.push(line(0, `const ${keyName} = ${key.code};`));
      lines.push(line(0, `let ${value} = JSON.parse((${code.call('get', [keyName])}) ?? ${q}null${q});`));
      lines.push(line(0, `if (${value} === null) {`));
      lines.push(...plan.reindented(span.first, span.last, 1, [{ node: span.declaration, text: `${value} = ${span.valueText};` }]));
      lines.push(line(1, `${code.setWithExpiry(keyName, `JSON.stringify(${value})`, ttl)};`));
      lines.push(line(0, '}'));
    }
    plan.replaceLines(span.first, span.last, lines);
    const noun = what === 'embedding' ? 'embedding' : what === 'paid' ? 'lookup' : 'completion';
    return {
      kind: 'cache',
      statement,
      action: `reuse the ${noun} for the same inputs`,
      explanation: `This ${what === 'paid' ? 'paid lookup' : what === 'embedding' ? 'embedding call' : 'deterministic model call'} is made again whenever the workflow sees the same ${inputs.length ? inputs.map((i) => `\`${i}\``).join(', ') : 'inputs'}. Keeping the result under \`${key.display}\` (a SHA-256 of the inputs, ${this.settings.ttlLabel('cache')}) saves the time and the cost.`,
      key: key.display,
      edits: plan.toEdits(),
    };
  }

  /** The statements that make the call and pull the value out of its result. */
  private resultSpan(call: CallSite, statement: Node, resultIsData: boolean): { first: Node; last: Node; valueName: string; valueText: string; declaration: Node } | undefined {
    const target = this.assignmentTarget(statement);
    if (!target || target.type !== 'identifier') return undefined;
    const value = this.assignmentValue(statement);
    if (!value) return undefined;
    const outer = outermostChain(call.node);
    const direct = outer.equals(call.node) || outer.type === 'await' || outer.type === 'await_expression';
    if (!direct) return { first: statement, last: statement, valueName: target.text, valueText: value.text, declaration: statement };
    // `resp = client.embeddings.create(…)` then `vector = resp.data[0].embedding`.
    const next = statement.nextNamedSibling;
    const nextTarget = next ? this.assignmentTarget(next) : undefined;
    const nextValue = next ? this.assignmentValue(next) : undefined;
    const extracts = !!nextValue && new RegExp(`^(await\\s+)?${escapeRegExp(target.text)}\\b`).test(nextValue.text);
    if (resultIsData && !extracts) return { first: statement, last: statement, valueName: target.text, valueText: value.text, declaration: statement };
    if (!next || !nextTarget || nextTarget.type !== 'identifier' || !nextValue) return undefined;
    if (!new RegExp(`^(await\\s+)?${escapeRegExp(target.text)}\\b`).test(nextValue.text)) return undefined;
    const scopeText = this.ctx.scopeAt(statement).node.text;
    const rest = scopeText.slice(next.endIndex - this.ctx.scopeAt(statement).node.startIndex);
    if (new RegExp(`\\b${escapeRegExp(target.text)}\\b`).test(rest)) return undefined;
    return { first: statement, last: next, valueName: nextTarget.text, valueText: nextValue.text, declaration: next };
  }

  /** Local names the call's arguments depend on (what makes the inputs differ). */
  private inputsOf(call: CallSite): string[] {
    const names: string[] = [];
    const locals = new Set<string>();
    for (let s: Scope | undefined = call.scope; s && s.kind === 'function'; s = s.parent) {
      for (const p of s.params) locals.add(p.name);
      for (const a of s.assignments) locals.add(a.name);
      for (const l of s.loops) if (l.variable) for (const n of l.variable.text.split(/[^\w$]+/)) if (n) locals.add(n);
    }
    for (const identifier of call.args?.descendantsOfType('identifier') ?? []) {
      const parentType = identifier.parent?.type;
      if (parentType === 'keyword_argument' && identifier.parent?.childForFieldName('name')?.equals(identifier)) continue;
      if ((parentType === 'attribute' || parentType === 'member_expression') && !identifier.parent?.childForFieldName('object')?.equals(identifier)) continue;
      if (!locals.has(identifier.text) || identifier.text === 'self' || identifier.text === 'this') continue;
      // `command.text` rather than the whole `command` object.
      let chain: Node = identifier;
      while (chain.parent && (chain.parent.type === 'attribute' || chain.parent.type === 'member_expression') && chain.parent.childForFieldName('object')?.equals(chain)) {
        if (chain.parent.parent && (chain.parent.parent.type === 'call' || chain.parent.parent.type === 'call_expression') && chain.parent.parent.childForFieldName('function')?.equals(chain.parent)) break;
        chain = chain.parent;
      }
      if (!names.includes(chain.text)) names.push(chain.text);
    }
    return names;
  }

  private hasMultilineString(first: Node, last: Node): boolean {
    const text = this.ctx.facts.text.slice(first.startIndex, last.endIndex);
    return /"""|'''|`[^`]*\n[^`]*`/.test(text);
  }

  // -------------------------------------------------------------------------------------------
  // cursor: pages or polls from a fixed starting point -> remember where the last run stopped

  private cursor(call: CallSite): SiteSuggestion | undefined {
    if (this.guarded(call.scope, 'cursor')) return undefined;
    for (const candidate of this.cursorArguments(call)) {
      const suggestion = this.cursorAt(call, candidate.name, candidate.value);
      if (suggestion) return suggestion;
    }
    return undefined;
  }

  private cursorAt(call: CallSite, name: string, argument: Node): SiteSuggestion | undefined {
    const ctx = this.ctx;
    const scope = call.scope;
    // `since.isoformat()` / `since.toISOString()`: the starting point is the variable.
    let value = argument;
    if ((value.type === 'call' || value.type === 'call_expression') && /^[A-Za-z_$][\w$]*\.(isoformat|strftime|timestamp|toISOString|getTime|valueOf)\(/.test(value.text)) {
      const receiver = value.childForFieldName('function')?.childForFieldName('object');
      if (receiver?.type === 'identifier') value = receiver;
    }
    // Where the starting point is written: an assignment in this function, a module constant, or inline.
    let init: Node = value;
    let statement = ctx.statementOf(call.node);
    let reassignedAt: Node | undefined;
    let declarator: Node | undefined;
    const isName = value.type === 'identifier' || value.type === 'shorthand_property_identifier';
    if (isName) {
      const local = scope.assignments.filter((a) => a.name === value.text);
      const first = local.find((a) => a.node.startIndex < call.node.startIndex);
      if (first) {
        if (!first.value) {
          if (first.node.type !== 'variable_declarator') return undefined;
          declarator = first.node;
        } else init = first.value;
        statement = ctx.statementOf(first.node);
        const later = local.find((a) => a !== first && scope.loops.some((l) => l.node.startIndex <= a.node.startIndex && a.node.endIndex <= l.node.endIndex));
        reassignedAt = later ? ctx.statementOf(later.node) : undefined;
      } else {
        const constant = ctx.facts.module.assignments.find((a) => a.name === value.text);
        if (!constant?.value || !/^[A-Z_][A-Z0-9_]*$/.test(value.text)) return undefined;
        init = value;
        if (!isFixedStart(constant.value.text)) return undefined;
      }
    }
    if (!statement || !ctx.standsAlone(statement)) return undefined;
    const initText = declarator ? 'undefined' : init.text;
    if (init !== value || declarator) {
      if (!declarator && !isFixedStart(initText)) return undefined;
    } else if (!isFixedStart(initText) && !isName) return undefined;
    const pageShape = !!reassignedAt;
    if (!pageShape && !SINCE_PARAMS.test(name)) return undefined;
    if (!pageShape && /^(None|null|undefined|0|1)$/.test(initText)) return undefined;
    if (reassignedAt && !ctx.standsAlone(reassignedAt)) return undefined;
    const access = memoryAccessAt(ctx, scope, statement);
    if (!access) return undefined;
    const plan = new EditPlan(ctx);
    plan.useClient(access);
    const code = this.code(access);
    const ttl = durationExpression(this.settings.ttlSeconds('cursor'));
    const key = code.key('cursor', [{ literal: kebab(name) }]);
    const keyName = ctx.freshName(this.python ? 'cursor_key' : 'cursorKey');
    const stored = ctx.freshName(this.python ? `stored_${snake(name)}` : `stored${name[0].toUpperCase()}${name.slice(1)}`);
    const before: CodeLine[] = [];
    const open = code.open();
    const variable = isName ? value.text : name;
    before.push(line(0, this.python ? `# Workflow memory: start from where the last run stopped.` : `// Workflow memory: start from where the last run stopped.`));
    before.push(...open.lines);
    if (this.python) {
      before.push(line(open.depth, `${keyName} = ${key.code}`));
      before.push(line(open.depth, `${stored} = ${code.call('get', [keyName])}`));
    } else {
      before.push(line(0, `const ${keyName} = ${key.code};`));
      before.push(line(0, `const ${stored} = ${code.call('get', [keyName])};`));
    }
    const numeric = /^-?\d+(\.\d+)?$/.test(initText);
    let restored: string;
    if (pageShape) {
      restored = this.python
        ? numeric ? `int(${stored}) if ${stored} is not None else ${initText}` : `${stored} if ${stored} is not None else ${initText}`
        : numeric ? `${stored} !== null ? Number(${stored}) : ${initText}` : `${stored} ?? ${initText}`;
      const save: CodeLine[] = [];
      // A page number is always there; a page token is missing after the last page.
      if (this.python) {
        const depth = numeric ? 0 : 1;
        if (!numeric) save.push(line(0, `if ${variable} is not None:`));
        save.push(...open.lines.map((l) => line(l.depth + depth, l.text)));
        save.push(line(open.depth + depth, code.setWithExpiry(keyName, numeric ? `str(${variable})` : variable, ttl)));
      } else if (numeric) {
        save.push(line(0, `${code.setWithExpiry(keyName, `String(${variable})`, ttl)};`));
      } else {
        save.push(line(0, `if (${variable} !== undefined && ${variable} !== null) ${code.setWithExpiry(keyName, `String(${variable})`, ttl)};`));
      }
      plan.insertAfter(reassignedAt!, save);
    } else {
      const now = this.nowFor(initText, plan);
      if (!now) return undefined;
      restored = now.restore(stored, initText);
      if (this.python) before.push(line(open.depth, code.setWithExpiry(keyName, now.value, ttl)));
      else before.push(line(0, `${code.setWithExpiry(keyName, now.value, ttl)};`));
    }
    plan.insertBefore(statement, before);
    if (declarator) {
      plan.insertAt(declarator.endPosition.row, declarator.endPosition.column, ` = ${restored}`);
    } else {
      const replacement = init === value && !pageShape ? `(${restored})` : restored;
      plan.replace(init, value.type === 'shorthand_property_identifier' && init === value ? `${value.text}: ${replacement}` : replacement);
    }
    return {
      kind: 'cursor',
      statement,
      action: 'resume where the last run stopped',
      explanation: pageShape
        ? `Every run pages through \`${name}\` from the same starting point (\`${shorten(initText)}\`), reading again what earlier runs already processed. Remembering the last \`${name}\` under \`${key.display}\` (${this.settings.ttlLabel('cursor')}) lets the next run continue from there.`
        : `Every run asks for items \`${name}\` a fixed point (\`${shorten(initText)}\`), so it either misses items or repeats them. Remembering when the last run started under \`${key.display}\` (${this.settings.ttlLabel('cursor')}) makes the next run ask only for what is new.`,
      key: key.display,
      edits: plan.toEdits(),
    };
  }

  private cursorArguments(call: CallSite): Array<{ name: string; value: Node }> {
    if (!call.args || !CURSOR_WORDS.test(call.args.text)) return [];
    const { keywords, positional } = splitArguments(call.args);
    const candidates: Array<{ name: string; value: Node }> = [];
    for (const [name, value] of keywords) candidates.push({ name, value });
    const containers = [...positional, ...keywords.values()].filter((n) => n.type === 'dictionary' || n.type === 'object');
    for (const container of containers) {
      for (const pair of container.namedChildren) {
        if (pair.type === 'pair') {
          const keyNode = pair.childForFieldName('key');
          const value = pair.childForFieldName('value');
          if (!keyNode || !value) continue;
          const name = keyNode.text.replace(/^['"]|['"]$/g, '');
          if (value.type === 'object' || value.type === 'dictionary') {
            for (const inner of value.namedChildren) {
              const innerKey = inner.childForFieldName('key');
              const innerValue = inner.childForFieldName('value');
              if (inner.type === 'pair' && innerKey && innerValue) candidates.push({ name: innerKey.text.replace(/^['"]|['"]$/g, ''), value: innerValue });
              if (inner.type === 'shorthand_property_identifier') candidates.push({ name: inner.text, value: inner });
            }
          } else candidates.push({ name, value });
        } else if (pair.type === 'shorthand_property_identifier') {
          candidates.push({ name: pair.text, value: pair });
        }
      }
    }
    // `f"{base}/orders?since={since}"` / `` `…?created_after=${createdAfter}` ``
    for (const argument of positional.filter((p) => p.type === 'string' || p.type === 'template_string')) {
      for (const part of argument.namedChildren) {
        if (part.type !== 'interpolation' && part.type !== 'template_substitution') continue;
        const before = this.ctx.facts.text.slice(argument.startIndex, part.startIndex);
        const name = /[?&](\w+)=$/.exec(before)?.[1];
        const expression = part.namedChildren[0];
        if (name && expression) candidates.push({ name, value: expression });
      }
    }
    return candidates
      .filter((c) => PAGE_PARAMS.test(c.name) || SINCE_PARAMS.test(c.name))
      .map((c) => ({ name: c.name, value: c.value.type === 'parenthesized_expression' ? (c.value.namedChildren[0] ?? c.value) : c.value }));
  }

  private nowFor(initText: string, plan: EditPlan): { value: string; restore: (stored: string, original: string) => string } | undefined {
    const q = this.ctx.quote;
    if (this.python) {
      const now = /((?:[\w]+\.)*\w+)\.(now|utcnow)\(([^()]*)\)/.exec(initText);
      if (now) {
        return { value: `${now[0]}.isoformat()`, restore: (s, o) => `${now[1]}.fromisoformat(${s}) if ${s} else ${o}` };
      }
      if (/^\d+$|\btime\.time\(\)/.test(initText)) {
        plan.require('time');
        return { value: 'int(time.time())', restore: (s, o) => `int(${s}) if ${s} else ${o}` };
      }
      if (/^[rbuf]?['"]/.test(initText) || /^[A-Z_][A-Z0-9_]*$/.test(initText)) {
        plan.require('time');
        return { value: `time.strftime(${q}%Y-%m-%dT%H:%M:%SZ${q}, time.gmtime())`, restore: (s, o) => `${s} or ${o}` };
      }
      return undefined;
    }
    if (/\bnew Date\(/.test(initText) && !/\.(toISOString|getTime)\(\)/.test(initText)) {
      return { value: 'new Date().toISOString()', restore: (s, o) => `${s} ? new Date(${s}) : ${o}` };
    }
    if (/Date\.now\(\)|^\d+$|\.getTime\(\)/.test(initText)) {
      const seconds = /\/\s*1000/.test(initText);
      return { value: seconds ? 'String(Math.floor(Date.now() / 1000))' : 'String(Date.now())', restore: (s, o) => `${s} ? Number(${s}) : ${o}` };
    }
    if (/^['"`]/.test(initText) || /\.toISOString\(\)/.test(initText) || /^[A-Z_][A-Z0-9_]*$/.test(initText)) {
      return { value: 'new Date().toISOString()', restore: (s, o) => `${s} ?? ${o}` };
    }
    return undefined;
  }

  // -------------------------------------------------------------------------------------------
  // preference: reads a user's setting from the request/message and forgets it

  private preference(assignmentNode: Node, value: Node | undefined, scope: Scope): SiteSuggestion | undefined {
    const ctx = this.ctx;
    if (!value || scope.kind !== 'function') return undefined;
    const read = this.preferenceRead(value, scope);
    if (!read) return undefined;
    const user = this.idInScope(scope, USER_ORDER);
    if (!user) return undefined;
    if (this.guarded(scope, 'preference')) return undefined;
    const statement = ctx.statementOf(assignmentNode);
    if (!statement || !ctx.standsAlone(statement)) return undefined;
    const access = memoryAccessAt(ctx, scope, statement);
    if (!access) return undefined;
    const plan = new EditPlan(ctx);
    plan.useClient(access);
    const code = this.code(access);
    const q = code.q;
    const ttl = durationExpression(this.settings.ttlSeconds('preference'));
    const key = code.key('preferences', [{ expression: user }]);
    const keyName = ctx.freshName(this.python ? 'preferences_key' : 'preferencesKey');
    const remembered = ctx.freshName(this.python ? `remembered_${snake(read.field)}` : `remembered${read.field[0].toUpperCase()}${read.field.slice(1)}`);
    const field = `${q}${read.field}${q}`;
    const lines: CodeLine[] = [];
    if (this.python) {
      const open = code.open();
      lines.push(line(0, `# Workflow memory: remember the user's ${read.field} for next time.`));
      lines.push(...open.lines);
      lines.push(line(open.depth, `${keyName} = ${key.code}`));
      lines.push(line(open.depth, `if ${read.base}:`));
      lines.push(line(open.depth + 1, code.call('hset', [keyName, field, read.base])));
      lines.push(line(open.depth + 1, code.call('expire', [keyName, ttl])));
      lines.push(line(open.depth, `${remembered} = ${code.call('hget', [keyName, field])}`));
      plan.replace(value, `${read.base} or ${remembered}${read.fallback ? ` or ${read.fallback}` : ''}`);
    } else {
      lines.push(line(0, `// Workflow memory: remember the user's ${read.field} for next time.`));
      lines.push(line(0, `const ${keyName} = ${key.code};`));
      lines.push(line(0, `if (${read.base}) {`));
      lines.push(line(1, `${code.call('hset', [keyName, field, read.base])};`));
      lines.push(line(1, `${code.call('expire', [keyName, ttl])};`));
      lines.push(line(0, '}'));
      lines.push(line(0, `const ${remembered} = ${code.call('hget', [keyName, field])};`));
      plan.replace(value, `${read.base} ?? ${remembered}${read.fallback ? ` ?? ${read.fallback}` : ''}`);
    }
    plan.insertBefore(statement, lines);
    return {
      kind: 'preference',
      statement,
      action: `remember each user's ${read.field}`,
      explanation: `The ${read.field} comes with this request only; next time \`${user}\` writes without it, the workflow falls back to ${read.fallback ? `\`${shorten(read.fallback)}\`` : 'nothing'}. Keeping it in a hash under \`${key.display}\` (${this.settings.ttlLabel('preference')}) remembers it.`,
      key: key.display,
      edits: plan.toEdits(),
    };
  }

  private preferenceRead(value: Node, scope: Scope): { base: string; fallback?: string; field: string } | undefined {
    let base = value;
    let fallback: string | undefined;
    const text = value.text;
    if (/\n/.test(text)) return undefined;
    // `x or "en"` / `x ?? 'en'` / `x || 'en'`
    if ((value.type === 'boolean_operator' || value.type === 'binary_expression') && /^(or|\?\?|\|\|)$/.test(value.child(1)?.text ?? '')) {
      base = value.child(0)!;
      fallback = value.child(2)?.text;
    }
    let field: string | undefined;
    let root: string | undefined;
    let baseText = base.text;
    const getCall = /^(([\w.]+?))\.get\(\s*(['"])(\w+)\3\s*(?:,\s*([^()]+))?\)$/.exec(baseText);
    const getattrCall = /^getattr\(\s*([\w.]+)\s*,\s*(['"])(\w+)\2\s*(?:,\s*([^()]+))?\)$/.exec(baseText);
    const subscript = /^([\w.]+)\[(['"])(\w+)\2\]$/.exec(baseText);
    const member = /^([\w.]+)\.(\w+)$/.exec(baseText);
    if (getCall) {
      root = getCall[1];
      field = getCall[4];
      if (getCall[5]) {
        fallback = getCall[5].trim();
        baseText = `${getCall[1]}.get(${getCall[3]}${field}${getCall[3]})`;
      }
    } else if (getattrCall) {
      root = getattrCall[1];
      field = getattrCall[3];
      if (getattrCall[4]) fallback = getattrCall[4].trim();
      baseText = `getattr(${root}, ${getattrCall[2]}${field}${getattrCall[2]}, None)`;
    } else if (subscript) {
      root = subscript[1];
      field = subscript[3];
    } else if (member) {
      root = member[1];
      field = member[2];
    }
    if (!field || !root || !PREFERENCE_NAMES.test(field)) return undefined;
    const rootName = root.split('.')[0];
    const isRequest = REQUEST_ROOTS.test(rootName) || (!!scope.entry && scope.params.some((p) => p.name === rootName));
    if (!isRequest) return undefined;
    return { base: baseText, fallback, field };
  }

  // -------------------------------------------------------------------------------------------
  // Shared helpers

  private code(access: MemoryAccess): MemoryCode {
    return new MemoryCode(this.ctx, access, this.settings.namespace, this.settings.workflow);
  }

  /** Redis already guards the site: a read of the kind's family in the same function. */
  private guarded(scope: Scope, kind: SuggestionKind, related: string[] = []): boolean {
    const mentions = related.map((name) => new RegExp(`(^|[^\\w$.])${escapeRegExp(name)}\\b`));
    return this.ctx.opsIn(scope).some((op) => {
      if (GUARDS[kind].test(op.command)) return true;
      if (kind === 'dedupe' && op.command === 'set' && /\bnx\b|['"]NX['"]|NX\s*:/i.test(op.call.args?.text ?? '')) return true;
      // Memory already written from this site (the page body, the item): it is handled, if not well.
      const args = op.call.args?.text ?? '';
      return mentions.some((pattern) => pattern.test(args));
    });
  }

  /** How to skip the rest of the work at `statement`: continue the loop, or return from the function. */
  private exitFrom(scope: Scope, statement: Node): string | undefined {
    const loop = scope.loops
      .filter((l) => (l.kind === 'for' || l.kind === 'while') && l.body && l.body.startIndex <= statement.startIndex && statement.endIndex <= l.body.endIndex)
      .pop();
    if (loop) return this.python ? 'continue' : 'continue;';
    if (scope.loopCallback) return this.python ? 'return' : 'return;';
    if (scope.kind === 'module') return this.python ? 'raise SystemExit(0)' : 'process.exit(0);';
    if (this.python) {
      const returnsDict = scope.returns.some((r) => r.namedChildren[0]?.type === 'dictionary') || scope.entry === 'route';
      return returnsDict ? `return {${this.ctx.quote}changed${this.ctx.quote}: False}` : 'return';
    }
    const res = scope.params.find((p) => p.name === 'res' || p.name === 'reply');
    if (res && scope.params.length >= 2) return `return ${res.name}.json({ changed: false });`;
    if (/^(GET|POST|PUT|PATCH|DELETE)$/.test(scope.name)) return 'return Response.json({ changed: false });';
    return 'return;';
  }

  private assignmentTarget(statement: Node): Node | undefined {
    if (this.python) {
      const assignment = statement.type === 'expression_statement' ? statement.namedChildren[0] : undefined;
      return assignment?.type === 'assignment' ? (assignment.childForFieldName('left') ?? undefined) : undefined;
    }
    if (statement.type === 'lexical_declaration' || statement.type === 'variable_declaration') {
      const declarators = statement.namedChildren.filter((c) => c.type === 'variable_declarator');
      return declarators.length === 1 ? (declarators[0].childForFieldName('name') ?? undefined) : undefined;
    }
    const expression = statement.type === 'expression_statement' ? statement.namedChildren[0] : undefined;
    return expression?.type === 'assignment_expression' ? (expression.childForFieldName('left') ?? undefined) : undefined;
  }

  private assignmentValue(statement: Node): Node | undefined {
    if (this.python) {
      const assignment = statement.type === 'expression_statement' ? statement.namedChildren[0] : undefined;
      return assignment?.type === 'assignment' ? (assignment.childForFieldName('right') ?? undefined) : undefined;
    }
    if (statement.type === 'lexical_declaration' || statement.type === 'variable_declaration') {
      const declarator = statement.namedChildren.find((c) => c.type === 'variable_declarator');
      return declarator?.childForFieldName('value') ?? undefined;
    }
    const expression = statement.type === 'expression_statement' ? statement.namedChildren[0] : undefined;
    return expression?.type === 'assignment_expression' ? (expression.childForFieldName('right') ?? undefined) : undefined;
  }

  /** Key parts that identify a fetched resource: a variable, the f-string's variables, or a slug of a literal URL. */
  private idParts(node: Node | undefined, fallback: string): KeyPart[] {
    if (!node) return [{ literal: fallback }];
    if (node.type === 'string' && !/\{/.test(node.text)) return [{ literal: slug(stringBody(node.text)) || fallback }];
    if (node.type === 'string' || node.type === 'template_string') {
      const expressions = node.namedChildren
        .filter((c) => c.type === 'interpolation' || c.type === 'template_substitution')
        .map((c) => c.namedChildren[0]?.text ?? '')
        .filter((t) => /^[\w$.[\]'"]+$/.test(t) && !/['"]/.test(t));
      if (expressions.length) return expressions.map((expression) => ({ expression }));
      return [{ literal: slug(stringBody(node.text)) || fallback }];
    }
    const text = node.text;
    if (text.length <= 60 && !/[\n'"`{}]/.test(text)) return [{ expression: text }];
    return [{ literal: fallback }];
  }

  /** A user/session/chat id available in the function, in the given order of preference. */
  private idInScope(scope: Scope, order: string[]): string | undefined {
    const found: Array<{ rank: number; text: string }> = [];
    const consider = (text: string, word: string): void => {
      const rank = order.findIndex((o) => word.toLowerCase().startsWith(o));
      if (rank >= 0) found.push({ rank, text });
    };
    for (let s: Scope | undefined = scope; s && s.kind === 'function'; s = s.parent) {
      for (const name of [...s.params.map((p) => p.name), ...s.assignments.map((a) => a.name)]) {
        const match = /^(\w+?)_?(id|Id|ID)$/.exec(name);
        if (match) consider(name, match[1]);
      }
    }
    // `body: ChatMessage` where the file declares ChatMessage with a `session_id` field.
    for (const param of scope.params) {
      const typeName = /^[A-Za-z_$][\w$]*$/.exec(param.typeText?.trim() ?? '')?.[0];
      if (!typeName) continue;
      for (const field of declaredFields(this.ctx.facts.text, typeName)) {
        const match = /^(\w+?)_?(id|Id|ID)$/.exec(field);
        if (match) consider(`${param.name}.${field}`, match[1]);
      }
    }
    const body = scope.node.text;
    const chains = /\b([A-Za-z_$][\w$]*(?:\.[A-Za-z_$][\w$]*)*)\.((\w+?)_?(?:id|Id))\b(?!\s*\()|\b([A-Za-z_$][\w$]*(?:\.[A-Za-z_$][\w$]*)*)\.(chat|from_user|from|author|user|sender|message\.chat)\.id\b|\b([A-Za-z_$][\w$]*)\[(['"])((\w+?)_?(?:id|Id))\7\]/g;
    for (let match = chains.exec(body); match; match = chains.exec(body)) {
      if (match[2]) consider(match[0], match[3]);
      else if (match[5]) consider(match[0], match[5].replace(/^message\./, '').replace('from_user', 'user'));
      else if (match[8]) consider(this.python ? match[0].replace(/"/g, "'") : match[0], match[9]);
    }
    // Bot handlers carry the chat and the sender in their context object.
    if (scope.entry === 'bot' || scope.callbackOf) {
      for (const param of scope.params) {
        if (param.name === 'ctx') {
          consider('ctx.chat.id', 'chat');
          consider('ctx.from.id', 'from');
        } else if (param.name === 'update' && this.python) {
          consider('update.effective_chat.id', 'chat');
          consider('update.effective_user.id', 'user');
        }
      }
    }
    found.sort((a, b) => a.rank - b.rank);
    return found[0]?.text;
  }
}

// -----------------------------------------------------------------------------------------------

/** Field names of a class / interface / type literal declared in the file (`class ChatMessage(BaseModel): session_id: str`). */
function declaredFields(text: string, typeName: string): string[] {
  const header = new RegExp(`(?:class|interface|type)\\s+${typeName}\\b[^\\n]*?(?::|\\{|=\\s*\\{)[ \\t]*\\n`).exec(text);
  if (!header) return [];
  const fields: string[] = [];
  for (const row of text.slice(header.index + header[0].length).split('\n')) {
    if (row.trim() === '') continue;
    if (!/^\s/.test(row) || /^\s*[}]/.test(row)) break;
    const field = /^\s+(?:readonly\s+)?([A-Za-z_$][\w$]*)\??\s*:/.exec(row);
    if (field) fields.push(field[1]);
  }
  return fields;
}

function childStatementIn(block: Node, node: Node): Node | undefined {
  let current: Node | null = node;
  while (current && current.parent && !current.parent.equals(block)) current = current.parent;
  return current?.parent ? current : undefined;
}

/** `requests.get(url).text` -> the whole chain around the call (attribute/await wrappers). */
function outermostChain(call: Node): Node {
  let current = call;
  while (current.parent && ['attribute', 'member_expression', 'await', 'await_expression', 'parenthesized_expression', 'subscript', 'subscript_expression', 'call', 'call_expression'].includes(current.parent.type)) {
    const parent = current.parent;
    if ((parent.type === 'call' || parent.type === 'call_expression') && !parent.childForFieldName('function')?.equals(current)) break;
    current = parent;
  }
  return current;
}

function contentType(accessor: string): 'string' | 'bytes' | 'object' | 'unknown' | undefined {
  if (/^\.(text|text\(\))/.test(accessor)) return 'string';
  if (/^\.(content|read\(\))/.test(accessor)) return 'bytes';
  if (/^\.json/.test(accessor)) return 'object';
  if (/^\.(data|body)/.test(accessor)) return 'unknown';
  return undefined;
}

function replyExpression(api: LlmApi, result: string, python: boolean): string {
  switch (api) {
    case 'openai-responses':
      return `${result}.output_text`;
    case 'anthropic':
      return python ? `${result}.content[0].text` : `${result}.content.map((block) => ('text' in block ? block.text : '')).join('')`;
    case 'langchain':
      return `${result}.content`;
    default:
      return `${result}.choices[0].message.content`;
  }
}

function isFixedStart(text: string): boolean {
  if (/^(None|null|undefined|0|1|True|False)$/.test(text)) return true;
  if (/^-?\d+(\.\d+)?$/.test(text)) return true;
  if (/^[rbuf]?(['"`])[^'"`{}$]*\1$/.test(text)) return true;
  if (/\b(now|utcnow|Date\.now|time\.time|timedelta|new Date|today)\b/.test(text) && !/\b(get|load|read|fetch|redis|state|db)\b/i.test(text)) return true;
  return false;
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

function shorten(text: string): string {
  const single = text.replace(/\s+/g, ' ');
  return single.length > 48 ? `${single.slice(0, 45)}…` : single;
}

function stringBody(text: string): string {
  return text.replace(/^[rRbBuUfF]*(['"`]{1,3})/, '').replace(/(['"`]{1,3})$/, '');
}

export function kebab(name: string): string {
  return name
    .replace(/([a-z0-9])([A-Z])/g, '$1-$2')
    .replace(/[^A-Za-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .toLowerCase();
}

function snake(name: string): string {
  return kebab(name).replace(/-/g, '_');
}

function slug(url: string): string {
  return url
    .replace(/^\w+:\/\//, '')
    .replace(/[?#].*$/, '')
    .replace(/[^\w.\-/]+/g, '-')
    .replace(/\/+$/, '');
}

function singular(name: string): string {
  return name.replace(/_?(id|Id)$/, '') || name;
}
