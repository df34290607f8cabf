// What a qualified call path means, per library family. Paths come from resolve.ts:
// `requests.get`, `httpx.AsyncClient().get`, `openai.OpenAI().chat.completions.create`, `fetch`.

export type RedisFlavor = 'codewords' | 'redis-py' | 'redis-py-async' | 'ioredis' | 'node-redis';

const REDIS_CLIENTS: Array<[RegExp, RedisFlavor]> = [
  [/^codewords_client\.redis_client\(\)\[0\]/, 'codewords'],
  [/^(redis\.asyncio|aioredis)(\.(client\.)?(Redis|StrictRedis|RedisCluster|cluster\.RedisCluster))?(\.from_url)?\(\)/, 'redis-py-async'],
  [/^redis(\.client)?(\.(Redis|StrictRedis|RedisCluster|cluster\.RedisCluster))?(\.from_url)?\(\)/, 'redis-py'],
  [/^ioredis(\.(Redis|Cluster))?\(\)/, 'ioredis'],
  [/^(redis|@redis\/client)\.(createClient|createCluster)\(\)/, 'node-redis'],
];

/** The Redis library flavour of a receiver path (a client, or a pipeline/multi made from one). */
export function redisFlavorOf(receiver: string | undefined): RedisFlavor | undefined {
  if (!receiver) return undefined;
  for (const [pattern, flavor] of REDIS_CLIENTS) if (pattern.test(receiver)) return flavor;
  return undefined;
}

/**
 * The flavour of a path that is a client itself (`redis.Redis()`, `createClient().connect()`), not
 * the result of a command on one (`redis.set(…)` gives 'OK', not a client).
 */
export function redisClientFlavorOf(path: string | undefined): RedisFlavor | undefined {
  if (!path) return undefined;
  for (const [pattern, flavor] of REDIS_CLIENTS) {
    const match = pattern.exec(path);
    if (match && /^(\.(duplicate|connect)\(\))?$/.test(path.slice(match[0].length))) return flavor;
  }
  return undefined;
}

export function isAsyncFlavor(flavor: RedisFlavor): boolean {
  return flavor !== 'redis-py';
}

/** Redis commands that take a key as their first argument (lower-cased, node-redis camelCase folded). */
export const KEY_COMMANDS = new Set([
  'get', 'set', 'setnx', 'setex', 'psetex', 'getex', 'getdel', 'getset', 'mget', 'mset', 'append', 'strlen',
  'incr', 'incrby', 'incrbyfloat', 'decr', 'decrby', 'exists', 'delete', 'del', 'unlink', 'expire', 'pexpire',
  'expireat', 'pexpireat', 'persist', 'ttl', 'pttl', 'type', 'hget', 'hset', 'hsetnx', 'hmset', 'hmget', 'hgetall',
  'hdel', 'hexists', 'hincrby', 'hincrbyfloat', 'hkeys', 'hvals', 'hlen', 'sadd', 'srem', 'smembers', 'sismember',
  'smismember', 'scard', 'spop', 'srandmember', 'lpush', 'rpush', 'lpop', 'rpop', 'lrange', 'ltrim', 'llen', 'lindex',
  'lset', 'lrem', 'zadd', 'zrem', 'zrange', 'zrangebyscore', 'zrevrange', 'zscore', 'zincrby', 'zcard', 'xadd',
  'xrange', 'xread', 'pfadd', 'pfcount', 'setrange', 'getrange', 'json.set', 'json.get',
]);

/** Commands that write (and so should give the key an expiry). */
export const WRITE_COMMANDS = new Set([
  'set', 'setnx', 'mset', 'append', 'incr', 'incrby', 'incrbyfloat', 'decr', 'decrby', 'hset', 'hsetnx', 'hmset',
  'hincrby', 'hincrbyfloat', 'sadd', 'lpush', 'rpush', 'lset', 'zadd', 'zincrby', 'xadd', 'pfadd', 'setrange',
  'getset',
]);

/** Commands that set an expiry by themselves. */
export const EXPIRING_COMMANDS = new Set(['setex', 'psetex', 'getex']);
export const EXPIRE_COMMANDS = new Set(['expire', 'pexpire', 'expireat', 'pexpireat']);

/** Reads that show memory already guards a site, per suggestion kind. */
export const GUARD_READS = new Set([
  'get', 'mget', 'exists', 'sismember', 'smismember', 'smembers', 'hget', 'hgetall', 'hmget', 'lrange', 'lindex',
  'zscore', 'zrange', 'getex', 'getdel', 'json.get',
]);

export function commandName(method: string): string {
  return method.toLowerCase();
}

// ---------------------------------------------------------------------------------------------
// HTTP

const HTTP_METHOD_CALL = /^(requests|httpx|aiohttp|urllib3|niquests)(\.(Session|Client|AsyncClient|ClientSession|PoolManager)\(\))?\.(get|post|put|patch|request|delete|head)$/;
const JS_HTTP_METHOD_CALL = /^(axios|got|ky|superagent|undici)(\.create\(\)|\.extend\(\))?\.(get|post|put|patch|request|delete|head)$/;

