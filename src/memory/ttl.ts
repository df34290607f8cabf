// Expiries as people type and read them: "30s", "10m", "2h", "7d", "1w", "500ms", "none";
// a countdown ("expires in 6d 3h"), a compact duration ("30d") and an absolute time.

import { MemoryError } from './errors';
import type { Expiry, TtlChoice } from './store';

const SECOND = 1000;
const MINUTE = 60 * SECOND;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;
const WEEK = 7 * DAY;

const UNIT_MS: Record<string, number> = { ms: 1, s: SECOND, m: MINUTE, h: HOUR, d: DAY, w: WEEK };

/**
 * Longest expiry accepted. Redis takes up to 2^63-1 ms minus the current time, but a JavaScript
 * number is exact only up to 2^53-1, so that is the tighter, safe bound (about 285,000 years).
 */
export const MAX_TTL_MS = Number.MAX_SAFE_INTEGER;

const EXAMPLES = 'such as 30s, 10m, 2h, 7d or 1w (units: ms, s, m, h, d, w), or none for no expiry';
const PART = /^(\d+)\s*(ms|s|m|h|d|w)(?![a-z])/;

export type TtlParseResult = { ok: true; ttl: TtlChoice } | { ok: false; message: string };

/** Parses an expiry; never throws. The message says what to type instead. */
export function tryParseTtl(input: string): TtlParseResult {
  const text = (input ?? '').trim().toLowerCase();
  const shown = quote(input ?? '');
  if (!text) return fail(`Type an expiry, ${EXAMPLES}.`);
  if (text === 'none' || text === 'never') return { ok: true, ttl: { kind: 'none' } };
  if (/^-/.test(text)) return fail(`An expiry cannot be negative (${shown}). Type how long the value should live, ${EXAMPLES}.`);

  const fractional = /^(\d*\.\d+)\s*(ms|s|m|h|d|w)$/.exec(text);
  if (fractional) {
    const ms = Number(fractional[1]) * UNIT_MS[fractional[2]];
    const whole = Number.isInteger(ms) && ms > 0 ? ` (${formatDuration(ms)})` : '';
    return fail(`Use whole numbers in an expiry: ${shown} is not allowed. Type it in a smaller unit${whole}, ${EXAMPLES}.`);
  }
  if (/^\d+$/.test(text)) return fail(`${shown} has no unit. Add one: ${text}s, ${text}m, ${text}h or ${text}d; or type none.`);

  let rest = text;
  let total = 0n;
  while (rest) {
    const part = PART.exec(rest);
    if (!part) return fail(`${shown} is not an expiry. Type a whole number and a unit, ${EXAMPLES}.`);
    total += BigInt(part[1]) * BigInt(UNIT_MS[part[2]]);
    rest = rest.slice(part[0].length).trimStart();
  }
  if (total === 0n) return fail(`An expiry must be longer than zero. Type for example 30s or 7d, or none to keep the value forever.`);
  if (total > BigInt(MAX_TTL_MS)) return fail(`${shown} is longer than Redis can store. Type a shorter expiry, for example 365d, or none for no expiry.`);
  return { ok: true, ttl: { kind: 'duration', ms: Number(total) } };
}

/** Parses an expiry or throws MemoryError 'invalidInput' whose message says what to type. */
export function parseTtl(input: string): TtlChoice {
  const result = tryParseTtl(input);
  if (!result.ok) throw new MemoryError('invalidInput', result.message);
  return result.ttl;
}

/** An expiry in milliseconds for EXPIRE-like commands: refuses zero, negative, fractional and overflowing values. */
export function validateTtlMs(ms: number): number {
  if (!Number.isSafeInteger(ms) || ms <= 0) {
    throw new MemoryError('invalidInput', `An expiry must be a whole number of milliseconds above zero and at most ${MAX_TTL_MS}; got ${ms}. Type for example 30s or 7d.`);
  }
  return ms;
}

function fail(message: string): TtlParseResult {
  return { ok: false, message };
}

function quote(text: string): string {
  const oneLine = text.replace(/\s+/g, ' ').trim();
  return `"${oneLine.length > 40 ? `${oneLine.slice(0, 40)}…` : oneLine}"`;
}

