// Validates the expiries given on the command line before any file is read, with the analyzer's
// own duration parser (the one that will read them), adding a message that says what to type.
import { parseDurationSeconds } from '../analysis';

/** Undefined when `text` is a usable expiry; otherwise a message that says what to type. */
export function checkDuration(text: string, { allowNone }: { allowNone: boolean }): string | undefined {
  const trimmed = text.trim();
  const hint = `Use a whole number and a unit (ms, s, m, h, d, w), for example 30m, 2h, 7d${allowNone ? ', or none' : ''}.`;
  if (trimmed === '') return `no duration given. ${hint}`;
  if (trimmed === 'none') return allowNone ? undefined : `"none" is not allowed here: suggested memory always expires. ${hint}`;
  if (parseDurationSeconds(trimmed) !== undefined) return undefined;
  if (trimmed.startsWith('-')) return `"${trimmed}" is negative. ${hint}`;
  if (/^0+\s*[a-z]+$/.test(trimmed)) return `"${trimmed}" is zero: the memory would expire at once. ${hint}`;
  if (/^\d+\s*(ms|s|m|h|d|w)$/.test(trimmed)) return `"${trimmed}" is too long. ${hint}`;
  return `"${trimmed}" is not a duration. ${hint}`;
}

/** Durations are read case-insensitively on the command line (`7D` is `7d`). */
export function normalizeDuration(text: string): string {
  return text.trim().toLowerCase();
}
