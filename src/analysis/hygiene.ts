// Unhealthy memory use, found among the file's Redis operations: writes with no expiry, keys
// outside the CodeWords namespace, secrets and whole response bodies written to memory, and
// Python keys built with the per-process salted hash().

import type { Node } from 'web-tree-sitter';
import { EditPlan } from './codegen';
import type { FileContext, RedisOp } from './context';
import { callEnd, type Scope } from './facts';
import { EXPIRE_COMMANDS, EXPIRING_COMMANDS, httpCall, KEY_COMMANDS, WRITE_COMMANDS } from './libraries';
import type { Finding, Range } from './types';
import { durationExpression, formatDuration } from './ttl';

const SECRET_WORDS = new Set(['password', 'passwd', 'pwd', 'secret', 'token', 'apikey', 'authorization', 'credential', 'credentials', 'bearer', 'privatekey', 'cookie', 'session_secret']);
const NOT_SECRET_LAST = /^(count|len|length|limit|usage|used|type|name|url|max|min|expiry|expires|ttl|id|ids|hash|digest|field|key_name|index|budget|estimate|page|cursor)$/i;
// `total_tokens`, `max_tokens`: a model's token counts, not credentials.
const NOT_SECRET_BEFORE = /^(page|cursor|continuation|sync|next|max|num|csrf_free|total|prompt|completion|input|output|cached|reasoning|used)$/i;

export function findHygieneIssues(ctx: FileContext, defaultTtlSeconds: number): Finding[] {
  const findings: Finding[] = [];
  const byScope = new Map<Scope, RedisOp[]>();
  for (const op of ctx.redisOps) {
    const list = byScope.get(op.call.scope) ?? [];
    list.push(op);
    byScope.set(op.call.scope, list);
  }
  for (const [scope, ops] of byScope) {
    const expiredKeys = new Set(ops.filter((op) => EXPIRE_COMMANDS.has(op.command) && op.key).map((op) => normalizeKey(op.key!.text)));
    // A key outside the namespace is reported where it is first used and where it is written, not at every mention.
    const keysSeen = new Set<string>();
    // An expiry outlives later HSET/SADD/RPUSH on the key (only a SET resets it): one EXPIRE after
    // the first such write does, so the later ones are not reported again (two fixes, two EXPIREs).
    const keysReported = new Set<string>();
    for (const op of ops) {
      if (WRITE_COMMANDS.has(op.command) && !op.hasExpiryOption && op.key && !expiredKeys.has(normalizeKey(op.key.text))) {
        const reportKey = op.command === 'set' ? undefined : normalizeKey(op.key.text);
        if (!reportKey || !keysReported.has(reportKey)) findings.push(writeWithoutExpiry(ctx, op, defaultTtlSeconds));
        if (reportKey) keysReported.add(reportKey);
      }
      if (ctx.isCodeWords) {
        const seenKey = op.key ? normalizeKey(op.key.text) : undefined;
        const firstUse = !seenKey || !keysSeen.has(seenKey);
        if (seenKey) keysSeen.add(seenKey);
        const outside = firstUse || WRITE_COMMANDS.has(op.command) || EXPIRING_COMMANDS.has(op.command) ? keyOutsideNamespace(ctx, op, scope) : undefined;
        if (outside) findings.push(outside);
      }
      if (ctx.facts.dialect === 'python') {
        const perRun = perRunHash(ctx, op, ops);
        if (perRun) findings.push(perRun);
      }
      if (WRITE_COMMANDS.has(op.command) || EXPIRING_COMMANDS.has(op.command)) {
        const values = valueArguments(op);
        const secret = values.map((v) => secretIn(v, scope)).find((s) => s);
        if (secret) {
          findings.push({
            code: 'secret-in-memory',
            severity: 'warning',
            message: `\`${secret}\` looks like a secret and is written to Redis memory, where anyone who can read the namespace sees it. Keep secrets in the environment or a secret manager, and store only a reference or a hash.`,
            range: rangeOf(op.call.node),
          });
        }
        // A parsed response kept under a cache key is the cached answer itself, not a body where a hash would do.
        const parsedCounts = !/cache/i.test(op.key?.text ?? '');
        const body = values.map((v) => wholeBodyIn(ctx, v, scope, 0, parsedCounts)).find((b) => b);
        if (body) findings.push(wholeBody(ctx, op, body));
      }
    }
  }
  return findings.sort((a, b) => a.range.start.line - b.range.start.line || a.range.start.character - b.range.start.character);
}

