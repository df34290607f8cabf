// Durations as the settings write them ("30d", "24h", "15m"): read and written by the one parser
// the memory browser uses, so a setting means the same thing everywhere. Only the rendering of an
// expiry as source code is the helper's own.
import { formatDuration as formatDurationMs, tryParseTtl } from '../memory/ttl';

/** Seconds in a duration, or undefined for "none" and for anything unparsable or not positive. */
export function parseDurationSeconds(value: string | undefined): number | undefined {
  const parsed = tryParseTtl(value ?? '');
  if (!parsed.ok || parsed.ttl.kind !== 'duration') return undefined;
  const seconds = Math.ceil(parsed.ttl.ms / 1000);
  return Number.isSafeInteger(seconds) ? seconds : undefined;
}

/** The compact label people read: 2592000 -> "30d", 86400 -> "24h", 3600 -> "1h". */
export function formatDuration(seconds: number): string {
  return formatDurationMs(seconds * 1000);
}

/** The expiry as code both Python and JavaScript read well: `30 * 86400`, `24 * 3600`, `900`. */
export function durationExpression(seconds: number): string {
  if (seconds % 86400 === 0 && seconds >= 86400) return seconds === 86400 ? '86400' : `${seconds / 86400} * 86400`;
  if (seconds % 3600 === 0 && seconds >= 3600) return seconds === 3600 ? '3600' : `${seconds / 3600} * 3600`;
  return String(seconds);
}
