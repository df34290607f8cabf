// The seven suggestion kinds: each recogniser finds its sites in the collected facts and writes
// the memory code for them. Sites are only looked for in code that runs as part of a workflow
// (an entry point or what it calls), and not where Redis already guards the site.

import type { Node } from 'web-tree-sitter';
import { EditPlan, line, memoryAccessAt, MemoryCode, type CodeLine, type KeyPart, type MemoryAccess } from './codegen';
import type { FileContext, RedisOp } from './context';
import { splitArguments } from './context';
import { isSecretName } from './hygiene';
import { argumentsText, callEnd, calleeText, isAwaited, patternNames, stringValue, type CallSite, type FileFacts, type Loop, type Scope } from './facts';
import { httpCall, isMessageSend, isPaidLookup, llmCall, NOTIFY_TARGET, TRACKER_CREATE, type LlmApi } from './libraries';
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

/** A paging or polling argument: its name, its value, and where it was written when not in the call itself. */
interface CursorCandidate {
  name: string;
  value: Node;
  /** A lower bound on a time field (`created={"gte": …}`, `created_at_i>…`). */
  since?: boolean;
  /** The assignment that built the URL or query the call uses. */
  site?: Node;
}

/** `created_at_min`, `updatedAfter`, `modified_since`: a time field's lower bound. */
const SINCE_SHAPE = /^(created|updated|modified|changed|inserted)(_?at)?_?(min|after|since|gte|gt|from|start)$/i;
const TIME_FIELD = /^(created|updated|modified|changed|inserted|date|time|timestamp)|(_at|_at_i|_time|_date|At|Time|Date)$/;
const LOWER_BOUND = /^\$?(gte|gt|after|from|min|since|start)$/i;