// -----------------------------------------------------------------------------------------------

function writeWithoutExpiry(ctx: FileContext, op: RedisOp, seconds: number): Finding {
  const python = ctx.facts.dialect === 'python';
  const ttl = durationExpression(seconds);
  const label = formatDuration(seconds);
  const plan = new EditPlan(ctx, op.call.scope);
  let fixTitle = `Add an expiry (${label})`;
  const args = op.call.args;
  let fixable = !!args;
  if (op.command === 'set' && args) {
    if (python) {
      const closing = args.lastChild!;
      const beforeClose = ctx.facts.text.slice(args.startIndex, closing.startIndex).trimEnd();
      plan.insertAt(closing.startPosition.row, closing.startPosition.column, `${beforeClose.endsWith(',') ? ' ' : ', '}ex=${ttl}`);
    } else if (op.flavor === 'node-redis') {
      const options = op.positional[2];
      if (options?.type === 'object') {
        const brace = options.firstChild!;
        plan.insertAt(brace.endPosition.row, brace.endPosition.column, ` EX: ${ttl},`);
      } else if (op.positional[1]) {
        plan.insertAt(op.positional[1].endPosition.row, op.positional[1].endPosition.column, `, { EX: ${ttl} }`);
      } else fixable = false;
    } else if (op.positional[1]) {
      const q = ctx.quote;
      plan.insertAt(op.positional[1].endPosition.row, op.positional[1].endPosition.column, `, ${q}EX${q}, ${ttl}`);
    } else fixable = false;
  } else {
    // Any other write: an EXPIRE right after the statement that writes.
    const statement = ctx.statementOf(op.call.node);
    const simpleReceiver = /^[\w$]+(\.[\w$]+)*$/.test(op.receiver.text);
    const isWholeStatement = statement && (statement.namedChildren[0]?.equals(op.call.node) || statement.namedChildren[0]?.namedChildren[0]?.equals(op.call.node));
    if (statement && simpleReceiver && isWholeStatement && ctx.standsAlone(statement) && op.key) {
      const wait = op.awaited ? 'await ' : '';
      const end = python ? '' : ';';
      plan.insertAfter(statement, [{ depth: 0, text: `${wait}${op.receiver.text}.expire(${op.key.text}, ${ttl})${end}` }]);
      fixTitle = `Add an EXPIRE after the write (${label})`;
    } else fixable = false;
  }
  return {
    code: 'write-without-expiry',
    severity: 'warning',
    message: `\`${op.method}\` writes \`${shortKey(op.key!.text)}\` with no expiry, so this memory grows forever. Give it an expiry (${python ? 'ex=' : op.flavor === 'node-redis' ? '{ EX: … }' : "'EX', seconds"}, or EXPIRE after the write).`,
    range: rangeOf(op.call.node),
    fix: fixable ? { title: fixTitle, edits: plan.toEdits() } : undefined,
  };
}

