// Validation of a command's argument object (from tests, other extensions or keybindings) and of
// typed-in answers. No vscode import: unit-tested in plain Node. A field that is given but
// invalid is refused with a message that says what to give instead; omitted optional fields
// take their defaults.
import type { RedisKey, TtlChoice } from '../memory/store';
import { parseRedisUrl } from '../memory/connectionOptions';
import { isInScope } from '../memory/keys';
import { tryParseTtl } from '../memory/ttl';

export type Parsed<T> = { ok: true; value: T } | { ok: false; error: string };

const ok = <T>(value: T): Parsed<T> => ({ ok: true, value });
const refuse = <T>(error: string): Parsed<T> => ({ ok: false, error });

export type ValueFormat = 'text' | 'json';

/** A plain `{ ... }` object (not a tree node, not an array). */
export function isArgumentObject(argument: unknown): argument is Record<string, unknown> {
  if (typeof argument !== 'object' || argument === null || Array.isArray(argument)) return false;
  const prototype = Object.getPrototypeOf(argument);
  return prototype === Object.prototype || prototype === null;
}

/** A full Redis key given as a string (UTF-8) or as bytes; never empty. */
export function parseKeyArgument(value: unknown, field = 'key'): Parsed<RedisKey> {
  if (typeof value === 'string') {
    return value.length > 0 ? ok(Buffer.from(value, 'utf8')) : refuse(`The ${field} is empty. Give the full Redis key, for example "ns:monitor:last".`);
  }
  if (value instanceof Uint8Array) {
    return value.length > 0 ? ok(Buffer.from(value)) : refuse(`The ${field} is empty. Give the full Redis key, for example "ns:monitor:last".`);
  }
  if (value === undefined || value === null) return refuse(`No ${field} given. Give the full Redis key, for example { ${field}: "ns:monitor:last" }.`);
  return refuse(`The ${field} must be a string or bytes, not ${describeType(value)}.`);
}

/**
 * An expiry as text ("30s", "10m", "2h", "7d", "none") or a number of seconds. Refuses zero,
 * negative and unparsable values: a failed parse must never turn into "no expiry".
 */
export function parseTtlArgument(value: unknown, field = 'ttl'): Parsed<TtlChoice> {
  if (typeof value === 'number') {
    if (!Number.isInteger(value) || value <= 0) {
      return refuse(`The ${field} ${value} is not a positive whole number of seconds. Use for example 30s, 10m, 2h, 7d, or none.`);
    }
    return ok({ kind: 'duration', ms: value * 1000 });
  }
  if (typeof value === 'string') return parseTtlText(value);
  return refuse(`The ${field} must be text such as 30s, 10m, 2h, 7d or none, not ${describeType(value)}.`);
}

/** Typed-in expiry text: a duration or "none". */
export function parseTtlText(text: string): Parsed<TtlChoice> {
  const result = tryParseTtl(text);
  return result.ok ? ok(result.ttl) : refuse(result.message);
}

export function parseFormatArgument(value: unknown): Parsed<ValueFormat> {
  if (typeof value === 'string' && /^(text|json)$/i.test(value.trim())) return ok(value.trim().toLowerCase() as ValueFormat);
  return refuse(`The format must be "text" or "json", not ${typeof value === 'string' ? `"${value}"` : describeType(value)}.`);
}

/** The text to store; with format json the value must parse (a non-string value is serialized). */
export function parseValueArgument(value: unknown, format: ValueFormat): Parsed<string> {
  if (format === 'json') {
    if (typeof value !== 'string') {
      if (value === undefined) return refuse('No value given.');
      try {
        const text = JSON.stringify(value);
        return text === undefined ? refuse(`A ${describeType(value)} cannot be written as JSON.`) : ok(text);
      } catch (error) {
        return refuse(`The value cannot be written as JSON: ${(error as Error).message}.`);
      }
    }
    return validateJson(value);
  }
  if (typeof value === 'string') return ok(value);
  if (value === undefined) return refuse('No value given.');
  return refuse(`The value must be text, not ${describeType(value)}. Pass format: "json" to store an object as JSON.`);
}

/** JSON text, checked; the message points at what is wrong. */
export function validateJson(text: string): Parsed<string> {
  try {
    JSON.parse(text);
    return ok(text);
  } catch (error) {
    return refuse(`The value is not valid JSON (${(error as Error).message}). Fix it, or choose the text format.`);
  }
}

export function parseBooleanArgument(value: unknown, field: string): Parsed<boolean> {
  if (typeof value === 'boolean') return ok(value);
  return refuse(`${field} must be true or false, not ${describeType(value)}.`);
}

/** A prefix to clear: non-empty (clearing everything is Clear All's job). */
export function parsePrefixArgument(value: unknown): Parsed<RedisKey> {
  if (typeof value === 'string' || value instanceof Uint8Array) {
    if (value.length === 0) return refuse('The prefix is empty. Give a group prefix such as "ns:monitor:", or use Clear All Workflow Memory… for the whole namespace.');
    return ok(typeof value === 'string' ? Buffer.from(value, 'utf8') : Buffer.from(value));
  }
  if (value === undefined || value === null) return refuse('No prefix given. Give one such as { prefix: "ns:monitor:" }.');
  return refuse(`The prefix must be a string, not ${describeType(value)}.`);
}

export function parseDbArgument(value: unknown): Parsed<number> {
  const number = typeof value === 'string' && /^\s*\d+\s*$/.test(value) ? Number(value) : value;
  if (typeof number === 'number' && Number.isInteger(number) && number >= 0 && number <= 1_000_000) return ok(number);
  return refuse(`The database index must be a whole number 0 or above, not ${typeof value === 'string' ? `"${value}"` : describeType(value)}.`);
}

/** A redis:// or rediss:// URL, with any credentials in it returned apart, never kept in the URL. */
export interface ParsedRedisUrl {
  /** scheme://host:port, without username, password or database: also the key of the stored password. */
  url: string;
  username?: string;
  password?: string;
  tls: boolean;
  host: string;
  port: number;
  db?: number;
}

export function parseRedisUrlArgument(value: unknown): Parsed<ParsedRedisUrl> {
  if (typeof value !== 'string' || value.trim() === '') return refuse('No Redis URL given. Use redis://host:port, or rediss://host:port for TLS.');
  try {
    const parsed = parseRedisUrl(value.trim());
    const host = parsed.host.includes(':') ? `[${parsed.host}]` : parsed.host;
    return ok({
      url: `${parsed.tls ? 'rediss' : 'redis'}://${host}:${parsed.port}`,
      username: parsed.username,
      password: parsed.password,
      tls: parsed.tls,
      host: parsed.host,
      port: parsed.port,
      db: parsed.db,
    });
  } catch (error) {
    return refuse((error as Error).message);
  }
}

/** Checks that a key or prefix lies inside the namespace (when one is configured). */
export function checkInsideNamespace(key: RedisKey, namespacePrefix: RedisKey, what: string, shown: string): Parsed<RedisKey> {
  if (isInScope(key, namespacePrefix)) return ok(key);
  return refuse(`The ${what} "${shown}" is outside the configured namespace "${namespacePrefix.toString('utf8')}". Nothing was changed.`);
}

function describeType(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'a list';
  return `a ${typeof value}`;
}