// Units for reading; weeks are left out: "13d" reads better than "1w 6d".
const READING_UNITS: [string, number][] = [['d', DAY], ['h', HOUR], ['m', MINUTE], ['s', SECOND]];

/** "6d 3h", "42s": the largest unit and the next one, rounded to the smaller of the two. */
export function formatRemaining(ms: number): string {
  if (ms < SECOND) return ms <= 0 ? '0s' : 'under 1s';
  let index = READING_UNITS.findIndex(([, size]) => ms >= size);
  const finest = READING_UNITS[Math.min(index + 1, READING_UNITS.length - 1)][1];
  const rounded = Math.round(ms / finest) * finest;
  // Rounding may carry into the larger unit (59m 59.6s → 1h).
  index = READING_UNITS.findIndex(([, size]) => rounded >= size);
  const [largeName, largeSize] = READING_UNITS[index];
  const large = Math.floor(rounded / largeSize);
  const next = READING_UNITS[index + 1];
  const small = next ? Math.round((rounded - large * largeSize) / next[1]) : 0;
  return small > 0 && next ? `${large}${largeName} ${small}${next[0]}` : `${large}${largeName}`;
}

/** "expires in 6d 3h", "never expires", "no longer exists". */
export function formatCountdown(expiry: Expiry): string {
  switch (expiry.kind) {
    case 'persistent':
      return 'never expires';
    case 'missing':
      return 'no longer exists';
    case 'expires':
      return `expires in ${formatRemaining(expiry.ms)}`;
  }
}

const EXACT_UNITS: [string, number][] = [['d', DAY], ['h', HOUR], ['m', MINUTE], ['s', SECOND], ['ms', 1]];

/**
 * Exact compact duration that parseTtl reads back: "30d", "24h", "1h", "1h 30m", "25h 1m 1s".
 * Under two days, hours ("24h", as people say it); from two days on, days.
 */
export function formatDuration(ms: number): string {
  validateTtlMs(ms);
  const units = EXACT_UNITS.filter(([name, size]) => (name === 'd' ? ms >= 2 * DAY : ms >= size) || size === 1);
  const parts: string[] = [];
  let rest = ms;
  for (const [name, size] of units) {
    if (rest >= size) {
      parts.push(`${Math.floor(rest / size)}${name}`);
      rest %= size;
    }
  }
  return parts.join(' ');
}

/** The requested expiry as text for a message: "30d", "none", "keep". */
export function formatTtlChoice(ttl: TtlChoice): string {
  if (ttl.kind === 'duration') return formatDuration(ttl.ms);
  return ttl.kind === 'none' ? 'no expiry' : 'keep the current expiry';
}

/**
 * When a key expires, as "2025-06-01 14:03:22" in local time (UTC with utc: true); "never" or
 * "no longer exists" otherwise.
 */
export function formatExpiryTime(expiry: Expiry, now: number = Date.now(), options: { utc?: boolean } = {}): string {
  if (expiry.kind === 'persistent') return 'never';
  if (expiry.kind === 'missing') return 'no longer exists';
  const at = new Date(now + expiry.ms);
  const pad = (value: number) => String(value).padStart(2, '0');
  const parts = options.utc
    ? [at.getUTCFullYear(), at.getUTCMonth() + 1, at.getUTCDate(), at.getUTCHours(), at.getUTCMinutes(), at.getUTCSeconds()]
    : [at.getFullYear(), at.getMonth() + 1, at.getDate(), at.getHours(), at.getMinutes(), at.getSeconds()];
  const [year, month, day, hours, minutes, seconds] = parts;
  return `${year}-${pad(month)}-${pad(day)} ${pad(hours)}:${pad(minutes)}:${pad(seconds)}${options.utc ? ' UTC' : ''}`;
}

/** PTTL's reply as an Expiry: -2 missing, -1 persistent, else milliseconds left. */
export function expiryFromPttl(pttl: number): Expiry {
  if (pttl === -2) return { kind: 'missing' };
  if (pttl < 0) return { kind: 'persistent' };
  return { kind: 'expires', ms: pttl };
}