function keyOutsideNamespace(ctx: FileContext, op: RedisOp, scope: Scope): Finding | undefined {
  if (!KEY_COMMANDS.has(op.command) || ctx.facts.dialect !== 'python') return undefined;
  const nsVar = namespaceVariable(ctx, op, scope);
  const keys = ['mget', 'delete', 'del', 'unlink', 'exists'].includes(op.command) ? op.positional : op.key ? [op.key] : [];
  for (const keyArg of keys) {
    let literal: Node | undefined = keyArg.type === 'string' ? keyArg : undefined;
    if (!literal && keyArg.type === 'identifier') {
      const assignment = [...scope.assignments].reverse().find((a) => a.name === keyArg.text && a.node.startIndex < keyArg.startIndex);
      if (assignment?.value?.type === 'string') literal = assignment.value;
    }
    // `slot_key(warehouse, appt_id)`: a local helper that returns the key. Its own `{prefix}:` counts
    // as a namespace (it may be a parameter); a fix would change every caller, so none is offered.
    let fromHelper = false;
    if (!literal && keyArg.type === 'call') {
      const site = ctx.facts.calls.find((c) => c.node.equals(keyArg));
      const helper = site ? ctx.localCallee(site) : undefined;
      const returned = helper?.returns.map((r) => r.namedChildren[0]);
      if (returned?.length && returned.every((r) => r?.type === 'string')) {
        literal = returned[0]!;
        fromHelper = true;
      }
    }
    if (!literal) continue;
    const ns = nsVar ?? 'ns';
    const start = literal.namedChildren[0];
    const isFString = /^[rR]?[fF]|^[fF][rR]?/.test(literal.text);
    const afterQuote = literal.text.replace(/^[rRbBuUfF]*(['"]{1,3})/, '');
    if (isFString && new RegExp(`^\\{${ns}\\}:`).test(afterQuote)) continue;
    if (isFString && (nsVar === undefined || fromHelper) && /^\{\w+\}:/.test(afterQuote)) continue;
    const plan = new EditPlan(ctx, op.call.scope);
    let fix: Finding['fix'];
    if (!fromHelper && start && start.type === 'string_start' && !/[bB]/.test(start.text) && (isFString || !/[{}]/.test(afterQuote)) && nsVar) {
      plan.replace(start, `${isFString ? start.text : 'f' + start.text}{${nsVar}}:`);
      fix = { title: `Put the key under {${nsVar}}:`, edits: plan.toEdits() };
    }
    return {
      code: 'key-outside-namespace',
      severity: 'error',
      message: `Key ${shortKey(literal.text)} is outside this user's CodeWords namespace: denied at run time with NOPERM. Put it under f"{${ns}}:…".`,
      // Where the key is used: the command itself (the literal may sit in an assignment further up).
      range: rangeOf(literal === keyArg ? literal : op.call.node),
      fix,
    };
  }
  return undefined;
}

/** The `ns` of `async with redis_client() as (redis, ns):` around the operation. */
function namespaceVariable(ctx: FileContext, op: RedisOp, scope: Scope): string | undefined {
  for (const block of scope.withs) {
    if (block.node.startIndex > op.call.node.startIndex || callEnd(op.call) > block.node.endIndex) continue;
    for (const item of block.items) {
      if (ctx.resolver.qualify(item.value, scope) === 'codewords_client.redis_client()' && item.target?.namedChildren.length === 2) {
        return item.target.namedChildren[1].text;
      }
    }
  }
  return undefined;
}

function valueArguments(op: RedisOp): Node[] {
  const values = op.positional.slice(1);
  for (const name of ['value', 'mapping', 'values']) {
    const keyword = op.keywords.get(name);
    if (keyword) values.push(keyword);
  }
  return values.filter((v) => !(v.type === 'string' && /^['"`](EX|PX|NX|XX|EXAT|PXAT|KEEPTTL|GET)['"`]$/i.test(v.text)));
}

// -----------------------------------------------------------------------------------------------
// Keys that change every run

/** The builtin `hash(…)` calls in a Redis operation's arguments (str and bytes hashes are salted per process). */
function builtinHashCalls(ctx: FileContext, op: RedisOp): Node[] {
  const args = op.call.args;
  if (!args || !/\bhash\(/.test(args.text)) return [];
  return args.descendantsOfType('call').filter((call) => {
    const fn = call.childForFieldName('function');
    return fn?.type === 'identifier' && fn.text === 'hash' && ctx.resolver.qualify(fn, op.call.scope) === 'hash';
  });
}

/**
 * `r.sismember(SEEN, f"{user}:{hash(text)}")`: Python salts str hashes per process, so the next
 * run computes another member and never finds this one. The fix replaces every such `hash()` in
 * the function's Redis calls at once, so the check and the write keep agreeing.
 */
function perRunHash(ctx: FileContext, op: RedisOp, scopeOps: readonly RedisOp[]): Finding | undefined {
  const here = builtinHashCalls(ctx, op);
  if (here.length === 0) return undefined;
  const plan = new EditPlan(ctx, op.call.scope);
  const hashlib = plan.stdlib('hashlib');
  for (const other of scopeOps) {
    for (const call of builtinHashCalls(ctx, other)) {
      const argument = call.childForFieldName('arguments')?.namedChildren[0];
      if (argument) plan.replace(call, `${hashlib}.sha256(str(${argument.text}).encode()).hexdigest()[:16]`);
    }
  }
  return {
    code: 'key-changes-every-run',
    severity: 'warning',
    message: `\`${shortKey(here[0].text)}\` is different in every Python process (str and bytes hashes are salted per run), so the next run never finds what this one stored: the check always misses and the memory only grows. Use a stable digest such as hashlib.sha256(…).hexdigest().`,
    range: rangeOf(op.call.node),
    fix: { title: 'Use a SHA-256 digest instead of hash()', edits: plan.toEdits() },
  };
}

// -----------------------------------------------------------------------------------------------
// Secrets

function secretIn(value: Node, scope: Scope): string | undefined {
  const text = value.text;
  if (text.length > 400) return undefined;
  // A session cookie (`resp.cookies[".ASPXAUTH"]`, a `set-cookie` header) signs in as the user.
  if (/\.cookies\b|['"]set-cookie['"]/i.test(text)) return text.length > 60 ? 'a session cookie' : text;
  // os.environ["API_KEY"], os.getenv("DB_PASSWORD"), process.env.SLACK_TOKEN
  const env = /(?:os\.environ(?:\.get)?\s*[[(]\s*|os\.getenv\(\s*)['"](\w+)['"]|process\.env\.(\w+)|process\.env\[['"](\w+)['"]\]/.exec(text);
  if (env) {
    const name = env[1] ?? env[2] ?? env[3];
    if (isSecretName(name)) return text.length > 60 ? name : text;
  }
  const names = [value, ...value.descendantsOfType(['identifier', 'attribute', 'member_expression', 'property_identifier', 'string'])];
  for (const node of names) {
    let name: string | undefined;
    if (node.type === 'identifier' || node.type === 'property_identifier') name = node.text;
    else if (node.type === 'attribute' || node.type === 'member_expression') name = node.text.split('.').pop();
    else if (node.type === 'string' && node.parent?.type === 'pair' && node.parent.childForFieldName('key')?.equals(node)) name = node.text.replace(/['"]/g, '');
    // `grant["access_token"]`, `body['apiKey']`: the key read names the value.
    else if (node.type === 'string' && (node.parent?.type === 'subscript' || node.parent?.type === 'subscript_expression') && !node.parent.namedChildren[0]?.equals(node)) name = node.text.replace(/['"`]/g, '');
    if (node.type === 'property_identifier' && node.parent?.type === 'pair') continue; // a key, not a value
    // `tokens = {"access_token": …, "refresh_token": …}` built just before: the dict holds the secret.
    if (node.type === 'identifier' && name && !isSecretName(name)) {
      const held = secretKeyOfLocalDict(node, scope);
      if (held) return `${node.text} (${held})`;
    }
    if (name && isSecretName(name)) {
      if (node.type === 'identifier') {
        // `token = hashlib.sha256(...)` is not the secret itself.
        const assignment = [...scope.assignments].reverse().find((a) => a.name === name);
        if (assignment?.value && /sha256|hash|digest|mask|redact/i.test(assignment.value.text)) continue;
      }
      return node.text;
    }
  }
  return undefined;
}

/** A secret-named key of the dict or object literal last assigned to `identifier` before it. */
function secretKeyOfLocalDict(identifier: Node, scope: Scope): string | undefined {
  const assignment = [...scope.assignments].reverse().find((a) => a.name === identifier.text && a.node.startIndex < identifier.startIndex);
  const literal = assignment?.value;
  if (!literal || (literal.type !== 'dictionary' && literal.type !== 'object')) return undefined;
  for (const pair of literal.namedChildren) {
    const key = pair.type === 'pair' ? pair.childForFieldName('key')?.text.replace(/['"`]/g, '') : undefined;
    if (key && isSecretName(key)) return key;
  }
  return undefined;
}

export function isSecretName(name: string): boolean {
  const words = name
    .replace(/([a-z0-9])([A-Z])/g, '$1_$2')
    .toLowerCase()
    .split(/[^a-z0-9]+/)
    .filter(Boolean);
  if (words.length === 0) return false;
  const joined = words.join('');
  const last = words[words.length - 1];
  if (NOT_SECRET_LAST.test(last)) return false;
  for (let i = 0; i < words.length; i++) {
    const word = words[i];
    const pair = word + (words[i + 1] ?? '');
    const isSecret = SECRET_WORDS.has(word) || pair === 'apikey' || pair === 'privatekey' || pair === 'secretkey' || pair === 'accesskey' || pair === 'authheader';
    if (isSecret && !(i > 0 && NOT_SECRET_BEFORE.test(words[i - 1]))) return true;
  }
  return /^(apikey|authtoken|accesstoken|refreshtoken|clientsecret)$/.test(joined);
}

// -----------------------------------------------------------------------------------------------
// Whole response bodies

interface BodyValue {
  node: Node;
  kind: 'string' | 'bytes' | 'unknown';
  /** What the value is, for the message: the default is "response body". */
  what?: string;
}

/** A parameter named for a whole page (`async remember(digest, html)`): its caller passes the page. */
const PAGE_PARAMETER = /^(html|page_?html|raw_?html|html_?body|body_?html|page_?source|rawHtml|pageHtml|htmlBody|pageSource)$/;
/** The body of the incoming request: `req.body`, `await request.json()`, `c.req.json()`. */
const REQUEST_BODY = /^(await\s+)?(req|request|ctx\.request|c\.req)\.(body\b|json\(\))/;

function wholeBodyIn(ctx: FileContext, value: Node, scope: Scope, depth = 0, parsedCounts = true): BodyValue | undefined {
  let inner = value;
  while (inner.type === 'await' || inner.type === 'await_expression' || inner.type === 'parenthesized_expression') inner = inner.namedChildren[0] ?? inner;
  const text = inner.text;
  const accessor = /^([\w$.]+)\.(text|content|data|body|text\(\)|read\(\))$/.exec(text);
  if (accessor) {
    const receiver = accessor[1];
    if (isResponse(ctx, receiver, scope, inner)) {
      const kind = /^(text|text\(\))$/.test(accessor[2]) ? 'string' : /^(content|read\(\))$/.test(accessor[2]) ? 'bytes' : 'unknown';
      return { node: value, kind };
    }
  }
  // `JSON.stringify(recordings)` / `json.dumps(result)` of a whole parsed response (`await res.json()`).
  if (parsedCounts && (inner.type === 'call' || inner.type === 'call_expression') && /^(JSON\.stringify|json\.dumps)$/.test(inner.childForFieldName('function')?.text ?? '')) {
    const argument = inner.childForFieldName('arguments')?.namedChildren[0];
    if (argument && parsedBody(ctx, argument, scope, 0)) return { node: value, kind: 'string' };
    // `JSON.stringify(payload)` with `const { payload } = req.body`: a whole webhook payload kept
    // where its id (or a claim) does the job.
    if (argument && requestBody(argument, scope)) return { node: value, kind: 'string', what: 'request payload' };
  }
  if (inner.type === 'identifier' && depth === 0 && PAGE_PARAMETER.test(text) && scope.params.some((p) => p.name === text)) {
    return { node: value, kind: 'string', what: 'page' };
  }
  if (inner.type === 'identifier' && depth === 0) {
    const assignment = [...scope.assignments].reverse().find((a) => a.name === inner.text && a.node.startIndex < value.startIndex);
    if (assignment?.value && isDestructuredBody(ctx, assignment.node, inner.text, assignment.value, scope)) return { node: value, kind: 'unknown' };
    if (assignment?.value) {
      const viaVariable = wholeBodyIn(ctx, assignment.value, scope, depth + 1, parsedCounts);
      if (viaVariable) return { node: value, kind: viaVariable.kind };
    }
  }
  return undefined;
}

/** The incoming request's body, or a local taken from it (`const { payload } = req.body as Hook`). */
function requestBody(value: Node, scope: Scope): boolean {
  if (REQUEST_BODY.test(value.text)) return true;
  if (value.type !== 'identifier') return false;
  const assignment = [...scope.assignments].reverse().find((a) => a.name === value.text && a.node.startIndex < value.startIndex);
  return !!assignment?.value && REQUEST_BODY.test(assignment.value.text);
}

/** The whole parsed body of an HTTP response: `await res.json()`, `(await client.post(…)).json()`, or a local holding one. */
function parsedBody(ctx: FileContext, value: Node, scope: Scope, depth: number): boolean {
  let inner = value;
  // `(await res.json()) as Reviews`: the cast changes nothing at run time.
  while (/^(await|await_expression|parenthesized_expression|as_expression|satisfies_expression|non_null_expression)$/.test(inner.type) && inner.namedChildren[0]) inner = inner.namedChildren[0];
  if (inner.type === 'identifier') {
    if (depth > 0) return false;
    const assignment = [...scope.assignments].reverse().find((a) => a.name === inner.text && a.node.startIndex < value.startIndex);
    // `const { specifications } = await res.json()` binds one field, not the whole body.
    const target = assignment?.node.childForFieldName('name') ?? assignment?.node.childForFieldName('left');
    if (target && target.type !== 'identifier') return false;
    return !!assignment?.value && parsedBody(ctx, assignment.value, scope, depth + 1);
  }
  if (inner.type !== 'call' && inner.type !== 'call_expression') return false;
  const fn = inner.childForFieldName('function');
  if (!fn || !/^(attribute|member_expression)$/.test(fn.type) || fn.childForFieldName(fn.type === 'attribute' ? 'attribute' : 'property')?.text !== 'json') return false;
  let receiver = fn.childForFieldName('object');
  if (receiver?.type === 'identifier') return isResponse(ctx, receiver.text, scope, inner);
  while (receiver && (receiver.type === 'await' || receiver.type === 'await_expression' || receiver.type === 'parenthesized_expression') && receiver.namedChildren[0]) receiver = receiver.namedChildren[0];
  return !!receiver && (receiver.type === 'call' || receiver.type === 'call_expression') && !!httpCall(ctx.resolver.qualify(receiver.childForFieldName('function'), scope));
}

/** `const { data: html } = await axios.get(url)`: `html` is the whole body of an HTTP response. */
function isDestructuredBody(ctx: FileContext, declaration: Node, name: string, value: Node, scope: Scope): boolean {
  const pattern = declaration.childForFieldName('name') ?? declaration.childForFieldName('left');
  if (pattern?.type !== 'object_pattern') return false;
  const bodyPart = pattern.namedChildren.some((part) =>
    part.type === 'shorthand_property_identifier_pattern'
      ? part.text === name && /^(data|body)$/.test(name)
      : part.type === 'pair_pattern' && /^(data|body)$/.test(part.childForFieldName('key')?.text ?? '') && part.childForFieldName('value')?.text === name,
  );
  if (!bodyPart) return false;
  let call = value;
  while ((call.type === 'await' || call.type === 'await_expression') && call.namedChildren[0]) call = call.namedChildren[0];
  return (call.type === 'call_expression' || call.type === 'call') && !!httpCall(ctx.resolver.qualify(call.childForFieldName('function'), scope));
}

function isResponse(ctx: FileContext, receiver: string, scope: Scope, at: Node, depth = 0): boolean {
  const assignment = [...scope.assignments].reverse().find((a) => a.name === receiver && a.node.startIndex < at.startIndex);
  if (assignment?.value) {
    let call = assignment.value;
    while ((call.type === 'await' || call.type === 'await_expression') && call.namedChildren[0]) call = call.namedChildren[0];
    if (call.type === 'call' || call.type === 'call_expression') {
      // What the call is decides, not the name: `result = translator.translate_text(…)` is no response.
      if (httpCall(ctx.resolver.qualify(call.childForFieldName('function'), scope))) return true;
      // `resp = fetch_result(key, id)` where the local function returns the response it got.
      const site = ctx.facts.calls.find((c) => c.node.equals(call));
      const helper = site && depth === 0 ? ctx.localCallee(site) : undefined;
      if (!helper) return false;
      return helper.returns.some((r) => {
        const value = r.namedChildren[0];
        return value?.type === 'identifier' && isResponse(ctx, value.text, helper, r, depth + 1);
      });
    }
  }
  return /^(resp|response|res|r|page|reply|result)$/i.test(receiver.split('.').pop() ?? '');
}

function wholeBody(ctx: FileContext, op: RedisOp, body: BodyValue): Finding {
  const python = ctx.facts.dialect === 'python';
  const plan = new EditPlan(ctx, op.call.scope);
  const q = ctx.quote;
  const original = body.node.text;
  if (python) {
    plan.replace(body.node, `${plan.stdlib('hashlib')}.sha256(${body.kind === 'bytes' ? original : `${wrapIfNeeded(original)}.encode()`}).hexdigest()`);
  } else {
    const input = body.kind === 'string' ? original : `JSON.stringify(${original})`;
    plan.replace(body.node, `${plan.createHash}(${q}sha256${q}).update(${input}).digest(${q}hex${q})`);
  }
  // The stored body is read back (`if (previous === html)`, a cached page served): hashing only
  // the write would break that code, so the change is left to the author.
  const keyText = op.key?.text;
  const readBack = !!keyText && ctx.redisOps.some((other) => other !== op && /^(get|getex|getdel)$/.test(other.command) && other.key?.text === keyText);
  return {
    code: 'whole-body-in-memory',
    severity: 'warning',
    message: `The whole ${body.what ?? 'response body'} (\`${shortKey(original)}\`) is written to memory. A SHA-256 of it (or the few fields the workflow compares) does the same job in 64 bytes and keeps ${body.what === 'request payload' ? "the payload's" : "the page's"} contents out of Redis.${readBack ? ' The key is read back in this file, so a hash would change what that code gets: adapt both, no automatic fix.' : ''}`,
    range: rangeOf(op.call.node),
    fix: readBack ? undefined : { title: 'Store a SHA-256 of the body instead', edits: plan.toEdits() },
  };
}

function wrapIfNeeded(text: string): string {
  return /^[\w$.()[\]'"]+$/.test(text) ? text : `(${text})`;
}

// -----------------------------------------------------------------------------------------------

function normalizeKey(text: string): string {
  return text.replace(/\s+/g, '');
}

function shortKey(text: string): string {
  const single = text.replace(/\s+/g, ' ');
  return single.length > 60 ? `${single.slice(0, 57)}…` : single;
}

export function rangeOf(node: Node): Range {
  return {
    start: { line: node.startPosition.row, character: node.startPosition.column },
    end: { line: node.endPosition.row, character: node.endPosition.column },
  };
}