/** Endpoints that compute a deterministic answer from their input, billed or slow: worth caching. */
/** Signs of a verified incoming webhook delivery in a handler's body. */
const INCOMING_WEBHOOK = /signature|constructEvent|hmac|x-github-delivery|x-shopify|webhooks?\.(construct|verify)/i;
/** A JavaScript template literal, `${…}` substitutions included. */
const TEMPLATE_LITERAL = /`(?:\\[\s\S]|\$\{[^}]*\}|[^`\\])*`/g;
const PAID_ENDPOINT = /translat|geocod|enrich|embedding|classif|summari[sz]|sentiment|moderation|transcri|lookup|detect-?language|reverse-?geo|places\/|distancematrix/i;
/** Request arguments that carry the query (not headers, auth or timeouts). */
const QUERY_ARGUMENTS = /^(params|json|data|body|searchParams|query|qs|form|files)$/;
/** Ids that say the function answers someone in a chat, not that it builds a report. */
const CHAT_ORDER = ['chat', 'sender', 'from', 'conversation', 'thread', 'session'];
/** A query limited to a recent window relative to now (`?days=7`, `window: '24h'`). */
const TIME_WINDOW = /[?&](days|hours|weeks|window|period|last)=|\b(days|hours|weeks|window|period)['"]?\s*[:=]/;
/** An item id that names who gets a message, not what it is about. */
const RECIPIENT = /^(number|phone|phone_number|phoneNumber|email|member|subscriber|recipient|to|address|contact|channel|chat_id|chatId|user|user_id|userId)$|(\.|\[['"])(email|e_mail|phone|phone_number|phoneNumber|chat_id|chatId|user_id|userId|channel_id|channelId)(['"]\])?$/;
const ID_FIELDS = ['id', 'guid', 'uid', 'uuid', 'message_id', 'messageId', 'email', 'url', 'link', 'key', 'slug', 'sku', 'number', 'phone', 'chat_id', 'chatId', 'user_id', 'userId'];
const SESSION_ORDER = ['session', 'conversation', 'thread', 'chat', 'user', 'visitor', 'member', 'customer', 'sender', 'contact', 'channel', 'author', 'from'];
const USER_ORDER = ['user', 'from', 'sender', 'visitor', 'member', 'customer', 'author', 'contact', 'chat', 'session', 'conversation', 'thread', 'channel'];
/** Settings a chat command sets besides the usual preferences (`/standup-time 09:30`). */
const COMMAND_SETTING_NAMES = /^(time|remind_at|remindAt|reminder_time|reminderTime|hour|frequency|schedule|format)$/;
const PREFERENCE_NAMES = /^(language|lang|locale|language_code|languageCode|timezone|time_zone|timeZone|tz|units|unit|tone|currency|date_format|dateFormat|temperature_unit|temperatureUnit|voice|style|theme|country|region)$/;
const REQUEST_ROOTS = /^(req|request|body|payload|data|message|msg|update|event|ctx|params|query|form|input|evt|args|settings|prefs|options|job)$/;
/** A statement that closes a client or releases a lock (`await redis.quit();`, `r.close()`). */
const CLEANUP_STATEMENT = /^(await\s+)?[\w$.]+\.(quit|close|aclose|disconnect|release|unlock)\(\)\s*;?$/;
/** A module dict or Map named for a user's setting (`DIETS`, `speciesBySession`, `lang_by_user`). */
/** Loop variables named for a value that is text or a number (a URL, a phone number, an id). */
const SCALAR_ITEM = /(url|link|phone|number|email|id|ids|key|slug|sku|code|channel|address|name|token|hash|path|date|day)$/i;
const IN_PROCESS_SETTING = /lang|locale|timezone|tz|unit|diet|species|level|pref|setting|mode|region|zone|currency|tone|voice|city|theme|style|^(?!.*(histor|message|thread|conversation|cart|count|seen|sent|cache|lock)).*(By|_by_|_BY_)(user|member|sender|chat|customer|phone)/i;
/** A key that names who the setting belongs to. */
const IN_PROCESS_ID = /(_id|Id|ID)\b|\bid\b|user|chat|session|sender|from|phone/;

/** A user's setting stored in this process: where, under which id, and the expression that holds it after the store. */
interface InProcessStore {
  container: string;
  key: Node;
  value: Node;
  statement: Node;
  /** The hash field: the setting's name. */
  field: string;
  /** Who it belongs to, as an expression at the store (`chat_id`, `update.effective_user.id`). */
  id: string;
  /** The stored value, read back after the store (`DIETS[chat_id]`, `context.user_data["home_stop"]`). */
  stored: string;
  /** python-telegram-bot's per-user or per-chat dict. */
  userData?: 'user' | 'chat';
}
const REPORT_ACCUMULATOR = /report|summary|digest|lines|rows|entries|bullets|body|message|text|html|markdown|md|content|output|table|sections|parts|blocks/i;
const PAGE_PARAMS = /^(cursor|page_token|pageToken|next_token|nextToken|starting_after|startingAfter|start_after|startAfter|after|offset|page|next_cursor|nextCursor|continuation|marker|since_id|sinceId|min_id|minId|last_id|lastId)$/;
const SINCE_PARAMS = /^(since|since_(timestamp|time|date|datetime)|since(Timestamp|Time|Date|DateTime)|updated_since|updatedSince|updated_after|updatedAfter|modified_since|modifiedSince|created_after|createdAfter|start_date|startDate|from_date|fromDate|oldest|min_date|minDate|start_time|startTime|begin_time|beginTime|after|since_date|sinceDate|timeMin|time_min)$/;

/** Any cursor-like parameter name in a call's text (a cheap test before looking closer). */
const CURSOR_WORDS = /cursor|token|after|offset|page|since|marker|continuation|_id|Id\b|start|from|oldest|min|time/i;
/**
 * Text that every cursor candidate taken from a call's own arguments contains: a name matching
 * PAGE_PARAMS, SINCE_PARAMS or SINCE_SHAPE (all covered by CURSOR_WORDS plus `gt`), a LOWER_BOUND
 * key (`gte`, `$gt`, `after`…), or a `field>` bound in a URL. No match means no candidate there.
 */
/** Callees that work in the process (builtins, logging, strings, collections, dates): no page or cursor there. */
const IN_PROCESS_CALLEE = /^(print|len|str|int|float|bool|list|dict|set|tuple|sorted|range|enumerate|zip|isinstance|min|max|sum|any|all|round|abs|repr|getattr|hasattr|setattr|open|String|Number|Boolean|Array\.\w+|Object\.\w+|JSON\.\w+|Math\.\w+|parseInt|parseFloat|console\.\w+|(logger|logging|log|json|re|math|os\.path|os\.environ)\.\w+|.+\.(append|extend|push|pop|join|split|strip|lstrip|rstrip|trim|replace|lower|upper|toLowerCase|toUpperCase|startswith|endswith|startsWith|endsWith|includes|format|toString|toFixed|toISOString|isoformat|strftime|encode|decode|hexdigest|digest|info|debug|warning|warn|error|exception))$/;
const CURSOR_ARGUMENT_HINT = new RegExp(`${CURSOR_WORDS.source}|gt|>`, 'i');

export class SuggestionFinder {
  private readonly python: boolean;
  private readonly results: SiteSuggestion[] = [];
  private readonly usedStatements = new Set<string>();
  /** One snapshot per function; the fetches a snapshot covers are not change-detection sites too. */
  private readonly snapshotScopes = new Set<Scope>();
  private readonly snapshotFetches = new Set<number>();
  /** Module dicts and Maps named for a user's setting (inProcessStores). */
  private settingContainers: Set<string> | undefined;
  /** Loops over watches or recipients that each get a snapshot report: what they send is that report. */
  private readonly reportLoops = new Set<number>();
  private readonly preferenceScopes = new Set<Scope>();
  /** cursorArguments() per call: change-detection and cursor both ask. */
  private readonly cursorCandidates = new Map<CallSite, CursorCandidate[]>();
  private readonly scopeCursorSources = new Map<Scope, Set<string>>();

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
    // Reports first: the fetch a report is built from is a snapshot site, not a change-detection one.
    for (const scope of ctx.facts.scopes) {
      if (!ctx.reachable.has(scope)) continue;
      for (const loop of scope.loops) this.attempt('snapshot-diff', () => this.snapshotDiff(loop, scope));
      if (scope.loopCallback) this.attempt('snapshot-diff', () => this.snapshotDiff(scope.loopCallback!, scope.parent ?? scope));
    }
    for (const call of ctx.facts.calls) {
      if (!ctx.reachable.has(call.scope)) continue;
      const path = ctx.resolver.qualify(call.callee, call.scope);
      const http = httpCall(path);
      const verb = http && !call.isNew ? this.httpVerb(call, http.verb) : undefined;
      const lookup = verb === 'get' || verb === 'post' ? this.httpLookup(call) : undefined;
      if (lookup === 'paid') this.attempt('cache', () => this.cache(call, 'paid'));
      else if (verb === 'get' && !lookup && !this.snapshotFetches.has(call.node.id)) {
        const found = this.attempt('change-detection', () => this.changeDetection(call));
        // What a loop sends after fetching is news when the content changed: remembering who was
        // told would silence every later change, so such a loop gets no dedupe suggestion.
        if (found) for (const loop of call.loops) loopsWithDedupe.add(loop.node.id);
      }
      if (lookup !== 'paid' && (isMessageSend(path) || (verb === 'post' && this.postsToNotifier(call)))) {
        this.attempt('dedupe', () => this.dedupe(call, loopsWithDedupe));
      }
      const llm = llmCall(path);
      if (llm) this.llm(call, llm);
      else if (isPaidLookup(path)) this.attempt('cache', () => this.cache(call, 'paid'));
      this.attempt('cursor', () => this.cursor(call));
    }
    for (const scope of ctx.facts.scopes) {
      if (!ctx.reachable.has(scope)) continue;
      for (const assignment of scope.assignments) this.attempt('preference', () => this.preference(assignment.node, assignment.value, scope));
      this.attempt('preference', () => this.inProcessPreference(scope));
    }
    // After the same-handler case: a setting stored by one handler and read by another.
    for (const scope of ctx.facts.scopes) {
      if (ctx.reachable.has(scope)) this.attempt('preference', () => this.crossHandlerPreference(scope));
    }
    return this.results.sort((a, b) => a.statement.startIndex - b.statement.startIndex);
  }

  /** Adds the suggestion build() makes, if its kind is on; true when one was added. */
  private attempt(kind: SuggestionKind, build: () => SiteSuggestion | undefined): boolean {
    if (!this.settings.enabled(kind)) return false;
    const suggestion = build();
    if (!suggestion) return false;
    const id = `${kind}@${suggestion.statement.startIndex}`;
    if (this.usedStatements.has(id)) return false;
    this.usedStatements.add(id);
    this.results.push(suggestion);
    return true;
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
    if (this.drivesFurtherFetches(scope, content.expression)) return undefined;
    const responseName = content.inlineRead ? undefined : /^[\w$]+/.exec(content.expression)?.[0];
    const fetchTarget = this.assignmentTarget(fetchStatement)?.text;
    // A body read inline is read where it is used: the check goes before that statement.
    const anchor = content.inlineRead ? content.statement : this.afterStatusCheck(content.statement, [responseName ?? '', fetchTarget ?? '']);
    if (!ctx.standsAlone(anchor)) return undefined;
    if (this.guarded(scope, 'change-detection', [responseName ?? '', fetchTarget ?? ''].filter((n) => /^[\w$]+$/.test(n)))) return undefined;
    const writer = this.writerAt('change-detection', scope, anchor);
    if (!writer) return undefined;
    const exit = this.exitFrom(scope, anchor);
    if (!exit) return undefined;
    // Nothing costly follows (the content only lands in a module variable, `facts = await res.text()`): nothing to skip.
    if (!this.workFollows(scope, fetchStatement, [responseName ?? '', fetchTarget ?? ''])) return undefined;
    // A helper that hands back what it read (`return [… for study in resp.json()[…]]`): leaving early
    // would hand its caller nothing, and the caller's digest would lose the source.
    if (!scope.entry && this.returnsCollection(scope)) return undefined;
    const { plan, code, ttl } = writer;
    const urlNode = this.urlArgument(call);
    const keyParts = this.idParts(urlNode, 'page');
    // In a loop over sources, one fixed key would be shared by every page the loop reads.
    if (call.loops.some((l) => l.kind === 'for' || l.kind === 'callback') && keyParts.every((part) => part.expression === undefined)) return undefined;
    const key = code.key('page-hash', keyParts);
    const digestName = ctx.freshName(this.python ? 'page_digest' : 'pageDigest');
    const keyName = ctx.freshName(this.python ? 'page_key' : 'pageKey');
    const lines: CodeLine[] = [];
    // The new hash is remembered once the work on the page is done: if it fails, the next run acts
    // on the change again instead of finding it "unchanged".
    const workEnd = this.workEnd(scope, anchor);
    let saveLater: CodeLine[] | undefined;
    if (this.python) {
      const hashlib = plan.stdlib('hashlib');
      let hashed = `${content.expression}.encode()`;
      if (content.type === 'bytes') hashed = content.expression;
      if (content.type === 'object') hashed = `${plan.stdlib('json')}.dumps(${content.expression}, sort_keys=True, default=str).encode()`;
      lines.push(line(0, `# Workflow memory: skip the work below when the page has not changed since the last run.`));
      lines.push(line(0, `${digestName} = ${hashlib}.sha256(${hashed}).hexdigest()`));
      const open = code.open();
      lines.push(...open.lines);
      lines.push(line(open.depth, `${keyName} = ${key.code}`));
      // A client made without decode_responses=True answers bytes: b"…" == "…" would never skip.
      const stored = code.access.decodes === false ? `in (${digestName}, ${digestName}.encode())` : `== ${digestName}`;
      lines.push(line(open.depth, `if ${code.call('get', [keyName])} ${stored}:`));
      // Unchanged: still remembered after the expiry, or a quiet page would look new once a month.
      lines.push(line(open.depth + 1, code.call('expire', [keyName, ttl])));
      lines.push(line(open.depth + 1, exit));
      const save = [...open.lines, line(open.depth, code.setWithExpiry(keyName, digestName, ttl))];
      if (workEnd) saveLater = save;
      else lines.push(save[save.length - 1]);
    } else {
      const createHash = plan.createHash;
      const input = content.type === 'string' ? content.expression : content.type === 'object' ? `JSON.stringify(${content.expression})` : `typeof ${content.expression} === 'string' ? ${content.expression} : JSON.stringify(${content.expression})`;
      if (content.inlineRead) lines.push(line(0, `const ${content.expression} = ${content.inlineRead.text};`));
      lines.push(line(0, `// Workflow memory: skip the work below when the page has not changed since the last run.`));
      lines.push(line(0, `const ${digestName} = ${createHash}(${code.q}sha256${code.q}).update(${input}).digest(${code.q}hex${code.q});`));
      lines.push(line(0, `const ${keyName} = ${key.code};`));
      lines.push(line(0, `if ((${code.call('get', [keyName])}) === ${digestName}) {`));
      lines.push(line(1, `${code.call('expire', [keyName, ttl])};`));
      lines.push(line(1, exit));
      lines.push(line(0, '}'));
      const save = [line(0, `${code.setWithExpiry(keyName, digestName, ttl)};`)];
      if (workEnd) saveLater = save;
      else lines.push(...save);
    }
    if (content.inlineRead) {
      plan.insertBefore(anchor, lines);
      plan.replace(content.inlineRead, content.expression);
    } else {
      plan.insertAfter(anchor, lines);
    }
    if (workEnd && saveLater) {
      if (workEnd.before) plan.insertBefore(workEnd.statement, saveLater);
      else plan.insertAfter(workEnd.statement, saveLater);
    }
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

  /**
   * `statement`, or the status check on the response that directly follows it
   * (`resp.raise_for_status()`, `if (!res.ok) throw …`): the hash goes after it, so an error page is never remembered.
   */
  private afterStatusCheck(statement: Node, responseNames: string[]): Node {
    const names = responseNames.filter((name) => /^[A-Za-z_$][\w$]*$/.test(name)).map(escapeRegExp);
    let next = statement.nextNamedSibling;
    while (next?.type === 'comment') next = next.nextNamedSibling;
    if (!next || names.length === 0) return statement;
    const response = `(${names.join('|')})`;
    const check = this.python
      ? new RegExp(`^(await\\s+)?${response}\\.raise_for_status\\(\\)$|^if\\s+(not\\s+${response}\\.(ok|is_success)\\b|${response}\\.status(_code)?\\s*[!<>=])`)
      : new RegExp(`^if\\s*\\(\\s*(!\\s*${response}\\.ok\\b|${response}\\.status\\s*[!<>=])`);
    return check.test(next.text) && this.ctx.standsAlone(next) ? next : statement;
  }

  private httpVerb(call: CallSite, verb: 'get' | 'post' | 'other'): 'get' | 'post' | 'other' {
    // fetch(url, { method: 'POST' }) / axios({ method: 'post' }) / requests.request("POST", url)
    const args = call.args?.namedChildren ?? [];
    for (const arg of args) {
      const argType = arg.type;
      const method = /\bmethod\s*[:=]\s*['"`](\w+)['"`]/i.exec(argType === 'object' || argType === 'keyword_argument' ? arg.text : '');
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
  private contentOf(call: CallSite, fetchStatement: Node): PageContent | undefined {
    const ctx = this.ctx;
    const scope = call.scope;
    // `html = requests.get(url).text` / `const { data } = await axios.get(url)` in one statement.
    const direct = this.assignmentTarget(fetchStatement);
    let outer = outermostChain(call.node);
    // `await got(url).text()`: the accessor is inside the await.
    if ((outer.type === 'await' || outer.type === 'await_expression') && outer.namedChildren[0] && !outer.namedChildren[0].equals(call.node)) outer = outer.namedChildren[0];
    if (direct && !outer.equals(call.node) && outer.type !== 'await' && outer.type !== 'await_expression') {
      const accessor = outer.text.slice(call.node.endIndex - outer.startIndex);
      const type = contentType(accessor);
      if (type && direct.type === 'identifier') return { expression: direct.text, type, statement: fetchStatement };
    }
    if (direct?.type === 'object_pattern' && httpCall(ctx.resolver.qualify(call.callee, scope))?.library.match(/axios|got/)) {
      // `{ data }` or `{ data: restaurants }`: the local the body lands in.
      const name = bodyLocal(direct);
      if (name) return { expression: name, type: 'unknown', statement: fetchStatement };
    }
    // The response variable: an assignment, or `async with session.get(url) as resp:`.
    let responseName: string | undefined = direct?.type === 'identifier' ? direct.text : undefined;
    if (!responseName && this.python && fetchStatement.type === 'with_statement') {
      const block = scope.withs.find((w) => w.node.equals(fetchStatement));
      const item = block?.items.find((i) => i.value.startIndex <= call.node.startIndex && callEnd(call) <= i.value.endIndex);
      if (item?.target?.type === 'identifier') responseName = item.target.text;
    }
    if (!responseName) return undefined;
    const escaped = escapeRegExp(responseName);
    const accessorPattern = new RegExp(`^(await\\s+)?\\(?\\s*(await\\s+)?${escaped}\\.(text|content|json\\(\\)|text\\(\\)|read\\(\\)|data|body|json)\\b`);
    for (const assignment of scope.assignments) {
      if (assignment.node.startIndex <= callEnd(call) || !assignment.value) continue;
      const match = accessorPattern.exec(assignment.value.text);
      if (!match || !/^[A-Za-z_$][\w$]*$/.test(assignment.name)) continue;
      const type = contentType('.' + match[3]);
      const statement = ctx.statementOf(assignment.node);
      if (type && statement) return { expression: assignment.name, type, statement };
    }
    if (!this.python) {
      const inline = this.inlineBodyRead(call, fetchStatement, responseName);
      if (inline) return inline;
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

  /**
   * The content is a list whose items are fetched in turn (`for (const r of restaurants)
   * syncRestaurant(r)` where that fetches a menu page): an unchanged list says nothing about the
   * pages behind it, so skipping the run when the list is unchanged would miss their changes.
   */
  private drivesFurtherFetches(scope: Scope, contentName: string): boolean {
    if (!/^[A-Za-z_$][\w$]*$/.test(contentName)) return false;
    const fetchesIn = (calls: readonly CallSite[], within: Node): boolean =>
      calls.some((inner) => {
        if (inner.node.startIndex < within.startIndex || inner.node.endIndex > within.endIndex) return false;
        const http = httpCall(this.ctx.resolver.qualify(inner.callee, inner.scope));
        return !!http && !inner.isNew && this.httpVerb(inner, http.verb) === 'get';
      });
    return scope.loops.some((loop) => {
      if (!loop.body || loop.collection?.text !== contentName) return false;
      if (fetchesIn(scope.calls, loop.body)) return true;
      // One level into the local functions the loop calls per item.
      return scope.calls.some((inner) => {
        if (inner.node.startIndex < loop.body!.startIndex || inner.node.endIndex > loop.body!.endIndex) return false;
        const callee = this.ctx.localCallee(inner);
        return !!callee?.body && fetchesIn(callee.calls, callee.body);
      });
    });
  }

  /**
   * `cheerio.load(await response.text())`: a fetch body can be read only once, so the read moves
   * into a variable of its own that the check and the original code share. Only a read in a
   * statement of the fetch's own block, so the check runs exactly where the read did, and not
   * one that returns the page.
   */
  private inlineBodyRead(call: CallSite, fetchStatement: Node, responseName: string): PageContent | undefined {
    const read = call.scope.calls.find(
      (candidate) =>
        candidate.node.startIndex > fetchStatement.endIndex &&
        (calleeText(candidate) === `${responseName}.text` || calleeText(candidate) === `${responseName}.json`) &&
        candidate.args?.namedChildren.length === 0 &&
        isAwaited(candidate),
    );
    // The whole `await response.text()` (in TypeScript's `await response.json<T>()`, the call itself).
    const awaited = read?.awaitInCallee ? read.node : read?.node.parent;
    const statement = awaited ? this.ctx.statementOf(awaited) : undefined;
    if (!read || !awaited || !statement || !statement.parent?.equals(fetchStatement.parent!)) return undefined;
    // `return (await res.json()) as Item[]`: the page is the function's result, not work to skip.
    if (statement.type === 'return_statement') return undefined;
    const asText = calleeText(read).endsWith('.text');
    const name = this.ctx.freshName(asText ? 'pageText' : 'pageData');
    return { expression: name, type: asText ? 'string' : 'object', statement, inlineRead: awaited };
  }

  private urlArgument(call: CallSite): Node | undefined {
    const { positional, keywords } = splitArguments(call.args);
    const first = /\.request$/.test(call.callee.text) ? positional[1] : positional[0];
    if (first && first.type !== 'object') return first;
    return keywords.get('url');
  }

  // -------------------------------------------------------------------------------------------
  // dedupe: sends per item/recipient in a loop -> remember who was notified

  /**
   * An HTTP request that looks something up rather than watching a resource: a paid transform
   * endpoint (translate, geocode, enrich…) whose answer is worth caching, or a fixed endpoint
   * queried with this run's inputs (`params={"q": city}`), which answers the request at hand.
   */
  private httpLookup(call: CallSite): 'paid' | 'answer' | undefined {
    const url = this.urlArgument(call);
    if (!url) return undefined;
    const urlText = this.resolvedText(url, call.scope);
    if (PAID_ENDPOINT.test(urlText)) return 'paid';
    if (this.httpVerb(call, httpCall(this.ctx.resolver.qualify(call.callee, call.scope))?.verb ?? 'get') !== 'get') return undefined;
    const fixed = url.type === 'string' && !url.namedChildren.some((c) => c.type === 'interpolation') || (url.type === 'identifier' && /^[A-Z][A-Z0-9_]*$/.test(url.text)) || /^[rRbBuU]?['"`][^{$]*['"`]$/.test(urlText);
    if (!fixed) return undefined;
    const locals = this.localNames(call.scope);
    const { positional, keywords } = splitArguments(call.args);
    const queries: Node[] = [];
    for (const [name, value] of keywords) if (QUERY_ARGUMENTS.test(name)) queries.push(value);
    for (const options of positional.filter((p) => p.type === 'object')) {
      for (const pair of options.namedChildren) {
        if (pair.type === 'pair' && QUERY_ARGUMENTS.test(pair.childForFieldName('key')?.text ?? '')) queries.push(pair.childForFieldName('value')!);
      }
    }
    const usesInput = queries.some((query) => query.descendantsOfType(['identifier', 'shorthand_property_identifier']).some((id) => locals.has(id.text)));
    return usesInput ? 'answer' : undefined;
  }

  /** A node's text, or for a name the text of the value it was assigned (`DEEPL_URL` -> its string). */
  private resolvedText(node: Node, scope: Scope): string {
    if (node.type !== 'identifier') return node.text;
    for (let s: Scope | undefined = scope; s; s = s.parent) {
      const assignment = s.assignments.find((a) => a.name === node.text);
      if (assignment?.value) return assignment.value.text;
    }
    return node.text;
  }

  /** Parameters, locals and loop variables of a function and the functions around it. */
  private localNames(scope: Scope): Set<string> {
    const locals = new Set<string>();
    for (let s: Scope | undefined = scope; s && s.kind === 'function'; s = s.parent) {
      for (const p of s.params) locals.add(p.name);
      for (const a of s.assignments) locals.add(a.name);
      for (const l of s.loops) if (l.variable) for (const n of l.variable.text.split(/[^\w$]+/)) if (n) locals.add(n);
    }
    return locals;
  }

  private postsToNotifier(call: CallSite): boolean {
    const url = this.urlArgument(call);
    if (!url) return false;
    let target = url.text;
    if (url.type === 'identifier') {
      const assigned = call.scope.assignments.find((a) => a.name === url.text) ?? this.ctx.facts.module.assignments.find((a) => a.name === url.text);
      target = assigned?.value?.text ?? '';
    }
    if (NOTIFY_TARGET.test(target)) return true;
    if (!TRACKER_CREATE.test(target)) return false;
    // GraphQL answers queries too: only a mutation that creates something files a record.
    return !/graphql/i.test(target) || /\bmutation\b|[a-z]Create\b|\bcreate[A-Z]|_CREATE\b|\bCREATE_/.test(argumentsText(call));
  }

  private dedupe(call: CallSite, loopsWithDedupe: Set<number>): SiteSuggestion | undefined {
    const ctx = this.ctx;
    const site = this.loopSite(call);
    if (!site) return this.webhookDedupe(call);
    const { loop, statement, scope, loops } = site;
    if (loopsWithDedupe.has(loop.node.id)) return undefined;
    // Each one's report only shows what is new (snapshot-diff): remembering whom it went to would stop next week's.
    if (this.reportLoops.has(loop.node.id)) return undefined;
    // The messages of the request being handled (`for message in payload["messages"]`) arrive once
    // each: answering them is a reply, not a repeated notification.
    if (loop.collection && /\b(messages|events|updates)\b/.test(loop.collection.text) && this.fromRequest(loop.collection, loop.scope)) return undefined;
    // Items a local helper already filtered through memory (`new_tenders()` checks and adds each to a set).
    if (loop.collection && this.fromDedupingHelper(loop.collection, loop.scope)) return undefined;
    if (this.guarded(scope, 'dedupe') || this.guarded(call.scope, 'dedupe')) return undefined;
    if (!ctx.standsAlone(statement)) return undefined;
    const writer = this.writerAt('dedupe', scope, statement);
    if (!writer) return undefined;
    const { plan, code, ttl } = writer;
    const lines: CodeLine[] = [];
    const parts: KeyPart[] = [];
    const nouns: string[] = [];
    for (const each of loops.slice(-2)) {
      const id = this.itemId(each, plan, lines);
      if (!id) return undefined;
      parts.push({ expression: id.expression });
      nouns.push(id.noun);
    }
    // Keyed on who gets it alone (`notified:{subscriber.email}`), one message would silence every
    // later one for the whole expiry: the key also names what is sent.
    if (parts.every((part) => RECIPIENT.test(part.expression ?? ''))) {
      const loopNames = new Set(loops.flatMap((each) => (each.variable ? patternNames(each.variable) : [])));
      const content = this.messageInputs(statement, scope, loopNames);
      if (content.length === 0) return undefined;
      const digest = ctx.freshName(this.python ? 'message_digest' : 'messageDigest');
      if (this.python) {
        lines.push(line(0, `${digest} = ${plan.stdlib('hashlib')}.sha256(${plan.stdlib('json')}.dumps([${content.join(', ')}], sort_keys=True, default=str).encode()).hexdigest()[:16]`));
      } else {
        lines.push(line(0, `const ${digest} = ${plan.createHash}(${code.q}sha256${code.q}).update(JSON.stringify([${content.join(', ')}])).digest(${code.q}hex${code.q}).slice(0, 16);`));
      }
      parts.push({ expression: digest });
    }
    const key = code.key('notified', parts);
    const skip = loop.kind === 'callback' ? (this.python ? 'return' : 'return;') : this.python ? 'continue' : 'continue;';
    const comment = `Workflow memory: send once per ${nouns.join(' and ')}; the key claims it for ${this.settings.ttlLabel('dedupe')}.`;
    // A send that fails gives its claim back, so the next run tries it again as it did before.
    // (A JavaScript declaration cannot move into a `try` block: its name would be hidden after it.)
    // Nor can a multi-line string be re-indented without changing it.
    const releasable = (this.python || statement.type === 'expression_statement') && !this.hasMultilineString(statement, statement);
    const keyName = releasable ? ctx.freshName(this.python ? 'notified_key' : 'notifiedKey') : undefined;
    if (this.python) {
      const open = code.open();
      lines.unshift(line(0, `# ${comment}`));
      lines.push(...open.lines);
      if (keyName) lines.push(line(open.depth, `${keyName} = ${key.code}`));
      lines.push(line(open.depth, `if not ${code.setWithExpiry(keyName ?? key.code, '1', ttl, true)}:`));
      lines.push(line(open.depth + 1, skip));
      if (keyName) lines.push(...this.sendReleasingClaim(plan, code, statement, keyName, 0));
    } else {
      lines.unshift(line(0, `// ${comment}`));
      if (keyName) lines.push(line(0, `const ${keyName} = ${key.code};`));
      lines.push(line(0, `if (!(${code.setWithExpiry(keyName ?? key.code, `${code.q}1${code.q}`, ttl, true)})) ${skip}`));
      if (keyName) lines.push(...this.sendReleasingClaim(plan, code, statement, keyName, 0));
    }
    if (keyName) plan.replaceLines(statement, statement, lines);
    else plan.insertBefore(statement, lines);
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
  /**
   * A webhook handler that relays each incoming event as a message: senders (Stripe, GitHub,
   * Shopify…) deliver an event again when they get no 2xx in time, and each delivery sends again.
   * The send is wrapped in a SET NX on the event's id, so one event sends once. Only for a route
   * that handles a signed or webhook-named event with an id, with a single send.
   */
  private webhookDedupe(call: CallSite): SiteSuggestion | undefined {
    const ctx = this.ctx;
    const scope = call.scope;
    if (call.loops.length > 0 || scope.kind !== 'function' || scope.entry !== 'route') return undefined;
    const body = scope.body;
    if (!body) return undefined;
    const bodyText = body.text;
    // Incoming, not outgoing (`DISCORD_WEBHOOK_URL` is where it sends): the route's path or a verified delivery.
    if (!/webhook|hook|events?\b/i.test(scope.routePath ?? '') && !INCOMING_WEBHOOK.test(bodyText)) return undefined;
    const sends = scope.calls.filter((other) => {
      const path = ctx.resolver.qualify(other.callee, other.scope);
      if (isMessageSend(path)) return true;
      const http = httpCall(path);
      return !!http && !other.isNew && this.httpVerb(other, http.verb) === 'post' && this.postsToNotifier(other);
    });
    if (sends.length !== 1 || sends[0] !== call) return undefined;
    const eventId = this.webhookEventId(scope, bodyText);
    if (!eventId) return undefined;
    const statement = ctx.statementOf(call.node);
    // A statement of its own (not `const r = await send(…)`, whose name the wrap would hide).
    if (!statement || statement.type !== 'expression_statement' || !ctx.standsAlone(statement)) return undefined;
    if (this.guarded(scope, 'dedupe')) return undefined;
    const writer = this.writerAt('dedupe', scope, statement);
    if (!writer) return undefined;
    const { plan, code, ttl } = writer;
    const key = code.key('notified', [{ expression: eventId }]);
    const comment = `Workflow memory: relay each event once; a webhook is delivered again when the answer is slow, and the key claims it for ${this.settings.ttlLabel('dedupe')}.`;
    const lines: CodeLine[] = [];
    // A failed send gives the claim back, so the sender's redelivery sends it.
    const keyName = ctx.freshName(this.python ? 'event_key' : 'eventKey');
    if (this.python) {
      const claimed = ctx.freshName('first_delivery');
      const open = code.open();
      lines.push(line(0, `# ${comment}`));
      lines.push(...open.lines);
      lines.push(line(open.depth, `${keyName} = ${key.code}`));
      lines.push(line(open.depth, `${claimed} = ${code.setWithExpiry(keyName, '1', ttl, true)}`));
      lines.push(line(0, `if ${claimed}:`));
      lines.push(...this.sendReleasingClaim(plan, code, statement, keyName, 1));
    } else {
      lines.push(line(0, `// ${comment}`));
      lines.push(line(0, `const ${keyName} = ${key.code};`));
      lines.push(line(0, `if (${code.setWithExpiry(keyName, `${code.q}1${code.q}`, ttl, true)}) {`));
      lines.push(...this.sendReleasingClaim(plan, code, statement, keyName, 1));
      lines.push(line(0, '}'));
    }
    plan.replaceLines(statement, statement, lines);
    return {
      kind: 'dedupe',
      statement,
      action: 'relay each event once',
      explanation: `This webhook sends a message for every delivery, and the sender delivers the same event again when it gets no 2xx in time, so the same message can go out twice. Claiming \`${key.display}\` with SET NX before sending (${this.settings.ttlLabel('dedupe')}) relays each event once.`,
      key: key.display,
      edits: plan.toEdits(),
    };
  }

  /** `statement` (a send) in try/except or try/catch that gives the claim under `keyName` back and re-raises when it fails. */
  private sendReleasingClaim(plan: EditPlan, code: MemoryCode, statement: Node, keyName: string, depth: number): CodeLine[] {
    const lines: CodeLine[] = [];
    if (this.python) {
      const open = code.open();
      lines.push(line(depth, 'try:'));
      lines.push(...plan.reindented(statement, statement, depth + 1));
      lines.push(line(depth, 'except Exception:'));
      lines.push(...open.lines.map((l) => line(l.depth + depth + 1, l.text)));
      lines.push(line(open.depth + depth + 1, code.call('delete', [keyName])));
      lines.push(line(depth + 1, 'raise'));
    } else {
      lines.push(line(depth, 'try {'));
      lines.push(...plan.reindented(statement, statement, depth + 1));
      lines.push(line(depth, '} catch (error) {'));
      lines.push(line(depth + 1, `${code.call('del', [keyName])};`));
      lines.push(line(depth + 1, 'throw error;'));
      lines.push(line(depth, '}'));
    }
    return lines;
  }

  /** The incoming event's id in a webhook handler: `event.id`, `payload["id"]`, `body.delivery_id`. */
  private webhookEventId(scope: Scope, bodyText: string): string | undefined {
    const bound = new Set([...scope.params.map((p) => p.name), ...scope.assignments.map((a) => a.name)]);
    const pattern = /\b(event|evt|payload|webhook|notification|delivery|body)(\.(?:id|event_id|eventId|delivery_id|deliveryId)\b(?!\s*\()|\[(['"])(?:id|event_id|eventId|delivery_id)\3\])/g;
    for (let match = pattern.exec(bodyText); match; match = pattern.exec(bodyText)) {
      if (bound.has(match[1])) return match[0];
    }
    return undefined;
  }

  /**
   * The statement of `block` that holds `node`, or, when that is an `if` whose branch sends, the
   * statement inside the branch: the claim then goes where the message really goes out, not before
   * a check that may send nothing (and would still use up the claim).
   */
  private branchStatementIn(block: Node, node: Node): Node | undefined {
    const outer = childStatementIn(block, node);
    if (!outer || outer.type !== 'if_statement') return outer;
    const inner = this.ctx.statementOf(node);
    if (!inner || inner.equals(outer)) return outer;
    for (let current = inner.parent; current && !current.equals(outer); current = current.parent) {
      if (!/^(block|statement_block|elif_clause|else_clause|if_statement)$/.test(current.type)) return outer;
    }
    return inner.parent && /^(block|statement_block)$/.test(inner.parent.type) ? inner : outer;
  }

  private loopSite(call: CallSite): { loop: Loop; statement: Node; scope: Scope; loops: Loop[] } | undefined {
    let current: CallSite = call;
    for (let depth = 0; depth < 4; depth++) {
      const itemLoops = current.loops.filter((l) => l.kind === 'for' && l.variable);
      const loop = itemLoops[itemLoops.length - 1];
      if (loop?.body) {
        const statement = this.branchStatementIn(loop.body, current.node);
        if (statement) return { loop, statement, scope: current.scope, loops: itemLoops };
      }
      const callback = current.scope.loopCallback;
      if (callback?.body && callback.variable && callback.body.type === 'statement_block') {
        const statement = this.branchStatementIn(callback.body, current.node);
        if (statement) return { loop: callback, statement, scope: current.scope, loops: [callback] };
      }
      const caller = this.ctx.calledInLoop.get(current.scope);
      if (!caller) return undefined;
      current = caller.call;
    }
    return undefined;
  }

  /** The local values a send statement in a loop uses besides the loop's own variables: what the message says. */
  private messageInputs(statement: Node, scope: Scope, loopNames: Set<string>): string[] {
    const locals = this.localNames(scope);
    const names: string[] = [];
    for (const identifier of statement.descendantsOfType(['identifier', 'shorthand_property_identifier'])) {
      const name = identifier.text;
      if (!locals.has(name) || loopNames.has(name) || name === 'self' || name === 'this') continue;
      // A property name (`message.body`) or a keyword (`to=`) is not a value; nor is what the statement assigns.
      const parent = identifier.parent;
      if (/^(assignment|augmented_assignment|assignment_expression|augmented_assignment_expression)$/.test(parent?.type ?? '') && parent!.childForFieldName('left')?.equals(identifier)) continue;
      if (parent?.type === 'variable_declarator' && parent.childForFieldName('name')?.equals(identifier)) continue;
      if ((parent?.type === 'attribute' || parent?.type === 'member_expression') && !parent.childForFieldName('object')?.equals(identifier)) continue;
      if (parent?.type === 'keyword_argument' && parent.childForFieldName('name')?.equals(identifier)) continue;
      // A client or function is how it is sent, not what.
      if ((parent?.type === 'attribute' || parent?.type === 'member_expression') && (parent.parent?.type === 'call' || parent.parent?.type === 'call_expression') && parent.parent.childForFieldName('function')?.equals(parent)) continue;
      if ((parent?.type === 'call' || parent?.type === 'call_expression') && parent.childForFieldName('function')?.equals(identifier)) continue;
      // `response.status`, not the whole response object (which may not even serialise).
      let chain: Node = identifier;
      while (chain.parent && (chain.parent.type === 'attribute' || chain.parent.type === 'member_expression') && chain.parent.childForFieldName('object')?.equals(chain)) {
        const above = chain.parent.parent;
        if (above && (above.type === 'call' || above.type === 'call_expression') && above.childForFieldName('function')?.equals(chain.parent)) break;
        chain = chain.parent;
      }
      // Credentials say how it is sent, not what.
      if (isSecretName(chain.text.split('.').pop() ?? '')) continue;
      if (!names.includes(chain.text)) names.push(chain.text);
    }
    return names;
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
    // JavaScript writes an object into a key as "[object Object]", one key for every item: an item
    // only handed whole to a local function or method (`reminder.remind(rental)`) gets a fingerprint.
    const handedToHelper = !this.python && !SCALAR_ITEM.test(name) && this.handedToLocalCallee(loop, name);
    if (!structured && !handedToHelper) return { expression: name, noun: name };
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
      // `review.review_id` is the review's own id; `review.listing_id` points at another thing, which
      // many reviews share: keyed on it, a second review of the listing would count as sent.
      if (rank < 0 && /(_id|Id|ID)$/.test(field) && ownIdField(name, field)) rank = ID_FIELDS.length;
      if (rank >= 0 && (!best || rank < best.rank)) best = { rank, text: match[0] };
    }
    return best?.text;
  }

  /** `notify(address, incident)` where `def notify(address, incident): … incident['id']`. */
  private idFieldThroughCallee(loop: Loop, name: string): string | undefined {
    if (!loop.body) return undefined;
    for (const call of loop.scope.calls) {
      if (call.node.startIndex < loop.body.startIndex || callEnd(call) > loop.body.endIndex) continue;
      const callee = this.ctx.localCallee(call) ?? this.ctx.localMethodCallee(call);
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
  /** The loop passes `name` itself to a function or method of this file. */
  private handedToLocalCallee(loop: Loop, name: string): boolean {
    const body = loop.body;
    if (!body) return false;
    return loop.scope.calls.some((call) => {
      if (call.node.startIndex < body.startIndex || callEnd(call) > body.endIndex) return false;
      if (!call.args?.namedChildren.some((a) => a.text === name)) return false;
      return !!(this.ctx.localCallee(call) ?? this.ctx.localMethodCallee(call));
    });
  }

  private usedStructurallyByCallee(loop: Loop, name: string): boolean {
    if (!loop.body) return false;
    return loop.scope.calls.some((call) => {
      if (call.node.startIndex < loop.body!.startIndex || callEnd(call) > loop.body!.endIndex) return false;
      const callee = this.ctx.localCallee(call) ?? this.ctx.localMethodCallee(call);
      const index = call.args?.namedChildren.findIndex((a) => a.text === name) ?? -1;
      const param = callee && index >= 0 ? callee.params.filter((p) => p.name !== 'self')[index]?.name : undefined;
      return !!param && new RegExp(`\\b${param}(\\.|\\[)`).test(callee!.body?.text ?? '');
    });
  }

  private fingerprint(name: string, plan: EditPlan, lines: CodeLine[]): { expression: string; noun: string } {
    const fingerprint = this.ctx.freshName(this.python ? `${name}_fingerprint` : `${name}Fingerprint`);
    // The item's own id when it has one at run time: a hash of every field changes whenever a
    // counter or a timestamp in it does, and the same item would be sent again.
    const q = this.ctx.quote;
    if (this.python) {
      const hashlib = plan.stdlib('hashlib');
      const json = plan.stdlib('json');
      lines.push(line(0, `${fingerprint} = str(${name}[${q}id${q}]) if isinstance(${name}, dict) and ${name}.get(${q}id${q}) else ${hashlib}.sha256(${json}.dumps(${name}, sort_keys=True, default=str).encode()).hexdigest()[:16]`));
    } else {
      lines.push(line(0, `const ${fingerprint} = ${name} && typeof ${name} === ${q}object${q} && ${q}id${q} in ${name} ? String(${name}.id) : ${plan.createHash}(${q}sha256${q}).update(JSON.stringify(${name})).digest(${q}hex${q}).slice(0, 16);`));
    }
    return { expression: fingerprint, noun: name };
  }

  // -------------------------------------------------------------------------------------------
  // snapshot-diff: builds a report from a collection -> report only what is new or changed

  private snapshotDiff(loop: Loop, scope: Scope): SiteSuggestion | undefined {
    const ctx = this.ctx;
    if (!loop.collection || !loop.variable || !loop.body) return undefined;
    // One snapshot per function: once it has one, its other loops need no reading at all.
    if (this.snapshotScopes.has(scope)) return undefined;
    const collection = loop.collection;
    const collectionText = collection.text;
    if (/^(range|enumerate\(range|Object\.keys|Object\.entries|zip)\b/.test(collectionText) || /^[[({]/.test(collectionText) || collection.type === 'string' || collection.type === 'integer' || collection.type === 'number') return undefined;
    if (/\n/.test(collectionText)) return undefined;
    // A configured list (`PROJECTS = ["api", "web"]`, `const FEEDS = [...]`) names what to look at; the data comes later.
    const constant = /^[A-Za-z_$][\w$]*$/.test(collectionText) ? ctx.facts.module.assignments.find((a) => a.name === collectionText) : undefined;
    if (constant?.value && /^(list|tuple|array|set|dictionary)$/.test(constant.value.type) && !/\(/.test(constant.value.text)) return undefined;
    // The groups of a dict or Map filled here (`for lab in sorted(by_lab)`): a snapshot of the group
    // names would report a known group's new items as nothing new.
    const base = /^(?:sorted\(|list\(|reversed\()?\s*([A-Za-z_$][\w$]*)/.exec(collectionText)?.[1];
    if (base && scope.assignments.some((a) => a.name === base && !!a.value && /^(defaultdict\(|dict\(\)|\{\s*\}|new Map\b|Counter\(|OrderedDict\()/.test(a.value.text))) return undefined;
    // A list handed in by a caller that loops (`self._post(funder, calls)` per funder): one snapshot key
    // here would be shared by every funder's list.
    if (base && this.ctx.calledInLoop.has(scope) && scope.params.some((p) => p.name === base)) return undefined;
    // Groups handed in by the caller that filled them (`teams_card(by_buyer, …)` with `by_buyer = defaultdict(list)`).
    if (base && scope.params.some((p) => p.name === base) && this.groupsFromCaller(scope, base)) return undefined;
    // Blocks of a model's answer or a message's parts are not a collection worth reporting on.
    if (/\b(content|choices|blocks|parts|messages|splitlines|split|lines|tool_calls|toolCalls)\b/.test(collectionText)) return undefined;
    const bodyText = loop.body.text;
    const accumulates = this.python
      ? /\b(\w+)\.(append|extend)\(|\b(\w+)\s*\+=(?!\s*\d)/.exec(bodyText)
      : /\b(\w+)\.push\(|\b(\w+)\s*\+=(?!\s*\d)/.exec(bodyText);
    const statement = loop.kind === 'for' ? loop.node : ctx.statementOf(loop.node);
    if (!statement) return undefined;
    // Where the collection comes from: a fetch (HTTP, an SDK, a local function that fetches) in this function.
    // A feed whose items are also sent one by one is a watched page (change-detection, dedupe): its report keeps the lens.
    const fetched = this.collectionOrigin(collection, scope, statement);
    let reports: boolean;
    if (loop.kind === 'comprehension' || loop.kind === 'callback') {
      // "\n".join(f"- {x}" for x in items) / items.map((x) => `- ${x}`).join("\n") / lines += [f"- {x}" for x in items]
      const statementText = statement.text;
      const holder = loop.node.parent;
      const assignedTo = holder && /^(assignment|augmented_assignment)$/.test(holder.type) && holder.childForFieldName('right')?.equals(loop.node) ? holder.childForFieldName('left')?.text : undefined;
      // Lines of text, not rows of data for a database.
      const element = loop.node.childForFieldName('body');
      const textLines = !!element && /^(string|concatenated_string|binary_operator)$/.test(element.type);
      reports = (/\.join\(/.test(statementText) && (loop.kind === 'callback' ? /\.map\(/.test(statementText) : true)) || (!!assignedTo && REPORT_ACCUMULATOR.test(assignedTo) && textLines);
      // `" ".join(f'firm:"{b}"' for b in request.brands)` builds a query, not a report: a collection
      // that was not fetched is a report only when joined into lines.
      // Lines joined into a model's prompt are its input, not a report: here, or handed back to a caller that prompts with them.
      if (reports && scope.calls.some((c) => !!c.args && c.args.startIndex <= loop.node.startIndex && loop.node.endIndex <= c.args.endIndex && !!llmCall(this.ctx.resolver.qualify(c.callee, c.scope)))) reports = false;
      if (reports && statement.type === 'return_statement' && this.promptsWithResult(scope)) reports = false;
      // Lines by the join's separator or by the element itself, not by some other string in the statement (a prompt's "\\n").
      if (reports && !fetched && !joinsLines(statementText, (element ?? loop.body)?.text ?? '')) reports = false;
    } else {
      const accumulator = accumulates ? (accumulates[1] ?? accumulates[3] ?? accumulates[2]) : undefined;
      reports = !!accumulator && REPORT_ACCUMULATOR.test(accumulator);
      // Chat messages gathered for a model (`messages.push({ role: 'tool', … })`) are its input.
      if (reports && /(\brole\b|['"]role['"])\s*[:=]/.test(bodyText)) reports = false;
      // Rows gathered for a spreadsheet or a database are a sync, not a report: a report is sent or handed back.
      if (reports && !this.reportLeaves(scope, loop)) reports = false;
      // Items of a fetched collection grouped first (`byTeam.set(…)`) and joined into the report later.
      if (!reports && fetched) reports = /\.join\(/.test(scope.node.text.slice(loop.node.endIndex - scope.node.startIndex));
    }
    if (!reports) return undefined;
    const sendsPerItem = !!fetched && scope.loops.some((other) => other !== loop && other.collection && scope.calls.some((c) => c.loops.includes(other) && this.sends(c)) && this.collectionOrigin(other.collection, scope, other.node)?.call === fetched.call);
    const origin = sendsPerItem ? undefined : fetched;
    // A loop that sends per item is a dedupe site, not a report: itself, or through a local function
    // or method it calls per item (`await reminder.remind(rental)`).
    if (scope.calls.some((c) => c.node.startIndex >= loop.node.startIndex && callEnd(c) <= loop.node.endIndex && (this.sends(c) || this.helperSends(c)))) return undefined;
    // A reply to the person who wrote (a bot answering a chat) is not a report on a collection.
    if (this.idInScope(scope, CHAT_ORDER)) return undefined;
    // A collection the source already limits to a recent window (`?days=7`, `since=`) holds only what is new.
    if (origin && TIME_WINDOW.test(origin.call.node.text)) return undefined;
    // A long-running poller's fetches are a cursor's business; pages read to the end for a report are the report's snapshot.
    if (origin?.call.loops.some((l) => l.polling)) return undefined;
    if (this.guarded(scope, 'snapshot-diff')) return undefined;
    if (!ctx.standsAlone(statement) || ctx.scopeAt(statement) !== scope) return undefined;
    const writer = this.writerAt('snapshot-diff', scope, statement);
    if (!writer) return undefined;
    const { plan, code, ttl } = writer;
    const simple = /^[A-Za-z_$][\w$]*$/.test(collectionText);
    const label = simple ? collectionText : 'items';
    // Inside a loop over watches, feeds or teams, each one keeps its own snapshot: one shared key
    // would hand the second the first one's items as "already reported".
    const keyParts: KeyPart[] = [{ literal: kebab(label) }];
    const outerLoop = scope.loops.filter((l) => l !== loop && l.kind === 'for' && l.body && l.body.startIndex <= statement.startIndex && statement.endIndex <= l.body.endIndex).pop();
    const snapshotLines: CodeLine[] = [];
    if (outerLoop) {
      const outerId = this.itemId(outerLoop, plan, snapshotLines);
      if (!outerId) return undefined;
      keyParts.push({ expression: outerId.expression });
    }
    const key = code.key('snapshot', keyParts);
    const itemName = loop.variable.type === 'identifier' ? loop.variable.text : 'item';
    const lines: CodeLine[] = [...snapshotLines];
    const q = code.q;
    let newName: string;
    // The snapshot is remembered once the report has gone out: if the send fails, the next run
    // reports the same news again instead of finding it "already reported".
    const workEnd = this.workEnd(scope, statement);
    let save: CodeLine[];
    const exit = this.nothingNewExit(scope, loop, statement);
    if (this.python) {
      const hashlib = plan.stdlib('hashlib');
      const json = plan.stdlib('json');
      const source = simple ? collectionText : ctx.freshName('current_items');
      const fingerprints = ctx.freshName('item_fingerprints');
      const previous = ctx.freshName('previous_fingerprints');
      const keyName = ctx.freshName('snapshot_key');
      newName = ctx.freshName(`new_${simple ? collectionText : 'items'}`);
      lines.push(line(0, `# Workflow memory: report only what is new or changed since the last run.`));
      if (!simple) lines.push(line(0, `${source} = list(${collectionText})`));
      lines.push(line(0, `${fingerprints} = [${hashlib}.sha256(${json}.dumps(entry, sort_keys=True, default=str).encode()).hexdigest()[:16] for entry in ${source}]`));
      const open = code.open();
      lines.push(...open.lines);
      lines.push(line(open.depth, `${keyName} = ${key.code}`));
      lines.push(line(open.depth, `${previous} = set(${json}.loads(${code.call('get', [keyName])} or ${q}[]${q}))`));
      save = [...open.lines, line(open.depth, code.setWithExpiry(keyName, `${json}.dumps(${fingerprints})`, ttl))];
      if (!workEnd) lines.push(save[save.length - 1]);
      lines.push(line(0, `${newName} = [entry for entry, fingerprint in zip(${source}, ${fingerprints}) if fingerprint not in ${previous}]`));
      if (exit) {
        lines.push(line(0, `if not ${newName}:`));
        if (workEnd) lines.push(...indented(save));
        lines.push(line(1, exit));
      }
    } else {
      const createHash = plan.createHash;
      const source = simple ? collectionText : ctx.freshName('currentItems');
      const fingerprints = ctx.freshName('itemFingerprints');
      const previous = ctx.freshName('previousFingerprints');
      const keyName = ctx.freshName('snapshotKey');
      newName = ctx.freshName(simple ? `new${collectionText[0].toUpperCase()}${collectionText.slice(1)}` : 'newItems');
      lines.push(line(0, `// Workflow memory: report only what is new or changed since the last run.`));
      if (!simple) lines.push(line(0, `const ${source} = [...${collectionText}];`));
      lines.push(line(0, `const ${fingerprints} = ${source}.map((entry) => ${createHash}(${q}sha256${q}).update(JSON.stringify(entry)).digest(${q}hex${q}).slice(0, 16));`));
      lines.push(line(0, `const ${keyName} = ${key.code};`));
      lines.push(line(0, `const ${previous} = new Set(JSON.parse((${code.call('get', [keyName])}) ?? ${q}[]${q}));`));
      save = [line(0, `${code.setWithExpiry(keyName, `JSON.stringify(${fingerprints})`, ttl)};`)];
      if (!workEnd) lines.push(...save);
      lines.push(line(0, `const ${newName} = ${source}.filter((_, index) => !${previous}.has(${fingerprints}[index]));`));
      if (exit) {
        lines.push(line(0, `if (${newName}.length === 0) {`));
        if (workEnd) lines.push(...indented(save));
        lines.push(line(1, exit));
        lines.push(line(0, '}'));
      }
    }
    plan.insertBefore(statement, lines);
    plan.replace(collection, newName);
    if (workEnd) {
      if (workEnd.before) plan.insertBefore(workEnd.statement, save);
      else plan.insertAfter(workEnd.statement, save);
    }
    this.snapshotScopes.add(scope);
    if (outerLoop) this.reportLoops.add(outerLoop.node.id);
    if (origin) this.snapshotFetches.add(origin.call.node.id);
    return {
      kind: 'snapshot-diff',
      // The lens sits where the collection is fetched; the diff goes right before the report is built.
      statement: origin?.statement ?? statement,
      action: 'report only what changed',
      explanation: `Each run builds its report from every ${itemName} in \`${shorten(collectionText)}\`, repeating what earlier runs already reported. Keeping a fingerprint of each ${itemName} under \`${key.display}\` (${this.settings.ttlLabel('snapshot-diff')}) lets the report show only what is new or changed.`,
      key: key.display,
      edits: plan.toEdits(),
    };
  }

  /**
   * How a run with nothing new leaves before sending an empty report, or undefined to send it
   * anyway: only when the report is sent after the loop in this function, this collection is the
   * report's only list (no loop after it builds another section), and leaving keeps the function's
   * contract (see exitFrom).
   */
  private nothingNewExit(scope: Scope, loop: Loop, statement: Node): string | undefined {
    if (scope.loops.some((other) => other !== loop && other.node.startIndex >= statement.endIndex)) return undefined;
    if (!scope.calls.some((call) => call.node.startIndex >= statement.endIndex && this.sends(call))) return undefined;
    return this.exitFrom(scope, statement);
  }

  /**
   * A value read from the request a route, handler or bot callback is handling: its base name
   * (`value` in `value.get("messages")`) is a parameter, or a local read from one (`value = (await request.json())[…]`).
   */
  private fromRequest(value: Node, scope: Scope): boolean {
    if (!scope.entry || !/^(route|handler|bot)$/.test(scope.entry)) return false;
    const params = new Set(scope.params.map((p) => p.name));
    const baseName = (text: string): string | undefined => /^[(\s]*(?:await\s+)?\(?\s*([A-Za-z_$][\w$]*)/.exec(text)?.[1];
    let name = baseName(value.text);
    for (let depth = 0; depth < 4 && name; depth++) {
      if (params.has(name)) return true;
      const current = name;
      const assignment = scope.assignments.find((a) => a.name === current && a.node.startIndex < value.startIndex);
      name = assignment?.value ? baseName(assignment.value.text) : undefined;
    }
    return false;
  }

  /** After the loop, the function sends something or returns a value: where a report it built goes. */
  private reportLeaves(scope: Scope, loop: Loop): boolean {
    const end = loop.node.endIndex;
    if (scope.kind === 'function' && scope.returns.some((r) => r.startIndex >= end && r.namedChildren.length > 0)) return true;
    return scope.calls.some((call) => call.node.startIndex >= end && (this.sends(call) || !!this.ctx.localCallee(call)));
  }

  /** A SET NX claim runs before offset `at` in `scope`, or before the call in each of the scope's callers. */
  private claimedBefore(scope: Scope, at: number, depth = 0): boolean {
    // Per item: a key built from the item (`f"…:ticket:{ticket.ticket_id}"`), not a run's lock.
    const perItem = (op: RedisOp): boolean => {
      let key = op.key?.text ?? '';
      if (op.key?.type === 'identifier') key = [...scope.assignments].reverse().find((a) => a.name === key && a.node.startIndex < op.call.node.startIndex)?.value?.text ?? key;
      return /\$\{|\{[^}]+\}|\+/.test(key) && !/lock/i.test(key);
    };
    if (this.ctx.opsIn(scope).some((op) => isClaim(op) && op.call.node.startIndex < at && perItem(op))) return true;
    if (depth > 1 || scope.kind !== 'function') return false;
    const callers = this.ctx.callersOf(scope);
    return callers.length > 0 && callers.every((c) => this.claimedBefore(c.scope, c.node.startIndex, depth + 1));
  }

  /** A caller of `scope` puts what it returns (`menu = await menu_lines(http)`) into a model call. */
  private promptsWithResult(scope: Scope): boolean {
    return this.ctx.callersOf(scope).some((c) => {
      const statement = this.ctx.statementOf(c.node);
      // Straight into a chat message (`messages.push({ role: 'tool', content: await callTool(…) })`).
      if (statement && /(\brole\b|['"]role['"])\s*[:=]/.test(statement.text)) return true;
      const target = statement ? this.assignmentTarget(statement) : undefined;
      if (target?.type !== 'identifier') return false;
      const name = new RegExp(`(^|[^\\w$.])${escapeRegExp(target.text)}\\b`);
      return c.scope.calls.some((other) => other.node.startIndex > callEnd(c) && !!other.args && name.test(argumentsText(other)) && !!llmCall(this.ctx.resolver.qualify(other.callee, other.scope)));
    });
  }

  /** The collection comes (through local assignments) from a local helper that checks or claims items in memory. */
  private fromDedupingHelper(collection: Node, scope: Scope): boolean {
    const dedupes = (call: CallSite): boolean => {
      const helper = this.ctx.localCallee(call) ?? this.ctx.localMethodCallee(call);
      return !!helper && helper !== scope && this.ctx.opsIn(helper).some((op) => isClaim(op) || /^(sismember|smismember|sadd|exists|setnx|hexists|hsetnx)$/.test(op.command));
    };
    const callsIn = (node: Node): CallSite[] => scope.calls.filter((c) => c.node.startIndex >= node.startIndex && callEnd(c) <= node.endIndex);
    if (callsIn(collection).some(dedupes)) return true;
    for (const { value } of assignmentsBehind(collection, scope, collection.startIndex, 3)) {
      if (callsIn(value).some(dedupes)) return true;
    }
    return false;
  }

  /** A call that sends a message or posts to a chat/notification webhook. */
  /** Every caller of `scope` passes, for parameter `param`, a dict or Map it filled itself. */
  private groupsFromCaller(scope: Scope, param: string): boolean {
    const index = scope.params.filter((p) => p.name !== 'self' && p.name !== 'cls').findIndex((p) => p.name === param);
    const callers = this.ctx.callersOf(scope);
    return index >= 0 && callers.length > 0 && callers.every((call) => {
      const argument = call.args?.namedChildren[index];
      if (argument?.type !== 'identifier') return false;
      return call.scope.assignments.some((a) => a.name === argument.text && !!a.value && /^(defaultdict\(|dict\(\)|\{\s*\}|new Map\b|Counter\(|OrderedDict\()/.test(a.value.text));
    });
  }

  /** A call of a local function or method whose own body sends a message. */
  private helperSends(call: CallSite): boolean {
    const helper = this.ctx.localCallee(call) ?? this.ctx.localMethodCallee(call);
    return !!helper && helper !== call.scope && helper.calls.some((c) => this.sends(c));
  }

  private sends(call: CallSite): boolean {
    const path = this.ctx.resolver.qualify(call.callee, call.scope);
    if (isMessageSend(path)) return true;
    const http = httpCall(path);
    return !!http && !call.isNew && this.httpVerb(call, http.verb) === 'post' && this.postsToNotifier(call);
  }

  /**
   * The fetch a collection comes from, following local assignments back (`rows = sorted(repos)`,
   * `repos = requests.get(…).json()`): an HTTP GET, an awaited SDK call, or a local function that does one.
   */
  private collectionOrigin(collection: Node, scope: Scope, before: Node): { statement: Node; call: CallSite } | undefined {
    const ctx = this.ctx;
    const fetchIn = (node: Node): CallSite | undefined => {
      for (const call of scope.calls) {
        if (call.node.startIndex < node.startIndex || callEnd(call) > node.endIndex) continue;
        const fetched = this.collectionFetch(call);
        if (fetched) return fetched;
      }
      return undefined;
    };
    const direct = fetchIn(collection);
    if (direct) {
      const statement = ctx.statementOf(direct.scope === scope ? direct.node : collection);
      return statement ? { statement, call: direct } : undefined;
    }
    for (const { node, value } of assignmentsBehind(collection, scope, before.startIndex, 4)) {
      const fetched = fetchIn(value);
      const statement = ctx.statementOf(node);
      if (fetched && statement) return { statement, call: fetched };
    }
    return undefined;
  }

  /** `call` fetches a collection: an HTTP GET, an awaited or SDK library call, or a local function that makes one (returned). */
  private collectionFetch(call: CallSite, depth = 0): CallSite | undefined {
    const ctx = this.ctx;
    const callee = ctx.localCallee(call);
    if (callee) {
      if (depth > 0) return undefined;
      // A helper that already remembers what it fetched (an ETag, a hash) hands back only what changed.
      if (ctx.opsIn(callee).some((op) => GUARDS['change-detection'].test(op.command))) return undefined;
      for (const inner of callee.calls) {
        const fetched = this.collectionFetch(inner, depth + 1);
        if (fetched) return fetched;
      }
      return undefined;
    }
    if (call.isNew) return undefined;
    const path = ctx.resolver.qualify(call.callee, call.scope);
    if (!path) return undefined;
    const http = httpCall(path);
    if (http) return this.httpVerb(call, http.verb) === 'get' ? call : undefined;
    if (isMessageSend(path) || llmCall(path) || isPaidLookup(path)) return undefined;
    const awaited = isAwaited(call);
    // A pool, a connection or a client (`await asyncpg.create_pool(…)`) is a handle, not data.
    if (/\.(create_?pool|connect|from_?url|acquire|open|login|auth\w*|create_?(client|engine|session)|[A-Z]\w*)$/.test(path)) return undefined;
    // An SDK's list call: `linear.issues({…})`, `stripe.Invoice.list(…)`, `notion.databases.query(…)`.
    return (awaited || /\.(list|all|search|query|find|issues|items|records|fetch_all|get_all)$/i.test(path)) && /^[@\w-]+[./]/.test(path) && !/^(json|JSON|Object|Array|Promise|Math|console|logger|logging|os|sys|time|datetime|re|collections|itertools|functools|fs|path|asyncio|anyio|trio|concurrent)\b/.test(path) ? call : undefined;
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
    const text = argumentsText(call);
    if (/\btemperature\s*[=:]\s*0(\.0+)?(?![\d.])/.test(text)) return true;
    // LangChain: the temperature is set on the model object.
    const receiver = call.callee.type === 'attribute' || call.callee.type === 'member_expression' ? call.callee.childForFieldName('object') : null;
    if (receiver?.type === 'identifier') {
      for (let s: Scope | undefined = call.scope; s; s = s.parent) {
        const assignment = s.assignments.find((a) => a.name === receiver.text);
        if (assignment?.value && /\btemperature\s*[=:]\s*0(\.0+)?(?![\d.])/.test(assignment.value.text)) return true;
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
      const role = /\brole\b['"]?\s*[:=]\s*['"](\w+)['"]/.exec(element.text)?.[1] ?? /^\(\s*['"](\w+)['"]/.exec(element.text)?.[1] ?? (/^HumanMessage\(/.test(element.text) ? 'user' : /^AIMessage\(/.test(element.text) ? 'assistant' : /^SystemMessage\(/.test(element.text) ? 'system' : undefined);
      if (role === 'system' || role === 'developer') continue;
      turns++;
      if ((role === 'user' || role === 'human') && !user) {
        user = element;
        content = messageContent(element);
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
    const writer = this.writerAt('conversation', scope, statement);
    if (!writer) return undefined;
    const { plan, code, ttl } = writer;
    const q = code.q;
    const key = code.key('conversation', [{ expression: session }]);
    const reply = replyExpression(api, target.text, this.python, q);
    const keyName = ctx.freshName(this.python ? 'history_key' : 'historyKey');
    const history = ctx.freshName('history');
    const before: CodeLine[] = [];
    const after: CodeLine[] = [];
    const turns = 20;
    // A missing or empty id (`undefined`, `None`, "") would put every such visitor in one shared
    // history, each reading the others' messages: without an id the conversation has no memory.
    const comment = `the last ${turns / 2} exchanges of this conversation, oldest first (none without an id).`;
    const present = /^[A-Za-z_$][\w$]*(\.[A-Za-z_$][\w$]*)*$/.test(session) ? session : `(${session})`;
    if (this.python) {
      const json = plan.stdlib('json');
      const open = code.open();
      before.push(line(0, `# Workflow memory: ${comment}`));
      before.push(...open.lines);
      before.push(line(open.depth, `${keyName} = ${key.code} if ${present} else None`));
      before.push(line(open.depth, `${history} = [${json}.loads(turn) for turn in ${code.call('lrange', [keyName, `-${turns}`, '-1'])}] if ${keyName} else []`));
      after.push(line(0, `if ${keyName}:`));
      after.push(...open.lines.map((l) => line(l.depth + 1, l.text)));
      after.push(line(open.depth + 1, code.call('rpush', [keyName, `${json}.dumps({${q}role${q}: ${q}user${q}, ${q}content${q}: ${messages.content}})`, `${json}.dumps({${q}role${q}: ${q}assistant${q}, ${q}content${q}: ${reply}})`])));
      after.push(line(open.depth + 1, code.call('ltrim', [keyName, `-${turns}`, '-1'])));
      after.push(line(open.depth + 1, code.call('expire', [keyName, ttl])));
    } else {
      before.push(line(0, `// Workflow memory: ${comment}`));
      before.push(line(0, `const ${keyName} = ${present} ? ${key.code} : undefined;`));
      before.push(line(0, `const ${history} = ${keyName} ? (${code.call('lrange', [keyName, `-${turns}`, '-1'])}).map((turn) => JSON.parse(turn)) : [];`));
      after.push(line(0, `if (${keyName}) {`));
      after.push(line(1, `${code.call('rpush', [keyName, `JSON.stringify({ role: ${q}user${q}, content: ${messages.content} })`, `JSON.stringify({ role: ${q}assistant${q}, content: ${reply} })`])};`));
      after.push(line(1, `${code.call('ltrim', [keyName, `-${turns}`, '-1'])};`));
      after.push(line(1, `${code.call('expire', [keyName, ttl])};`));
      after.push(line(0, '}'));
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
    // A request repeated in `while True:` until its answer changes (a job's status) must not be cached.
    if (call.loops.some((loop) => loop.polling)) return undefined;
    // Each item is claimed (SET NX) before this runs, here or in every caller: it runs once per item already.
    if (this.claimedBefore(scope, call.node.startIndex)) return undefined;
    const statement = ctx.statementOf(call.node);
    if (!statement || !ctx.standsAlone(statement)) return undefined;
    if (this.guarded(scope, 'cache')) return undefined;
    // JSON keeps a JavaScript result's fields; in Python only plain data (an embedding list) round-trips.
    const span = this.resultSpan(call, statement, !this.python || (what === 'embedding' && /langchain/.test(llmCall(this.ctx.resolver.qualify(call.callee, scope)) ?? '')));
    if (!span) return undefined;
    if (this.hasMultilineString(span.first, span.last)) return undefined;
    const writer = this.writerAt('cache', scope, statement);
    if (!writer) return undefined;
    const { plan, code, ttl } = writer;
    const q = code.q;
    const inputs = this.inputsOf(call);
    // No input found in the call: one key for every answer would hand one caller's result to all.
    if (inputs.length === 0) return undefined;
    const digest = ctx.freshName(this.python ? 'input_digest' : 'inputDigest');
    const keyName = ctx.freshName(this.python ? 'cache_key' : 'cacheKey');
    const key = code.key('cache', [{ expression: digest }]);
    const value = span.valueName;
    const lines: CodeLine[] = [];
    if (this.python) {
      const hashlib = plan.stdlib('hashlib');
      const json = plan.stdlib('json');
      const cached = ctx.freshName(`cached_${value}`);
      const open = code.open();
      lines.push(line(0, `# Workflow memory: the same inputs give the same answer; reuse it for ${this.settings.ttlLabel('cache')}.`));
      lines.push(line(0, `${digest} = ${hashlib}.sha256(${json}.dumps([${inputs.join(', ')}], sort_keys=True, default=str).encode()).hexdigest()`));
      lines.push(...open.lines);
      lines.push(line(open.depth, `${keyName} = ${key.code}`));
      lines.push(line(open.depth, `${cached} = ${code.call('get', [keyName])}`));
      lines.push(line(0, `if ${cached} is not None:`));
      lines.push(line(1, `${value} = ${json}.loads(${cached})`));
      lines.push(line(0, 'else:'));
      lines.push(...plan.reindented(span.first, span.last, 1));
      for (const check of span.moved ?? []) lines.push(...plan.reindented(check, check, 1));
      if (span.extract) lines.push(line(1, `${value} = ${span.extract}`));
      lines.push(...open.lines.map((l) => line(l.depth + 1, l.text)));
      lines.push(line(open.depth + 1, code.setWithExpiry(keyName, `${json}.dumps(${value})`, ttl)));
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
    for (const use of span.uses ?? []) plan.replace(use, value);
    for (const check of span.moved ?? []) plan.replaceLines(check, check, []);
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
  private resultSpan(call: CallSite, statement: Node, resultIsData: boolean): ResultSpan | undefined {
    let target = this.assignmentTarget(statement);
    const value = this.assignmentValue(statement);
    if (!value) return undefined;
    // `const { data } = await axios.get(…)` / `const { data: rows } = …`: the one destructured field is the value.
    if (!this.python && resultIsData && target?.type === 'object_pattern' && target.namedChildren.length === 1) {
      const only = target.namedChildren[0];
      const field = only.type === 'pair_pattern' ? only.childForFieldName('key')?.text : only.type === 'shorthand_property_identifier_pattern' ? only.text : undefined;
      const local = only.type === 'pair_pattern' ? only.childForFieldName('value') : only;
      if (field && local && /^[A-Za-z_$][\w$]*$/.test(local.text) && /^[A-Za-z_$][\w$]*$/.test(field)) {
        return { first: statement, last: statement, valueName: local.text, valueText: `(${value.text}).${field}`, declaration: statement };
      }
    }
    if (!target || target.type !== 'identifier') return undefined;
    const outer = outermostChain(call.node);
    const direct = outer.equals(call.node) || outer.type === 'await' || outer.type === 'await_expression';
    if (!direct) return { first: statement, last: statement, valueName: target.text, valueText: value.text, declaration: statement };
    // `resp = client.embeddings.create(…)` then `vector = resp.data[0].embedding`.
    const next = statement.nextNamedSibling;
    const nextTarget = next ? this.assignmentTarget(next) : undefined;
    const nextValue = next ? this.assignmentValue(next) : undefined;
    const extracts = !!nextValue && new RegExp(`^(await\\s+)?${escapeRegExp(target.text)}\\b`).test(nextValue.text);
    if (resultIsData && !extracts) return { first: statement, last: statement, valueName: target.text, valueText: value.text, declaration: statement };
    if (!next || !nextTarget || nextTarget.type !== 'identifier' || !nextValue || !extracts) {
      // The result's value is read further down (`return response.choices[0].message.content`): cache that value.
      const later = this.python ? this.laterExtraction(target, statement) : undefined;
      if (!later) return undefined;
      const valueName = this.ctx.freshName(`${target.text}_${later.noun}`);
      return { first: statement, last: statement, valueName, valueText: later.chain, declaration: statement, extract: later.chain, uses: later.uses, moved: later.moved };
    }
    const scopeText = this.ctx.scopeAt(statement).node.text;
    const rest = scopeText.slice(next.endIndex - this.ctx.scopeAt(statement).node.startIndex);
    if (new RegExp(`\\b${escapeRegExp(target.text)}\\b`).test(rest)) {
      // The response is read again further down (`completion.model`): keep the whole of it, when it is plain data.
      return resultIsData ? { first: statement, last: statement, valueName: target.text, valueText: value.text, declaration: statement } : undefined;
    }
    return { first: statement, last: next, valueName: nextTarget.text, valueText: nextValue.text, declaration: next };
  }

  /**
   * Every later mention of `target` in its function reads the same value out of it
   * (`target.choices[0].message.content`, `target.json()["data"]`), apart from checks run as
   * statements of their own (`target.raise_for_status()`), which move with the call.
   */
  private laterExtraction(target: Node, statement: Node): { chain: string; noun: string; uses: Node[]; moved: Node[] } | undefined {
    const scope = this.ctx.scopeAt(statement);
    const body = scope.body ?? scope.node;
    const chains: Node[][] = [];
    const moved: Node[] = [];
    for (const identifier of body.descendantsOfType('identifier', statement.endPosition, body.endPosition)) {
      if (identifier.text !== target.text || identifier.startIndex < statement.endIndex) continue;
      // `x.summary` and `summary=…` name a field or a keyword, not the variable.
      const container = identifier.parent;
      if (container?.type === 'attribute' && !container.childForFieldName('object')?.equals(identifier)) continue;
      if (container?.type === 'keyword_argument' && container.childForFieldName('name')?.equals(identifier)) continue;
      const chain: Node[] = [identifier];
      for (let top = identifier; top.parent; ) {
        const parent: Node = top.parent;
        const isObject = parent.namedChildren[0]?.equals(top) ?? false;
        if ((parent.type === 'attribute' || parent.type === 'subscript') && isObject) top = parent;
        else if (parent.type === 'call' && parent.childForFieldName('function')?.equals(top) && /\.json$/.test(top.text) && parent.childForFieldName('arguments')?.namedChildren.length === 0) top = parent;
        else break;
        chain.push(top);
      }
      const top = chain[chain.length - 1];
      if (top.parent?.type === 'assignment' && top.parent.childForFieldName('left')?.equals(top)) return undefined;
      // `resp.raise_for_status()` on its own line: run it right after the call, when there is a call.
      const call = top.parent;
      if (chain.length === 2 && call?.type === 'call' && call.parent?.type === 'expression_statement' && this.ctx.standsAlone(call.parent)) {
        moved.push(call.parent);
        continue;
      }
      if (chain.length < 2) return undefined;
      chains.push(chain);
    }
    if (chains.length === 0) return undefined;
    // The deepest accessor every mention shares.
    let depth = Math.min(...chains.map((c) => c.length)) - 1;
    while (depth >= 1 && chains.some((c) => c[depth].text !== chains[0][depth].text)) depth--;
    if (depth < 1) return undefined;
    const chain = chains[0][depth].text;
    if (/\n/.test(chain)) return undefined;
    const noun = /\.json\(\)$/.test(chain) ? 'data' : /(content|text|output_text)['"\]]*$/.test(chain) ? 'text' : /embedding['"\]]*$/.test(chain) ? 'vector' : 'value';
    return { chain, noun, uses: chains.map((c) => c[depth]), moved };
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
    for (const identifier of call.args?.descendantsOfType(['identifier', 'shorthand_property_identifier']) ?? []) {
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
      // Credentials say how it is sent, not what.
      if (isSecretName(chain.text.split('.').pop() ?? '')) continue;
      if (!names.includes(chain.text)) names.push(chain.text);
    }
    return names;
  }

  private hasMultilineString(first: Node, last: Node): boolean {
    const text = this.ctx.facts.text.slice(first.startIndex, last.endIndex);
    if (this.python) return /"""|'''/.test(text);
    // Template literals one by one: the text between two single-line ones may hold a line break.
    return (text.match(TEMPLATE_LITERAL) ?? []).some((literal) => literal.includes('\n'));
  }

  // -------------------------------------------------------------------------------------------
  // cursor: pages or polls from a fixed starting point -> remember where the last run stopped

  private cursor(call: CallSite): SiteSuggestion | undefined {
    // Logging, formatting and collection calls fetch no pages: most calls end here unread.
    if (IN_PROCESS_CALLEE.test(calleeText(call))) return undefined;
    if (this.guarded(call.scope, 'cursor')) return undefined;
    for (const candidate of this.cursorArguments(call)) {
      const suggestion = this.cursorAt(call, candidate) ?? this.cursorFromCaller(call, candidate);
      if (suggestion) return suggestion;
    }
    return undefined;
  }

  /**
   * `failed_payments(cb, since)` pages from its parameter `since`: the starting point is set where
   * the one caller computes the argument, so the cursor is read and saved there.
   */
  private cursorFromCaller(call: CallSite, candidate: CursorCandidate): SiteSuggestion | undefined {
    const scope = call.scope;
    const value = startingPoint(candidate.value);
    if (scope.kind !== 'function' || value.type !== 'identifier') return undefined;
    const index = scope.params.findIndex((p) => p.name === value.text);
    if (index < 0 || scope.assignments.some((a) => a.name === value.text)) return undefined;
    const callers = this.ctx.callersOf(scope);
    if (callers.length !== 1) return undefined;
    const caller = callers[0];
    // Positional arguments line up with the parameters (`self` is not passed).
    const offset = scope.params[0]?.name === 'self' || scope.params[0]?.name === 'cls' ? 1 : 0;
    const args = caller.args?.namedChildren.filter((arg) => arg.type !== 'comment') ?? [];
    const keyword = args.find((arg) => arg.type === 'keyword_argument' && arg.childForFieldName('name')?.text === value.text);
    const argument = keyword ? keyword.childForFieldName('value') : args[index - offset];
    if (!argument || argument.type !== 'identifier' || this.guarded(caller.scope, 'cursor')) return undefined;
    return this.cursorAt(caller, { name: candidate.name, value: argument, since: candidate.since || SINCE_PARAMS.test(value.text) || SINCE_SHAPE.test(value.text) });
  }

  /**
   * Where the work after `statement` ends: the end of the loop body it sits in (skipping with
   * `continue`), or of its function. Only for a statement directly in that body, followed by work.
   */
  private workEnd(scope: Scope, statement: Node): { statement: Node; before: boolean } | undefined {
    const loop = scope.loops
      .filter((l) => (l.kind === 'for' || l.kind === 'while') && l.body && l.body.startIndex <= statement.startIndex && statement.endIndex <= l.body.endIndex)
      .pop();
    if (!loop) return this.functionEnd(scope, statement);
    const body = loop.body!;
    if (!statement.parent?.equals(body)) return undefined;
    return this.endOfWork(body, statement, /^(continue_statement|break_statement|return_statement)$/);
  }

  /**
   * Where a function's work is done: after its last statement, or before it when that is a
   * `return`. Only when the code at `statement` sits directly in the function's body (a JavaScript
   * `const` in a nested block would not be visible there) and the body ends in a plain statement.
   */
  private functionEnd(scope: Scope, statement: Node): { statement: Node; before: boolean } | undefined {
    const body = scope.body;
    if (scope.kind !== 'function' || !body || !statement.parent?.equals(body)) return undefined;
    return this.endOfWork(body, statement, /^return_statement$/);
  }

  /**
   * Where the work is done when `statement` sits in a `try` block directly in the function's body
   * (`try: … finally: lock.release()`): at the end of that block, before the clean-up runs.
   */
  private tryBlockEnd(scope: Scope, statement: Node): { statement: Node; before: boolean } | undefined {
    const block = statement.parent;
    const tryStatement = block?.parent;
    if (scope.kind !== 'function' || !block || !tryStatement || tryStatement.type !== 'try_statement' || !scope.body || !tryStatement.parent?.equals(scope.body)) return undefined;
    if (!tryStatement.childForFieldName('body')?.equals(block)) return undefined;
    return this.endOfWork(block, statement, /^return_statement$/);
  }

  /**
   * The last statement of `body` after `statement` and whether code goes before it (a jump, or
   * the clean-up that ends the work: memory written after `redis.quit()` would fail).
   */
  private endOfWork(body: Node, statement: Node, jump: RegExp): { statement: Node; before: boolean } | undefined {
    const statements = body.namedChildren.filter((child) => child.type !== 'comment');
    let index = statements.length - 1;
    const last = statements[index];
    if (!last || last.equals(statement) || !this.ctx.standsAlone(last)) return undefined;
    if (jump.test(last.type)) return { statement: last, before: true };
    if (!CLEANUP_STATEMENT.test(last.text)) return { statement: last, before: false };
    while (index > 0 && CLEANUP_STATEMENT.test(statements[index - 1].text)) index--;
    const cleanup = statements[index];
    // Nothing but clean-up after the statement: no work to wait for.
    if (index === 0 || statements[index - 1].equals(statement) || !this.ctx.standsAlone(cleanup)) return undefined;
    return { statement: cleanup, before: true };
  }

  private cursorAt(call: CallSite, candidate: CursorCandidate): SiteSuggestion | undefined {
    const ctx = this.ctx;
    const scope = call.scope;
    const { name, value: argument } = candidate;
    const since = candidate.since || SINCE_PARAMS.test(name) || SINCE_SHAPE.test(name);
    const value = startingPoint(argument);
    // Where the starting point is written: an assignment in this function, a module constant, or inline.
    let init: Node = value;
    // The URL or query built before the call (`url = f"…?since={start}"`) is where the starting point is set.
    let statement = ctx.statementOf(candidate.site ?? call.node);
    /** What the starting point's value looks like (a module constant's value, not its name). */
    let typeText: string | undefined;
    let reassignedAt: Node | undefined;
    let declarator: Node | undefined;
    const isName = value.type === 'identifier' || value.type === 'shorthand_property_identifier';
    if (isName) {
      const local = scope.assignments.filter((a) => a.name === value.text);
      const first = local.find((a) => a.node.startIndex < call.node.startIndex);
      if (first) {
        // `for (let page = 1; page <= total; page++)`: one full pass over every page per run, and a
        // variable that lives only inside the loop.
        if (first.node.parent?.parent?.type === 'for_statement' || first.node.parent?.type === 'for_statement') return undefined;
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
        typeText = constant.value.text;
      }
    }
    if (!statement || !ctx.standsAlone(statement)) return undefined;
    const lens = statement;
    // Read and save once per run, before the paging loop around the request, not once per page.
    if (init === value && !declarator) {
      const loop = call.loops.find((l) => l.kind === 'for' || l.kind === 'while');
      const loopStatement = loop ? ctx.statementOf(loop.node) : undefined;
      if (loopStatement && loopStatement.startIndex <= statement.startIndex) {
        if (!ctx.standsAlone(loopStatement)) return undefined;
        statement = loopStatement;
      }
    }
    const initText = declarator ? 'undefined' : init.text;
    if (init !== value || declarator) {
      if (!declarator && !this.isFixedStartHere(initText)) return undefined;
    } else if (!this.isFixedStartHere(initText) && !isName) return undefined;
    const pageShape = !!reassignedAt;
    if (!pageShape && !since) return undefined;
    // Every page gathered for the caller (`issues.push(...page)` … `return issues`, or `yield` per item):
    // a full listing each run, which a remembered page token would cut short.
    if (pageShape && !since && this.handsEveryPageBack(scope)) return undefined;
    if (!pageShape && /^(None|null|undefined|0|1)$/.test(initText)) return undefined;
    if (reassignedAt && !ctx.standsAlone(reassignedAt)) return undefined;
    const writer = this.writerAt('cursor', scope, statement);
    if (!writer) return undefined;
    const { plan, code, ttl } = writer;
    const key = code.key('cursor', [{ literal: kebab(name) }]);
    const keyName = ctx.freshName(this.python ? 'cursor_key' : 'cursorKey');
    const stored = ctx.freshName(this.python ? `stored_${snake(name)}` : `stored${name.split(/[_-]+/).filter(Boolean).map((part) => part[0].toUpperCase() + part.slice(1)).join('')}`);
    const before: CodeLine[] = [];
    const open = code.open();
    const variable = isName ? value.text : name;
    before.push(line(0, this.python ? `# Workflow memory: start from where the last run stopped.` : `// Workflow memory: start from where the last run stopped.`));
    before.push(...open.lines);
    if (this.python) {
      before.push(line(open.depth, `${keyName} = ${key.code}`));
      // A client made without decode_responses=True answers bytes; the code around works with str.
      const read = code.call('get', [keyName]);
      before.push(line(open.depth, `${stored} = ${code.access.decodes === false ? `(${read} or b${code.q}${code.q}).decode() or None` : read}`));
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
      const now = this.nowFor(typeText ?? initText, plan, scope, statement);
      if (!now) return undefined;
      restored = now.restore(stored, initText);
      // Saved once the run's work is done: a run that fails part-way is read again next time
      // instead of being skipped for good. Where the end cannot be reached, saved up front.
      const end = this.functionEnd(scope, statement) ?? this.tryBlockEnd(scope, statement);
      if (end) {
        const started = ctx.freshName(this.python ? 'run_started' : 'runStarted');
        if (this.python) before.push(line(open.depth, `${started} = ${now.value}`));
        else before.push(line(0, `const ${started} = ${now.value};`));
        const save = this.python
          ? [...open.lines, line(open.depth, code.setWithExpiry(keyName, started, ttl))]
          : [line(0, `${code.setWithExpiry(keyName, started, ttl)};`)];
        if (end.before) plan.insertBefore(end.statement, save);
        else plan.insertAfter(end.statement, save);
      } else if (this.python) before.push(line(open.depth, code.setWithExpiry(keyName, now.value, ttl)));
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
      statement: lens,
      action: 'resume where the last run stopped',
      explanation: pageShape
        ? `Every run pages through \`${name}\` from the same starting point (\`${shorten(initText)}\`), reading again what earlier runs already processed. Remembering the last \`${name}\` under \`${key.display}\` (${this.settings.ttlLabel('cursor')}) lets the next run continue from there.`
        : `Every run asks for items \`${name}\` a fixed point (\`${shorten(initText)}\`), so it either misses items or repeats them. Remembering when the last run started under \`${key.display}\` (${this.settings.ttlLabel('cursor')}) makes the next run ask only for what is new.`,
      key: key.display,
      edits: plan.toEdits(),
    };
  }

  private cursorArguments(call: CallSite): CursorCandidate[] {
    let candidates = this.cursorCandidates.get(call);
    if (!candidates) this.cursorCandidates.set(call, (candidates = this.findCursorArguments(call)));
    return candidates;
  }

  private findCursorArguments(call: CallSite): CursorCandidate[] {
    if (!call.args) return [];
    // Most calls pass nothing cursor-like: skip them before splitting and walking their arguments.
    const source = argumentsText(call);
    if (!CURSOR_ARGUMENT_HINT.test(source) && !this.passesCursorSource(call.scope, source)) return [];
    const { keywords, positional } = splitArguments(call.args);
    const candidates: CursorCandidate[] = [];
    const scope = call.scope;
    /** A name passed as the URL or the query: the value it was built from before the call, and where. */
    const builtEarlier = (node: Node): { value: Node; site: Node } | undefined => {
      if (node.type !== 'identifier') return undefined;
      const assignment = scope.assignments.find((a) => a.name === node.text && a.node.startIndex < call.node.startIndex);
      return assignment?.value ? { value: assignment.value, site: assignment.node } : undefined;
    };
    const fromNamed = (name: string, value: Node, site?: Node): void => {
      if (value.type !== 'object' && value.type !== 'dictionary') {
        candidates.push({ name, value, site });
        return;
      }
      for (const inner of value.namedChildren) {
        const innerKey = inner.childForFieldName('key');
        const innerValue = inner.childForFieldName('value');
        if (inner.type === 'pair' && innerKey && innerValue) {
          const innerName = unquote(innerKey.text);
          // `created={"gte": start}` / `{ updated_at: { $gt: since } }`: a lower bound on a time field.
          if (LOWER_BOUND.test(innerName) && TIME_FIELD.test(name)) candidates.push({ name, value: innerValue, since: true, site });
          else if (innerValue.type !== 'object' && innerValue.type !== 'dictionary') candidates.push({ name: innerName, value: innerValue, site });
          else fromNamed(innerName, innerValue, site);
        }
        if (inner.type === 'shorthand_property_identifier') candidates.push({ name: inner.text, value: inner, site });
      }
    };
    const fromContainer = (container: Node, site?: Node): void => {
      for (const pair of container.namedChildren) {
        if (pair.type === 'pair') {
          const keyNode = pair.childForFieldName('key');
          const value = pair.childForFieldName('value');
          if (keyNode && value) fromNamed(unquote(keyNode.text), value, site);
        } else if (pair.type === 'shorthand_property_identifier') {
          candidates.push({ name: pair.text, value: pair, site });
        }
      }
    };
    const fromUrl = (argument: Node, site?: Node): void => {
      // `f"{base}/orders?since={since}"` / `` `…?created_after=${createdAfter}` `` / `…numericFilters=created_at_i>${start}`
      for (const part of argument.namedChildren) {
        if (part.type !== 'interpolation' && part.type !== 'template_substitution') continue;
        const before = this.ctx.facts.text.slice(argument.startIndex, part.startIndex);
        const expression = part.namedChildren[0];
        if (!expression) continue;
        const param = /[?&](\w+)=$/.exec(before)?.[1];
        const bound = /(\w+)>=?$/.exec(before)?.[1];
        if (param) candidates.push({ name: param, value: expression, site });
        else if (bound && TIME_FIELD.test(bound)) candidates.push({ name: bound, value: expression, since: true, site });
        else if (/[?&]$/.test(before) && !site) {
          // `` `${base}/payments?${params}` `` with `params = new URLSearchParams({ begin_time: … })` built before.
          const earlier = builtEarlier(expression);
          if (earlier) visit(earlier.value, earlier.site);
        }
      }
    };
    const visit = (node: Node, site?: Node): void => {
      const type = node.type;
      if (type === 'dictionary' || type === 'object') fromContainer(node, site);
      else if (type === 'string' || type === 'template_string') fromUrl(node, site);
      else if (/^(new URLSearchParams|URLSearchParams|urlencode|urllib\.parse\.urlencode|parse\.urlencode)\(/.test(node.text.replace(/^new\s+/, 'new '))) {
        // `new URLSearchParams({ since })`, `urlencode({"since": since})`: the query's fields.
        const first = (node.childForFieldName('arguments') ?? undefined)?.namedChildren[0];
        if (first) visit(first, site);
      }
    };
    for (const [name, value] of keywords) {
      if (value.type === 'dictionary') fromNamed(name, value);
      else candidates.push({ name, value });
      visit(value);
    }
    for (const argument of positional) visit(argument);
    // The URL or the query built before the call (`url = f"…?since={start}"`, `params = {…}; params["after"] = after`).
    for (const argument of [...positional.slice(0, 2), ...keywords.values()]) {
      const earlier = builtEarlier(argument);
      if (!earlier || !CURSOR_WORDS.test(earlier.value.text) && earlier.value.type !== 'dictionary') continue;
      visit(earlier.value, earlier.site);
      for (const store of scope.stores) {
        const { target, value } = store;
        const key = target.type === 'subscript' && target.childForFieldName('value')?.text === argument.text ? stringValue(target.childForFieldName('subscript')) : undefined;
        if (key && value && store.node.startIndex < call.node.startIndex) candidates.push({ name: key, value });
      }
    }
    return candidates
      .map((c) => (c.since || !isBracketLowerBound(c.name) ? c : { ...c, since: true }))
      .filter((c) => c.since || PAGE_PARAMS.test(c.name) || SINCE_PARAMS.test(c.name) || SINCE_SHAPE.test(c.name))
      .map((c) => ({ ...c, value: c.value.type === 'parenthesized_expression' ? (c.value.namedChildren[0] ?? c.value) : c.value }));
  }


  /**
   * Whether a call's arguments name a variable of the scope assigned a URL or query that
   * findCursorArguments() would look through (the test its `builtEarlier` values must pass).
   */
  private passesCursorSource(scope: Scope, argumentsText: string): boolean {
    let names = this.scopeCursorSources.get(scope);
    if (!names) {
      names = new Set(scope.assignments.filter((a) => !!a.value && (a.value.type === 'dictionary' || CURSOR_WORDS.test(a.value.text))).map((a) => a.name));
      this.scopeCursorSources.set(scope, names);
    }
    // A substring test, not a word test: any identifier character set would be a guess at the grammar's.
    for (const name of names) if (argumentsText.includes(name)) return true;
    return false;
  }

  /**
   * `startOfMonth()`: a local function of no arguments whose one `return` computes a start from the
   * clock. Its returned expression stands for the call.
   */
  private clockHelper(text: string): { fn: Scope; returned: string } | undefined {
    const call = /^([A-Za-z_$][\w$]*)\(\)$/.exec(text.trim());
    if (!call) return undefined;
    const candidates = this.ctx.functionsNamed(call[1]);
    const fn = candidates.length === 1 && candidates[0].params.length === 0 && candidates[0].returns.length === 1 ? candidates[0] : undefined;
    const returned = fn?.returns[0].namedChildren[0]?.text;
    if (!fn || !returned || !/\b(now|utcnow|Date\.now|Date\.UTC|new Date|time\.time|today)\b/.test(fn.node.text)) return undefined;
    return { fn, returned: fn.returns[0].namedChildren[0]?.type === 'identifier' ? (this.clockVariable(returned, fn, fn.returns[0]) ?? returned) : returned };
  }

  /**
   * After `statement`, the function does work worth skipping: it sends, fetches, calls a model or
   * Redis, calls a local function, or awaits a library call (not the response's own `.text()`).
   */
  private workFollows(scope: Scope, statement: Node, responseNames: string[]): boolean {
    // A function that answers its caller (`return alert`) leaves the work to it.
    if (scope.kind === 'function' && scope.returns.some((r) => r.startIndex > statement.endIndex && r.namedChildren.length > 0)) return true;
    const end = scope.node.endIndex;
    const onResponse = new RegExp(`^(${responseNames.filter((n) => /^[A-Za-z_$][\w$]*$/.test(n)).map(escapeRegExp).join('|') || '\\b\\B'})\\.`);
    return this.ctx.facts.calls.some((call) => {
      if (call.node.startIndex < statement.endIndex || callEnd(call) > end) return false;
      const text = calleeText(call);
      // `(await res.text()).trim()` works on the response too.
      if (onResponse.test(text.replace(/^[(\s]*(await\s+)?/, '')) || /^(console|logger|logging|log|print|JSON|json|Math|String|Number|Object|Array|str|int|float|len)\b/.test(text)) return false;
      if (this.ctx.localCallee(call) || isAwaited(call)) return true;
      const path = this.ctx.resolver.qualify(call.callee, call.scope);
      return !!httpCall(path) || isMessageSend(path) || !!llmCall(path) || this.ctx.redisOps.some((op) => op.call === call) || /\.(write|insert|upsert|update|execute|create|save|put|post|send)\w*$/i.test(text);
    });
  }

  /** The function returns a list or dict it builds (a literal, a comprehension, or a local assigned one). */
  private returnsCollection(scope: Scope): boolean {
    const COLLECTION = /^(list|list_comprehension|dictionary|dictionary_comprehension|array|object|generator_expression|set_comprehension)$/;
    return scope.returns.some((r) => {
      const value = r.namedChildren[0];
      if (!value || /^(\[\]|\{\}|\(\))$/.test(value.text)) return false;
      if (COLLECTION.test(value.type)) return true;
      return value.type === 'identifier' && scope.assignments.some((a) => a.name === value.text && !!a.value && COLLECTION.test(a.value.type));
    });
  }

  /** The function gives its caller what it read: it yields, or returns a list it fills (`issues.push(…)` … `return issues`). */
  private handsEveryPageBack(scope: Scope): boolean {
    if (scope.kind !== 'function') return false;
    const text = scope.body?.text ?? '';
    if (/\byield\b/.test(text)) return true;
    return scope.returns.some((r) => {
      const name = r.namedChildren[0]?.type === 'identifier' ? r.namedChildren[0].text : undefined;
      return !!name && new RegExp(`(^|[^\\w$.])${escapeRegExp(name)}\\s*(\\.(push|append|extend)\\(|\\+=)`).test(text);
    });
  }

  /** A start every run computes afresh: a literal, the clock, or a local function of the clock. */
  private isFixedStartHere(text: string): boolean {
    if (isFixedStart(text)) return true;
    const helper = this.clockHelper(text);
    return !!helper && isFixedStart(helper.returned);
  }

  /** The `datetime.now(…)` a start value is computed from through a local variable, if any. */
  private clockVariable(initText: string, scope: Scope, before: Node): string | undefined {
    for (const name of new Set(initText.match(/\b[A-Za-z_]\w*\b/g) ?? [])) {
      const assignment = [...scope.assignments].reverse().find((a) => a.name === name && a.node.startIndex < before.startIndex);
      if (assignment?.value && /\.(now|utcnow)\(/.test(assignment.value.text)) return assignment.value.text;
    }
    return undefined;
  }

  private nowFor(initText: string, plan: EditPlan, scope?: Scope, before?: Node): { value: string; restore: (stored: string, original: string) => string } | undefined {
    const q = this.ctx.quote;
    const helper = this.clockHelper(initText);
    if (helper) return this.nowFor(helper.returned, plan, helper.fn, helper.fn.returns[0]);
    if (this.python) {
      // `monday = (now - timedelta(days=now.weekday())).replace(hour=0)` with `now = datetime.now(timezone.utc)`:
      // the clock is read into a variable first.
      const clock = scope && before ? this.clockVariable(initText, scope, before) : undefined;
      const now = /((?:[\w]+\.)*\w+)\.(now|utcnow)\(([^()]*)\)/.exec(clock ?? initText);
      if (now) {
        // `(datetime.now(…) - timedelta(days=1)).isoformat()` is a string: the stored string stands in for it as it is.
        if (/\.(isoformat|strftime)\([^()]*\)$/.test(initText.trim())) return { value: `${now[0]}.isoformat()`, restore: (s, o) => `${s} or ${o}` };
        return { value: `${now[0]}.isoformat()`, restore: (s, o) => `${now[1]}.fromisoformat(${s}) if ${s} else ${o}` };
      }
      if (/^\d+$|\btime\.time\(\)/.test(initText)) {
        return { value: `int(${plan.stdlib('time')}.time())`, restore: (s, o) => `int(${s}) if ${s} else ${o}` };
      }
      if (/^[rbuf]?['"]/.test(initText) || /^[A-Z_][A-Z0-9_]*$/.test(initText)) {
        const time = plan.stdlib('time');
        return { value: `${time}.strftime(${q}%Y-%m-%dT%H:%M:%SZ${q}, ${time}.gmtime())`, restore: (s, o) => `${s} or ${o}` };
      }
      return undefined;
    }
    // A number of milliseconds or seconds: `Date.now()`, `d.getTime()`, and the setters, which answer
    // one (`Math.floor(new Date().setUTCHours(0, 0, 0, 0) / 1000)`).
    const numeric = !isWholeNewDate(initText) && /Date\.now\(\)|Date\.parse\(|Date\.UTC\(|^\d+$|\.getTime\(\)|\.set(UTC)?(FullYear|Month|Date|Hours|Minutes|Seconds|Milliseconds)\(|\/\s*1000\b|^Math\.(floor|round|trunc)\(/.test(initText);
    if (!numeric && /\bnew Date\(/.test(initText) && !/\.(toISOString|getTime)\(\)/.test(initText)) {
      return { value: 'new Date().toISOString()', restore: (s, o) => `${s} ? new Date(${s}) : ${o}` };
    }
    if (numeric) {
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
    // One preferences hash per function: its first setting carries the lens.
    if (this.preferenceScopes.has(scope)) return undefined;
    const read = this.preferenceRead(value, scope);
    if (!read) {
      const suggestion = this.commandPreference(assignmentNode, value, scope);
      if (suggestion) this.preferenceScopes.add(scope);
      return suggestion;
    }
    const user = this.idInScope(scope, USER_ORDER);
    if (!user) return undefined;
    if (this.guarded(scope, 'preference')) return undefined;
    const statement = ctx.statementOf(assignmentNode);
    if (!statement || !ctx.standsAlone(statement)) return undefined;
    const writer = this.writerAt('preference', scope, statement);
    if (!writer) return undefined;
    const { plan, code, ttl } = writer;
    const q = code.q;
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
    this.preferenceScopes.add(scope);
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
    const valueType = value.type;
    if ((valueType === 'boolean_operator' || valueType === 'binary_expression') && /^(or|\?\?|\|\|)$/.test(value.child(1)?.text ?? '')) {
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
    const fromRequest = (name: string): boolean => REQUEST_ROOTS.test(name) || (!!scope.entry && scope.params.some((p) => p.name === name));
    // `answers = Object.fromEntries(req.body.form_response.answers.map(…))`: a local built from the request.
    const builtFrom = scope.assignments.find((a) => a.name === rootName && a.node.startIndex < value.startIndex)?.value?.text.match(/[A-Za-z_$][\w$]*/g) ?? [];
    const isRequest = fromRequest(rootName) || builtFrom.some((name) => name !== rootName && fromRequest(name));
    if (!isRequest) return undefined;
    return { base: baseText, fallback, field };
  }

  /**
   * A setting parsed out of a chat command (`/country DE`, `!language de`, `units imperial`, a
   * slash command's text) is used for this reply only. Remember it per user, and read it back
   * where the function otherwise falls back to a fixed default.
   */
  /**
   * A user's setting kept in a module dict or Map (`DIETS[chat_id] = …`, `speciesBySession.set(id, …)`)
   * and read back later in the same handler: a restart, a second instance or a serverless cold start
   * loses it. The setting also goes to a Redis hash, and the read falls back to it.
   */
  private inProcessPreference(scope: Scope): SiteSuggestion | undefined {
    const ctx = this.ctx;
    if (scope.kind !== 'function' || this.preferenceScopes.has(scope) || this.guarded(scope, 'preference')) return undefined;
    for (const store of this.inProcessStores(scope)) {
      const { container, value, statement } = store;
      const read = scope.calls.find((c) => c.node.startIndex > statement.endIndex && calleeText(c) === `${container}.get` && c.args?.namedChildren[0]?.text === store.key.text);
      const readStatement = read ? ctx.statementOf(read.node) : undefined;
      if (!read || !readStatement || !ctx.standsAlone(readStatement) || !ctx.standsAlone(statement)) continue;
      const writer = this.writerAt('preference', scope, statement);
      if (!writer) return undefined;
      const { plan, code, ttl } = writer;
      const q = code.q;
      const field = settingName(container);
      const key = code.key('preferences', [{ expression: store.key.text }]);
      const keyName = ctx.freshName(this.python ? 'preferences_key' : 'preferencesKey');
      const remembered = ctx.freshName(this.python ? `remembered_${snake(field)}` : `remembered${field[0].toUpperCase()}${field.slice(1)}`);
      const save: CodeLine[] = [];
      const load: CodeLine[] = [];
      const readArgs = read.args!.namedChildren;
      if (this.python) {
        const open = code.open();
        save.push(line(0, `# Workflow memory: keep the user's ${field} between runs (a dict is lost on a restart).`));
        save.push(...open.lines);
        save.push(line(open.depth, `${keyName} = ${key.code}`));
        save.push(line(open.depth, code.call('hset', [keyName, `${q}${field}${q}`, `${container}[${store.key.text}]`])));
        save.push(line(open.depth, code.call('expire', [keyName, ttl])));
        load.push(...open.lines);
        const fetched = code.call('hget', [key.code, `${q}${field}${q}`]);
        load.push(line(open.depth, `${remembered} = ${code.access.decodes === false ? `(${fetched} or b"").decode() or None` : fetched}`));
        const fallback = readArgs[1] ? ` or ${readArgs[1].text}` : '';
        plan.replace(read.node, `(${container}.get(${readArgs[0].text}) or ${remembered}${fallback})`);
      } else {
        save.push(line(0, `// Workflow memory: keep the user's ${field} between runs (a Map is lost on a restart).`));
        save.push(line(0, `const ${keyName} = ${key.code};`));
        save.push(line(0, `${code.call('hset', [keyName, `${q}${field}${q}`, value.text])};`));
        save.push(line(0, `${code.call('expire', [keyName, ttl])};`));
        load.push(line(0, `const ${remembered} = ${code.call('hget', [key.code, `${q}${field}${q}`])};`));
        plan.replace(read.node, `(${container}.get(${readArgs[0].text}) ?? ${remembered} ?? undefined)`);
      }
      plan.insertAfter(statement, save);
      plan.insertBefore(readStatement, load);
      this.preferenceScopes.add(scope);
      return {
        kind: 'preference',
        statement,
        action: `remember each user's ${field}`,
        explanation: `The ${field} the user sets is kept in \`${container}\`, in this process only: a restart, a second instance or a cold start forgets it. Keeping it in a hash under \`${key.display}\` (${this.settings.ttlLabel('preference')}) remembers it, and the read falls back to it.`,
        key: key.display,
        edits: plan.toEdits(),
      };
    }
    return undefined;
  }

  /**
   * A user's setting kept in this process by one handler and read by another: a module dict or Map
   * (`projectByUser.set(command.user_id, projectId)` … `projectByUser.get(event.user)`), or
   * python-telegram-bot's `context.user_data["home_stop"] = …` … `context.user_data.get("home_stop")`
   * (in memory unless the bot configures persistence). A restart forgets it. The storing handler
   * also writes it to a Redis hash, and the reading handler falls back to that hash.
   */
  private crossHandlerPreference(scope: Scope): SiteSuggestion | undefined {
    const ctx = this.ctx;
    if (scope.kind !== 'function' || this.preferenceScopes.has(scope) || this.guarded(scope, 'preference')) return undefined;
    for (const store of [...this.inProcessStores(scope), ...this.userDataStores(scope)]) {
      const reading = this.settingReadElsewhere(store, scope);
      if (!reading || !ctx.standsAlone(store.statement)) continue;
      const { read, readScope, readStatement, readId } = reading;
      const writer = this.writerAt('preference', scope, store.statement);
      const readAccess = memoryAccessAt(ctx, readScope, readStatement);
      const sameAccess = (a: MemoryAccess | undefined, b: MemoryAccess | undefined): boolean =>
        !!a && !!b && a.client === b.client && a.wait === b.wait && a.nsVar === b.nsVar && a.opener === b.opener && a.createClient === b.createClient && a.flavor === b.flavor;
      if (!writer || !sameAccess(memoryAccessAt(ctx, scope, store.statement), readAccess)) return undefined;
      const { plan, code, ttl } = writer;
      const q = code.q;
      const field = store.field;
      const key = code.key('preferences', [{ expression: store.id }]);
      const readKey = code.key('preferences', [{ expression: readId }]);
      const keyName = ctx.freshName(this.python ? 'preferences_key' : 'preferencesKey');
      const remembered = ctx.freshName(this.python ? `remembered_${snake(field)}` : `remembered${field[0].toUpperCase()}${field.slice(1)}`);
      const readArgs = read.args!.namedChildren;
      const save: CodeLine[] = [];
      const load: CodeLine[] = [];
      const where = store.userData ? `${store.container} lives in this process only` : `a ${this.python ? 'dict' : 'Map'} is lost on a restart`;
      if (this.python) {
        const open = code.open();
        save.push(line(0, `# Workflow memory: keep the user's ${field} between runs (${where}).`));
        save.push(...open.lines);
        save.push(line(open.depth, `${keyName} = ${key.code}`));
        save.push(line(open.depth, code.call('hset', [keyName, `${q}${field}${q}`, store.stored])));
        save.push(line(open.depth, code.call('expire', [keyName, ttl])));
        load.push(...open.lines);
        const fetched = code.call('hget', [readKey.code, `${q}${field}${q}`]);
        load.push(line(open.depth, `${remembered} = ${code.access.decodes === false ? `(${fetched} or b"").decode() or None` : fetched}`));
        const fallback = readArgs[1] ? ` or ${readArgs[1].text}` : '';
        plan.replace(read.node, `(${calleeText(read)}(${readArgs[0].text}) or ${remembered}${fallback})`);
      } else {
        save.push(line(0, `// Workflow memory: keep the user's ${field} between runs (${where}).`));
        save.push(line(0, `const ${keyName} = ${key.code};`));
        save.push(line(0, `${code.call('hset', [keyName, `${q}${field}${q}`, store.stored])};`));
        save.push(line(0, `${code.call('expire', [keyName, ttl])};`));
        load.push(line(0, `const ${remembered} = ${code.call('hget', [readKey.code, `${q}${field}${q}`])};`));
        plan.replace(read.node, `(${calleeText(read)}(${readArgs[0].text}) ?? ${remembered} ?? undefined)`);
      }
      plan.insertAfter(store.statement, save);
      plan.insertBefore(readStatement, load);
      this.preferenceScopes.add(scope);
      this.preferenceScopes.add(readScope);
      return {
        kind: 'preference',
        statement: store.statement,
        action: `remember each user's ${field}`,
        explanation: `The ${field} the user sets here is kept in \`${store.container}\`, in this process only, and ${readScope.name.startsWith('<') ? 'another handler' : `\`${readScope.name}\``} reads it back: a restart, a second instance or a cold start forgets it. Keeping it in a hash under \`${key.display}\` (${this.settings.ttlLabel('preference')}) remembers it, and the read falls back to it.`,
        key: key.display,
        edits: plan.toEdits(),
      };
    }
    return undefined;
  }

  /**
   * python-telegram-bot: `context.user_data["home_stop"] = value` in a handler `(update, context)`.
   * The user is the update's; chat_data belongs to the chat.
   */
  private userDataStores(scope: Scope): InProcessStore[] {
    const [update, context] = handlerParams(scope);
    if (!this.python || !context) return [];
    const stores: InProcessStore[] = [];
    for (const store of scope.stores) {
      if (store.target.type !== 'subscript' || !store.value) continue;
      const container = store.target.childForFieldName('value')?.text;
      const bag = container === `${context}.user_data` ? 'user' : container === `${context}.chat_data` ? 'chat' : undefined;
      const field = stringValue(store.target.childForFieldName('subscript'));
      const statement = this.ctx.statementOf(store.node);
      if (!bag || !container || !field || !/^\w+$/.test(field) || !statement) continue;
      stores.push({ container, key: store.target.childForFieldName('subscript')!, value: store.value, statement, field, id: `${update}.effective_${bag}.id`, stored: store.target.text, userData: bag });
    }
    return stores;
  }

  /** Where another handler reads the stored setting back (`container.get(…)`), with the id it reads it for. */
  private settingReadElsewhere(store: InProcessStore, storeScope: Scope): { read: CallSite; readScope: Scope; readStatement: Node; readId: string } | undefined {
    const ctx = this.ctx;
    for (const readScope of ctx.facts.scopes) {
      if (readScope === storeScope || readScope.kind !== 'function' || !ctx.reachable.has(readScope) || this.preferenceScopes.has(readScope) || this.guarded(readScope, 'preference')) continue;
      let container = store.container;
      let readId: string | undefined;
      if (store.userData) {
        const [update, context] = handlerParams(readScope);
        if (!context) continue;
        container = `${context}.${store.userData}_data`;
        readId = `${update}.effective_${store.userData}.id`;
      }
      for (const call of readScope.calls) {
        if (calleeText(call) !== `${container}.get`) continue;
        const first = call.args?.namedChildren[0];
        if (!first) continue;
        if (store.userData ? stringValue(first) !== store.field : !IN_PROCESS_ID.test(first.text) || first.text.length > 60) continue;
        const readStatement = ctx.statementOf(call.node);
        if (!readStatement || !ctx.standsAlone(readStatement)) continue;
        return { read: call, readScope, readStatement, readId: readId ?? first.text.replace(/\s*(\?\?|\|\||or)\s*(''|""|None|undefined|null)\s*$/, '') };
      }
    }
    return undefined;
  }

  /** `SETTINGS[user_id] = value` / `settingsByUser.set(userId, value)` into a module-level dict or Map named for a setting. */
  private inProcessStores(scope: Scope): InProcessStore[] {
    const ctx = this.ctx;
    // Found once per file: module scopes hold thousands of assignments in big files.
    const containers = (this.settingContainers ??= new Set(
      ctx.facts.module.assignments
        .filter((a) => IN_PROCESS_SETTING.test(a.name) && !!a.value && /^(\{\s*\}|dict\(\)|defaultdict\(|new Map\b)/.test(a.value.text))
        .map((a) => a.name),
    ));
    if (containers.size === 0) return [];
    const stores: InProcessStore[] = [];
    const idLike = IN_PROCESS_ID;
    if (this.python) {
      for (const store of scope.stores) {
        const container = store.target.type === 'subscript' ? store.target.childForFieldName('value')?.text : undefined;
        const key = store.target.childForFieldName('subscript');
        const statement = ctx.statementOf(store.node);
        if (container && containers.has(container) && key && store.value && statement && idLike.test(key.text)) {
          stores.push({ container, key, value: store.value, statement, field: settingName(container), id: key.text, stored: `${container}[${key.text}]` });
        }
      }
    } else {
      for (const call of scope.calls) {
        const container = /^([A-Za-z_$][\w$]*)\.set$/.exec(calleeText(call))?.[1];
        const [key, value] = call.args?.namedChildren ?? [];
        const statement = ctx.statementOf(call.node);
        if (container && containers.has(container) && key && value && statement && idLike.test(key.text)) {
          stores.push({ container, key, value, statement, field: settingName(container), id: key.text, stored: value.text });
        }
      }
    }
    return stores;
  }

  private commandPreference(assignmentNode: Node, value: Node, scope: Scope): SiteSuggestion | undefined {
    const ctx = this.ctx;
    const target = assignmentNode.childForFieldName(assignmentNode.type === 'variable_declarator' ? 'name' : 'left');
    if (target?.type !== 'identifier' || /\n/.test(value.text)) return undefined;
    const name = target.text;
    if (!PREFERENCE_NAMES.test(name) && !COMMAND_SETTING_NAMES.test(name)) return undefined;
    const statement = ctx.statementOf(assignmentNode);
    if (!statement || !ctx.standsAlone(statement)) return undefined;
    const command = this.commandBranch(statement, scope);
    const valueNames = new Set(value.text.match(/[A-Za-z_$][\w$]*/g) ?? []);
    const parsesCommand = !!command && command.names.some((n) => valueNames.has(n));
    const slashCommandText = !!scope.callbackOf && /\.command$/.test(scope.callbackOf.callee.text) && /\.text\b/.test(value.text);
    if (!parsesCommand && !slashCommandText) return undefined;
    const user = this.idInScope(scope, USER_ORDER);
    if (!user || this.guarded(scope, 'preference')) return undefined;
    const writer = this.writerAt('preference', scope, statement);
    if (!writer) return undefined;
    const { plan, code, ttl } = writer;
    const q = code.q;
    const key = code.key('preferences', [{ expression: user }]);
    const keyName = ctx.freshName(this.python ? 'preferences_key' : 'preferencesKey');
    const field = `${q}${name}${q}`;
    const open = code.open();
    const save: CodeLine[] = [];
    if (this.python) {
      save.push(line(0, `# Workflow memory: remember the user's ${name} for their next messages.`));
      save.push(...open.lines);
      save.push(line(open.depth, `${keyName} = ${key.code}`));
      save.push(line(open.depth, code.call('hset', [keyName, field, name])));
      save.push(line(open.depth, code.call('expire', [keyName, ttl])));
    } else {
      save.push(line(0, `// Workflow memory: remember the user's ${name} for their next messages.`));
      save.push(line(0, `const ${keyName} = ${key.code};`));
      save.push(line(0, `${code.call('hset', [keyName, field, name])};`));
      save.push(line(0, `${code.call('expire', [keyName, ttl])};`));
    }
    plan.insertAfter(this.afterValidation(statement, name), save);
    // Where the function falls back to a fixed default (`country = "US"`), use the remembered one first.
    const fallback = scope.assignments.find((a) => a.name === name && a.node !== assignmentNode && a.value && /^(string|integer|float|number)$/.test(a.value.type) && !(command && command.branch.startIndex <= a.node.startIndex && a.node.endIndex <= command.branch.endIndex));
    const fallbackStatement = fallback ? ctx.statementOf(fallback.node) : undefined;
    let readsBack = false;
    if (fallback?.value && fallbackStatement && ctx.standsAlone(fallbackStatement)) {
      const remembered = ctx.freshName(this.python ? `remembered_${snake(name)}` : `remembered${name[0].toUpperCase()}${name.slice(1)}`);
      const readKey = ctx.freshName(this.python ? 'preferences_key' : 'preferencesKey');
      const read: CodeLine[] = [];
      if (this.python) {
        read.push(...open.lines);
        read.push(line(open.depth, `${readKey} = ${key.code}`));
        read.push(line(open.depth, `${remembered} = ${code.call('hget', [readKey, field])}`));
        plan.replace(fallback.value, `${remembered} or ${fallback.value.text}`);
      } else {
        read.push(line(0, `const ${remembered} = ${code.call('hget', [key.code, field])};`));
        plan.replace(fallback.value, `${remembered} ?? ${fallback.value.text}`);
      }
      plan.insertBefore(fallbackStatement, read);
      readsBack = true;
    }
    return {
      kind: 'preference',
      statement,
      action: `remember each user's ${name}`,
      explanation: `The ${name} the user sets here is used for this reply only; their next message starts from ${readsBack ? `\`${shorten(fallback!.value!.text)}\`` : 'nothing'} again. Keeping it in a hash under \`${key.display}\` (${this.settings.ttlLabel('preference')}) remembers it${readsBack ? ' and reads it back' : ''}.`,
      key: key.display,
      edits: plan.toEdits(),
    };
  }

  /**
   * The last of the checks right after `statement` that turn a bad `name` away (`if not valid(name):
   * … return`): a setting is stored once it has passed them, never the value the user is told is wrong.
   */
  private afterValidation(statement: Node, name: string): Node {
    const mentions = new RegExp(`(^|[^\\w$.])${escapeRegExp(name)}\\b`);
    let anchor = statement;
    for (let next = statement.nextNamedSibling; next; next = next.nextNamedSibling) {
      if (next.type === 'comment') continue;
      if (next.type !== 'if_statement' || next.childForFieldName('alternative')) break;
      if (!mentions.test(next.childForFieldName('condition')?.text ?? '')) break;
      if (!/\b(return|raise|throw)\b/.test(next.childForFieldName('consequence')?.text ?? '') || !this.ctx.standsAlone(next)) break;
      anchor = next;
    }
    return anchor;
  }

  /** The `if text.startswith("/cmd")` branch around a statement, and the names its condition tests. */
  private commandBranch(statement: Node, scope: Scope): { branch: Node; names: string[] } | undefined {
    for (let node: Node | null = statement.parent; node && node.startIndex >= scope.node.startIndex && !node.equals(scope.node); node = node.parent) {
      if (node.type !== 'if_statement') continue;
      const condition = node.childForFieldName('condition');
      const text = condition?.text ?? '';
      const match = /([A-Za-z_$][\w$.]*?)(?:\.(?:lower|toLowerCase|strip|trim)\(\))*\.(?:startswith|startsWith)\(\s*['"`][/!.]?[\w-]+/.exec(text);
      if (match) return { branch: node, names: [match[1].split('.')[0], match[1].split('.').pop()!] };
    }
    return undefined;
  }

  // -------------------------------------------------------------------------------------------
  // Shared helpers

  private importsModule(module: string): boolean {
    for (const path of this.ctx.facts.module.imports.values()) if (path === module || path.startsWith(`${module}.`)) return true;
    return false;
  }

  /**
   * What every suggestion writes with: an edit plan using the Redis client reachable at
   * `statement`, the code builder for that client, and the kind's expiry as code. Undefined where no
   * client can be reached.
   */
  private writerAt(kind: SuggestionKind, scope: Scope, statement: Node): { plan: EditPlan; code: MemoryCode; ttl: string } | undefined {
    const access = memoryAccessAt(this.ctx, scope, statement);
    if (!access) return undefined;
    const plan = new EditPlan(this.ctx, scope);
    plan.useClient(access);
    return { plan, code: this.code(access), ttl: durationExpression(this.settings.ttlSeconds(kind)) };
  }

  private code(access: MemoryAccess): MemoryCode {
    return new MemoryCode(this.ctx, access, this.settings.namespace, this.settings.workflow);
  }

  /** Redis already guards the site: a read of the kind's family in the same function. */
  private guarded(scope: Scope, kind: SuggestionKind, related: string[] = []): boolean {
    const mentions = related.map((name) => new RegExp(`(^|[^\\w$.])${escapeRegExp(name)}\\b`));
    const guards = this.ctx.opsIn(scope).some((op) => {
      if (GUARDS[kind].test(op.command)) return true;
      if (kind === 'dedupe' && isClaim(op)) return true;
      // Memory already written from this site (the page body, the item): it is handled, if not well.
      const args = argumentsText(op.call);
      return mentions.some((pattern) => pattern.test(args));
    });
    if (guards || (kind !== 'dedupe' && kind !== 'change-detection')) return guards;
    // The claim, the "already sent?" check or the stored digest in a local helper it calls
    // (`if (!(await claim(item))) continue`, `if (digest === (await memory.lastDigest())) return`).
    return scope.calls.some((call) => {
      const helper = this.ctx.localCallee(call) ?? this.ctx.localMethodCallee(call);
      if (!helper || helper === scope) return false;
      return this.ctx.opsIn(helper).some((op) => (kind === 'dedupe' ? isClaim(op) || /^(sismember|smismember|exists|setnx)$/.test(op.command) : /^(get|getset|hget|exists)$/.test(op.command)));
    });
  }

  /** How to skip the rest of the work at `statement`: continue the loop, or return from the function. */
  private exitFrom(scope: Scope, statement: Node): string | undefined {
    const loop = scope.loops
      .filter((l) => (l.kind === 'for' || l.kind === 'while') && l.body && l.body.startIndex <= statement.startIndex && statement.endIndex <= l.body.endIndex)
      .pop();
    if (loop) return this.python ? 'continue' : 'continue;';
    if (scope.loopCallback) return this.python ? 'return' : 'return;';
    // Leaving early would skip the cleanup that follows (a lock released, a client closed).
    const rest = this.ctx.facts.text.slice(statement.endIndex, scope.node.endIndex);
    if (/\.(del|delete|unlink|quit|close|release|disconnect)\(|\bunlock\(/.test(rest)) return undefined;
    if (scope.kind === 'module') return this.python ? 'raise SystemExit(0)' : 'process.exit(0);';
    const returnsValue = scope.returns.some((r) => r.namedChildren.length > 0);
    // The function already says "nothing to do" somewhere (`return MonitorResponse(found=False, alerted=False)`,
    // `return []`): the same answer fits an unchanged page.
    const nothingDone = scope.returns.find((r) => {
      const value = r.namedChildren[0]?.text ?? '';
      return !/\n/.test(r.text) && (/^(\[\]|\{\}|0|None|null|false|False)$/.test(value) || /\(([^()]*=\s*(False|false|None|null|0)\b[^()]*)\)$/.test(value));
    });
    if (nothingDone) return nothingDone.text;
    if (this.python) {
      // A route answers with a dict; a helper's dict is what its caller reads (`product["title"]`): `{"changed": False}` would break it.
      const returnsDict = scope.entry === 'route' || (!!scope.entry && scope.returns.some((r) => r.namedChildren[0]?.type === 'dictionary'));
      // A route with a response model validates what it returns: `{"changed": False}` would be a 500.
      if (returnsDict && scope.decorators.some((d) => /response_model\s*=/.test(d))) return undefined;
      if (returnsDict) return `return {${this.ctx.quote}changed${this.ctx.quote}: False}`;
      // A bare return would hand `None` to a caller that expects the function's value.
      return returnsValue ? undefined : 'return';
    }
    const res = scope.params.find((p) => p.name === 'res' || p.name === 'reply');
    if (res && scope.params.length >= 2) return `return ${res.name}.json({ changed: false });`;
    if (/^(GET|POST|PUT|PATCH|DELETE)$/.test(scope.name)) return 'return Response.json({ changed: false });';
    return returnsValue ? undefined : 'return;';
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
    // `cfg["url"]`, `source['feed']`: a plain lookup the key can quote.
    if (text.length <= 60 && /^[A-Za-z_$][\w$]*(\.[A-Za-z_$][\w$]*|\[(['"])[\w-]+\2\]|\[\w+\])*$/.test(text)) return [{ expression: text }];
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
        // `session_id`, `chatId`, and Slack's `thread_ts` (a thread's id is its first message's timestamp).
        const match = /^(\w+?)_?(id|Id|ID|ts|Ts)$/.exec(name);
        if (match) consider(name, match[1]);
        // Who wrote, when the handler keeps it under a plain name: `sender = request.form["From"]`.
        else if (/^(sender|from_number|from_user|author|phone|phone_number|email)$/.test(name)) consider(name, name.startsWith('from') ? 'from' : name === 'phone' || name === 'phone_number' || name === 'email' ? 'contact' : name);
      }
    }
    // `body: ChatMessage` where the file declares ChatMessage with a `session_id` field.
    for (const param of scope.params) {
      const typeName = /^[A-Za-z_$][\w$]*$/.exec(param.typeText?.trim() ?? '')?.[0];
      if (!typeName) continue;
      for (const field of declaredFields(this.ctx.facts, typeName)) {
        const match = /^(\w+?)_?(id|Id|ID)$/.exec(field);
        if (match) consider(`${param.name}.${field}`, match[1]);
      }
    }
    const body = scope.node.text;
    // A chain read inside a nested callback (`answers.map((a) => a.email)`) names that callback's
    // parameter: inserted code cannot use it. Its root must be bound where the code goes.
    const locals = this.localNames(scope);
    const module = this.ctx.facts.module;
    const rootBound = (chain: string): boolean => {
      const root = /^[A-Za-z_$][\w$]*/.exec(chain)?.[0] ?? '';
      return root === 'this' || root === 'self' || locals.has(root) || module.imports.has(root) || module.assignments.some((a) => a.name === root);
    };
    const chains = /\b([A-Za-z_$][\w$]*(?:\.[A-Za-z_$][\w$]*)*)\.((\w+?)_?(?:id|Id))\b(?!\s*\()|\b([A-Za-z_$][\w$]*(?:\.[A-Za-z_$][\w$]*)*)\.(chat|from_user|from|author|user|sender|message\.chat)\.id\b|\b([A-Za-z_$][\w$]*)\[(['"])((\w+?)_?(?:id|Id))\7\]/g;
    for (let match = chains.exec(body); match; match = chains.exec(body)) {
      if (!rootBound(match[0])) continue;
      if (match[2]) consider(match[0], match[3]);
      else if (match[5]) consider(match[0], match[5].replace(/^message\./, '').replace('from_user', 'user'));
      else if (match[8]) consider(this.python ? match[0].replace(/"/g, "'") : match[0], match[9]);
    }
    // Who wrote a form or an order: `answers.email`, `order.customer.phone`.
    if (found.length === 0) {
      const contacts = /\b([A-Za-z_$][\w$]*(?:\.[A-Za-z_$][\w$]*)*)\.(email|phone)\b(?!\s*\()/g;
      for (let contact = contacts.exec(body); contact; contact = contacts.exec(body)) {
        if (contact[1] === 'this' || contact[1] === 'self' || !rootBound(contact[0])) continue;
        consider(contact[0], 'contact');
        break;
      }
    }
    // discord.py: a `discord.Message` (in a handler or a helper it calls) knows its channel and author.
    for (const param of scope.params) {
      if (this.python && /^(discord\.)?Message$/.test(param.typeText?.trim() ?? '') && this.importsModule('discord')) {
        consider(`${param.name}.channel.id`, 'channel');
        consider(`${param.name}.author.id`, 'author');
      }
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
        } else if (param.name === 'message' && this.importsModule('@slack/bolt')) {
          // Slack Bolt: every message event carries its channel (a DM is a channel of its own).
          consider('message.channel', 'channel');
        } else if (/^(message|msg|interaction)$/.test(param.name) && this.importsModule('discord.js')) {
          // discord.js: a Message / Interaction knows its channel and its author.
          consider(`${param.name}.channelId`, 'channel');
          consider(param.name === 'interaction' ? 'interaction.user.id' : `${param.name}.author.id`, 'author');
        }
      }
    }
    found.sort((a, b) => a.rank - b.rank);
    return found[0]?.text;
  }
}

// -----------------------------------------------------------------------------------------------

/** Where each `class|interface|type <Name>` may start, by name: one scan per file instead of one per lookup. */
const typeHeaderStarts = new WeakMap<FileFacts, Map<string, number[]>>();

/** The statements that make a call and pull its value out, and what changes around them when the value is cached. */
interface ResultSpan {
  first: Node;
  last: Node;
  valueName: string;
  valueText: string;
  declaration: Node;
  /** Python: the value read out of the result after the call (`response.choices[0].message.content`). */
  extract?: string;
  /** Later reads of that value, replaced by `valueName`. */
  uses?: Node[];
  /** Checks on the result (`response.raise_for_status()`) that move next to the call. */
  moved?: Node[];
}

/** Field names of a class / interface / type literal declared in the file (`class ChatMessage(BaseModel): session_id: str`). */
function declaredFields(facts: FileFacts, typeName: string): string[] {
  const text = facts.text;
  // `$` would be an end-of-input anchor in the header pattern: such a name never matches.
  if (!/^[A-Za-z_]\w*$/.test(typeName)) return [];
  let starts = typeHeaderStarts.get(facts);
  if (!starts) {
    starts = new Map();
    const keyword = /(?:class|interface|type)\s+([A-Za-z_]\w*)/g;
    for (let match = keyword.exec(text); match; match = keyword.exec(text)) {
      const list = starts.get(match[1]);
      if (list) list.push(match.index);
      else starts.set(match[1], [match.index]);
      keyword.lastIndex = match.index + 1;
    }
    typeHeaderStarts.set(facts, starts);
  }
  const header = new RegExp(`(?:class|interface|type)\\s+${typeName}\\b[^\\n]*?(?::|\\{|=\\s*\\{)[ \\t]*\\n`, 'y');
  let bodyStart = -1;
  for (const start of starts.get(typeName) ?? []) {
    header.lastIndex = start;
    const match = header.exec(text);
    if (match) {
      bodyStart = start + match[0].length;
      break;
    }
  }
  if (bodyStart < 0) return [];
  const fields: string[] = [];
  for (let rowStart = bodyStart; rowStart <= text.length; ) {
    const newline = text.indexOf('\n', rowStart);
    const rowEnd = newline < 0 ? text.length : newline;
    const row = text.slice(rowStart, rowEnd);
    rowStart = rowEnd + 1;
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

/** The local an axios/got body is destructured into: `{ data }` -> data, `{ data: rows }` -> rows. */
function bodyLocal(pattern: Node): string | undefined {
  for (const part of pattern.namedChildren) {
    if (part.type === 'shorthand_property_identifier_pattern' && /^(data|body)$/.test(part.text)) return part.text;
    if (part.type === 'pair_pattern' && /^(data|body)$/.test(part.childForFieldName('key')?.text ?? '')) {
      const local = part.childForFieldName('value');
      if (local?.type === 'identifier') return local.text;
    }
  }
  return undefined;
}

/** What a fetch's page is read into: the expression the check hashes, and the statement that reads it. */
interface PageContent {
  expression: string;
  type: 'string' | 'bytes' | 'object' | 'unknown';
  statement: Node;
  /** `await response.text()` inside a larger statement: replaced by `expression`, declared just before `statement`. */
  inlineRead?: Node;
}

function contentType(accessor: string): 'string' | 'bytes' | 'object' | 'unknown' | undefined {
  if (/^\.(text|text\(\))/.test(accessor)) return 'string';
  if (/^\.(content|read\(\))/.test(accessor)) return 'bytes';
  if (/^\.json/.test(accessor)) return 'object';
  if (/^\.(data|body)/.test(accessor)) return 'unknown';
  return undefined;
}

function replyExpression(api: LlmApi, result: string, python: boolean, q: string): string {
  switch (api) {
    case 'openai-responses':
      return `${result}.output_text`;
    case 'anthropic':
      return python ? `${result}.content[0].text` : `${result}.content.map((block) => ('text' in block ? block.text : '')).join('')`;
    case 'langchain':
      return `${result}.content`;
    default:
      // `content` is null when the model answered with a tool call: a null turn would be refused next time.
      return python ? `${result}.choices[0].message.content or ${q}${q}` : `${result}.choices[0].message.content ?? ${q}${q}`;
  }
}

/** The content expression of one chat message: `{"role": "user", "content": x}`, `{ role, content }`, `HumanMessage(content=x)`, `("user", x)`. */
function messageContent(element: Node): string | undefined {
  let value: Node | null | undefined;
  if (element.type === 'dictionary' || element.type === 'object') {
    for (const pair of element.namedChildren) {
      if (pair.type === 'shorthand_property_identifier' && pair.text === 'content') return 'content';
      if (pair.type === 'pair' && pair.childForFieldName('key')?.text.replace(/['"]/g, '') === 'content') value = pair.childForFieldName('value');
    }
  } else if (element.type === 'call') {
    const { positional, keywords } = splitArguments(element.childForFieldName('arguments') ?? undefined);
    value = keywords.get('content') ?? positional[0];
  } else if (element.type === 'tuple' && element.namedChildren.length === 2) {
    value = element.namedChildren[1];
  }
  // Any one-line expression can be stored as the turn's content (an f-string, a field, a variable).
  if (!value || /\n/.test(value.text) || value.text.length > 160) return undefined;
  return value.text;
}

function isFixedStart(text: string): boolean {
  if (/^(None|null|undefined|0|1|True|False)$/.test(text)) return true;
  if (/^-?\d+(\.\d+)?$/.test(text)) return true;
  if (/^[rbuf]?(['"`])[^'"`{}$]*\1$/.test(text)) return true;
  if (/\b(now|utcnow|Date\.now|Date\.parse|Date\.UTC|time\.time|timedelta|new Date|today|datetime\(|date\()\b/.test(text) && !/\b(get|load|read|fetch|redis|state|db)\b/i.test(text)) return true;
  return false;
}

function unquote(text: string): string {
  return text.replace(/^['"]|['"]$/g, '');
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

/** The same lines one level deeper (the body of an `if` around them). */
function indented(lines: CodeLine[]): CodeLine[] {
  return lines.map((entry) => line(entry.depth + 1, entry.text));
}

/** `SET key … NX`: a claim that succeeds once per key. */
function isClaim(op: RedisOp): boolean {
  return op.command === 'setnx' || (op.command === 'set' && /\bnx\b|['"]NX['"]|NX\s*:/i.test(argumentsText(op.call)));
}

/** `occurred_at[after]`, `updated_at[gte]` (Chargebee, Rails-style filters): a lower bound on a time field. */
function isBracketLowerBound(name: string): boolean {
  const match = /^(\w+)\[(\w+)\]$/.exec(name);
  return !!match && TIME_FIELD.test(match[1]) && LOWER_BOUND.test(match[2]);
}

/** `"\\n".join(…)`, `.join('<br>')`, or elements that are lines of markup themselves (`f"<li>{x}</li>"`). */
function joinsLines(statementText: string, elementText: string): boolean {
  const lineBreak = /\\n|<br|<li|<tr|<p>/;
  if (lineBreak.test(elementText)) return true;
  for (const match of statementText.matchAll(/(['"`])((?:(?!\1).)*)\1\s*\.join\(|\.join\(\s*(['"`])((?:(?!\3).)*)\3/g)) {
    if (lineBreak.test(match[2] ?? match[4] ?? '')) return true;
  }
  return false;
}

/** `since.isoformat()`, `since.strftime(…)`, `since.toISOString()`: the starting point is the variable. */
function startingPoint(value: Node): Node {
  if ((value.type === 'call' || value.type === 'call_expression') && /^[A-Za-z_$][\w$]*\.(isoformat|strftime|timestamp|toISOString|getTime|valueOf)\(/.test(value.text)) {
    const receiver = value.childForFieldName('function')?.childForFieldName('object');
    if (receiver?.type === 'identifier') return receiver;
  }
  return value;
}

/** `review_id` / `reviewId` of `review` (or of `reviews`' item): the item's own id, not a reference to another thing. */
function ownIdField(item: string, field: string): boolean {
  const prefix = field.replace(/_?(id|Id|ID)$/, '').toLowerCase();
  const noun = item.toLowerCase().replace(/s$/, '');
  // `objectID` (Algolia), `item_id`, `external_id`: generic names for the thing itself.
  if (/^(object|item|entry|record|node|doc|document|entity|resource|external|unique|global|public|event|message|post)$/.test(prefix)) return true;
  return prefix === noun || noun.endsWith(prefix) || prefix.endsWith(noun);
}

/** The setting a container holds: `DIETS` -> `diet`, `speciesBySession` -> `species`, `LANG_BY_USER` -> `lang`. */
/** `new Date(…)` and nothing after it: a Date, whatever its argument computes. */
function isWholeNewDate(text: string): boolean {
  if (!text.startsWith('new Date(')) return false;
  let depth = 0;
  for (let index = 'new Date'.length; index < text.length; index++) {
    if (text[index] === '(') depth++;
    else if (text[index] === ')' && --depth === 0) return index === text.length - 1;
  }
  return false;
}

/** A python-telegram-bot handler's `(update, context)`, after `self` in a method. */
function handlerParams(scope: Scope): string[] {
  return scope.params.map((p) => p.name).filter((name) => name !== 'self' && name !== 'cls');
}

function settingName(container: string): string {
  const base = container.replace(/(By|_by_|_BY_)[A-Za-z_]*$/, '').replace(/^_+/, '');
  const lower = /^[A-Z0-9_]+$/.test(base) ? base.toLowerCase() : base[0].toLowerCase() + base.slice(1);
  if (/(species|series|status|settings?)$/i.test(lower)) return lower;
  return lower.replace(/ies$/, 'y').replace(/([^su])s$/, '$1').replace(/_+$/, '') || 'setting';
}

/**
 * The assignments a value is built from, following local names back through `depth` levels
 * (`rows = sorted(repos)`, then `repos = requests.get(…).json()`), the latest before `before` for each name.
 */
function* assignmentsBehind(value: Node, scope: Scope, before: number, depth: number): Generator<{ node: Node; value: Node }> {
  const seen = new Set<string>();
  let names: string[] = value.text.match(/[A-Za-z_$][\w$]*/g) ?? [];
  for (let level = 0; level < depth && names.length > 0; level++) {
    const next: string[] = [];
    for (const name of names) {
      if (seen.has(name)) continue;
      seen.add(name);
      const assignment = [...scope.assignments].reverse().find((a) => a.name === name && a.node.startIndex < before);
      if (!assignment?.value) continue;
      yield { node: assignment.node, value: assignment.value };
      next.push(...(assignment.value.text.match(/[A-Za-z_$][\w$]*/g) ?? []));
    }
    names = next;
  }
}