export type HttpVerb = 'get' | 'post' | 'other';

/** An HTTP request call and its verb, or undefined. `fetch(url, { method: 'POST' })` is decided by the caller. */
export function httpCall(path: string | undefined): { verb: HttpVerb; library: string } | undefined {
  if (!path) return undefined;
  let match = HTTP_METHOD_CALL.exec(path) ?? JS_HTTP_METHOD_CALL.exec(path);
  if (match) {
    const method = match[match.length - 1];
    return { verb: method === 'get' ? 'get' : method === 'post' ? 'post' : 'other', library: match[1] };
  }
  if (/^urllib\.request\.urlopen$|^urllib\.request\.urlopen$|^urlopen$/.test(path)) return { verb: 'get', library: 'urllib' };
  match = /^(fetch|node-fetch|cross-fetch|isomorphic-fetch|undici\.fetch|axios|got|ky)$/.exec(path);
  if (match) return { verb: 'get', library: match[1] };
  return undefined;
}

// ---------------------------------------------------------------------------------------------
// Messages (per recipient / item)

const SEND_ROOTS = /^(smtplib|sendgrid|slack_sdk|slack|telegram|aiogram|telebot|twilio|discord|discord_webhook|yagmail|resend|postmarker|mailjet_rest|pushover|apprise|nodemailer|@sendgrid\/mail|@slack\/web-api|@slack\/webhook|@slack\/bolt|discord\.js|telegraf|grammy|node-telegram-bot-api|postmark|mailgun\.js|@mailchimp|web-push|firebase-admin)\b/;
const SEND_METHOD = /\.(send|send_message|sendmail|send_mail|sendMail|sendMessage|sendEmail|send_email|sendPhoto|send_photo|chat_postMessage|postMessage|execute|notify|publish)$/;
const SEND_CREATE = /\.(messages|emails|Emails|Message)\.(create|send)$/;

export function isMessageSend(path: string | undefined): boolean {
  if (!path) return false;
  if (!SEND_ROOTS.test(path)) return false;
  return SEND_METHOD.test(path) || SEND_CREATE.test(path);
}

/**
 * A URL that files a record in a tracker when POSTed to (Jira or GitHub issues, Zendesk tickets,
 * Trello cards, a Linear GraphQL mutation): like a message, one per item and run is one too many.
 */
export const TRACKER_CREATE = /\/rest\/api\/\d+\/issue\b|\/repos\/\S*\/issues\b|\/api\/v2\/tickets\b|\/1\/cards\b|api\.linear\.app\/graphql/i;

/** A URL or variable name that points at a chat/notification webhook. */
export const NOTIFY_TARGET = /webhook|hooks?\b|hooks\.slack|slack|discord|telegram|teams|sendMessage|notify|notification|alert|sms|mail|email|message|\/statuses\b|\/tweets\b|bsky\.feed\.post/i;

// ---------------------------------------------------------------------------------------------
// LLMs

const OPENAI_CLIENT = /^openai(\.(OpenAI|AsyncOpenAI|AzureOpenAI|AsyncAzureOpenAI)\(\)|\(\))?/;
const OPENAI_COMPATIBLE_CLIENT = /^(groq|groq-sdk|mistralai|@mistralai\/mistralai)(\.(Groq|AsyncGroq|Mistral)\(\)|\(\))/;
const ANTHROPIC_CLIENT = /^(anthropic|@anthropic-ai\/sdk)(\.(Anthropic|AsyncAnthropic)\(\)|\(\))?/;

export type LlmApi = 'openai-chat' | 'openai-responses' | 'anthropic' | 'langchain' | 'openai-embeddings' | 'langchain-embeddings';

export function llmCall(path: string | undefined): LlmApi | undefined {
  if (!path) return undefined;
  if (OPENAI_CLIENT.test(path)) {
    if (/\.chat\.completions\.create$|^openai\.ChatCompletion\.create$|\.beta\.chat\.completions\.parse$/.test(path)) return 'openai-chat';
    if (/\.responses\.create$/.test(path)) return 'openai-responses';
    if (/\.embeddings\.create$|^openai\.Embedding\.create$/.test(path)) return 'openai-embeddings';
  }
  // OpenAI's message and answer shapes: Groq's SDK, and Mistral's `chat.complete`.
  if (OPENAI_COMPATIBLE_CLIENT.test(path) && /\.chat\.(completions\.create|complete|complete_async)$/.test(path)) return 'openai-chat';
  if (ANTHROPIC_CLIENT.test(path) && /\.messages\.create$/.test(path)) return 'anthropic';
  if (/^(langchain\w*|@langchain\/[\w-]+)\..*Embeddings\(\)\.(embed_query|embed_documents|embedQuery|embedDocuments|aembed_query|aembed_documents)$/.test(path)) {
    return 'langchain-embeddings';
  }
  if (/^(langchain\w*|@langchain\/[\w-]+)\..*\(\)\.(invoke|ainvoke|predict|apredict|call)$/.test(path)) return 'langchain';
  return undefined;
}

