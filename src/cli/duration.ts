// Validates the expiries given on the command line before any file is read, with the same parser
// the extension uses for its settings, whose messages say what to type instead.
import { tryParseTtl } from '../memory/ttl';

/** Undefined when `text` is a usable expiry; otherwise a message that says what to type. */
export function checkDuration(text: string, { allowNone }: { allowNone: boolean }): string | undefined {
  const parsed = tryParseTtl(text);
  if (!parsed.ok) return parsed.message;
  if (parsed.ttl.kind === 'none' && !allowNone) return `"none" is not allowed here: suggested memory always expires. Type a duration such as 30m, 2h or 7d.`;
  return undefined;
}

/** Durations are read case-insensitively on the command line (`7D` is `7d`). */
export function normalizeDuration(text: string): string {
  return text.trim().toLowerCase();
}