/** Paid or slow APIs whose answer for the same input does not change within an hour. */
export function isPaidLookup(path: string | undefined): boolean {
  if (!path) return false;
  return /^(googlemaps\.Client\(\)\.(geocode|reverse_geocode|distance_matrix|places)|geopy\..*\.(geocode|reverse)|deepl\.Translator\(\)\.translate_text|deepl\.(Translator|DeepLClient)\(\)\.translateText|googletrans\.Translator\(\)\.translate|@google-cloud\/translate.*\.translate|@googlemaps\/google-maps-services-js\.Client\(\)\.(geocode|reverseGeocode)|cohere\.\w*Client\(\)\.(embed|rerank))$/.test(path);
}

// ---------------------------------------------------------------------------------------------
// Entry points

const ROUTE_DECORATOR = /^[\w.]+\.(get|post|put|patch|delete|route|api_route|websocket)\s*\(/;
const SCHEDULE_DECORATOR = /^([\w.]+\.)?(scheduled_job|task|shared_task|periodic_task|crontab|repeat_every|cron|schedule|function|on_schedule|job)\b/;
const BOT_DECORATOR = /^[\w.]+\.(message_handler|message|command|event|callback_query_handler|callback_query|on_message|action|shortcut|view|hears)\b/;
const HANDLER_DECORATOR = /^(functions_framework\.(http|cloud_event)|app\.(function_name|route|timer_trigger|schedule)|[\w.]+\.(handler|lambda_handler))\b/;

export function entryFromDecorator(decorator: string): 'route' | 'schedule' | 'bot' | 'handler' | undefined {
  if (HANDLER_DECORATOR.test(decorator)) return 'handler';
  if (ROUTE_DECORATOR.test(decorator)) return 'route';
  if (BOT_DECORATOR.test(decorator)) return 'bot';
  if (SCHEDULE_DECORATOR.test(decorator)) return 'schedule';
  return undefined;
}

/** A call that registers its callback argument as a route, schedule or bot handler. */
export function entryFromRegistration(calleeText: string, path: string | undefined): 'route' | 'schedule' | 'bot' | 'handler' | undefined {
  const method = calleeText.split('.').pop() ?? '';
  if (/^(cron\.schedule|schedule\.scheduleJob|node-cron\.schedule|node-schedule\.scheduleJob|setInterval|cron\.CronJob\(\)|cron\.CronJob\.from)$/.test(path ?? '') || /^(setInterval|scheduleJob|schedule)$/.test(method) && /cron|schedule|setInterval/.test(calleeText)) {
    return 'schedule';
  }
  // Queue workers run their callback per job (BullMQ `new Worker(name, async (job) => …)`, Bull `queue.process(…)`).
  if (/^(bullmq\.Worker|bull\(\)\.process|bull\.Queue\(\)\.process|bee-queue\(\)\.process)$/.test(path ?? '')) return 'schedule';
  // GitHub webhooks (`webhooks.on('pull_request.opened', …)`, a Probot `app.on(…)`): a handler per delivery.
  if (/^(@octokit\/webhooks\.Webhooks\(\)|@octokit\/app\.App\(\)\.webhooks|probot\.Probot\(\))\.(on|onAny)$/.test(path ?? '')) return 'handler';
  // Agenda: `agenda.define('job', async (job) => …)`, run by `agenda.every(…)`.
  if (/^(agenda|@hokify\/agenda)(\.Agenda)?\(\)\.define$/.test(path ?? '')) return 'schedule';
  if (/^(get|post|put|patch|delete|all|route)$/.test(method) && /^(app|router|server|api|fastify|hono|r)\b/.test(calleeText)) return 'route';
  if (/^(on|command|hears|action|message|event|start|use)$/.test(method) && /^(bot|client|app|telegraf|slackApp|discord)\b/.test(calleeText)) return 'bot';
  // Bot Framework (botbuilder): an ActivityHandler registers its handlers in its constructor, `this.onMessage(async (context, next) => …)`.
  if (/^this\.on(Message|MembersAdded|Turn|Event|ConversationUpdate|MessageReaction|InstallationUpdate|TeamsMembersAdded|TeamsChannelCreated)\w*$/.test(calleeText)) return 'bot';
  // python-telegram-bot: MessageHandler(filters.TEXT, on_message)
  if (/^(MessageHandler|CommandHandler|CallbackQueryHandler|InlineQueryHandler|ConversationHandler)$/.test(method)) return 'bot';
  return undefined;
}

/** Reads command-line arguments: the mark of a one-shot CLI transform. */
export function isCliArgumentsPath(path: string | undefined): boolean {
  if (!path) return false;
  return /^(argparse\.ArgumentParser\(\)|sys\.argv|click\.(command|argument|option)|typer\.(Typer|run)|fire\.Fire|commander|yargs|minimist|process\.argv|util\.parseArgs|node:util\.parseArgs|meow)/.test(path);
}
