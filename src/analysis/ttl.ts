// Durations as the settings write them ("30d", "24h", "15m", "90s", "2w", "500ms", "none").

const UNIT_SECONDS: Record<string, number> = { ms: 0.001, s: 1, m: 60, h: 3600, d: 86400, w: 604800 };

/** Seconds in a duration, or undefined for "none" and for anything unparsable or not positive. */
export function parseDurationSeconds(value: string | undefined): number | undefined {
  const match = /^\s*(\d+)\s*(ms|s|m|h|d|w)\s*$/.exec(value ?? '');
  if (!match) return undefined;
  const seconds = Math.ceil(Number(match[1]) * UNIT_SECONDS[match[2]]);
  return seconds > 0 && Number.isSafeInteger(seconds) ? seconds : undefined;
}

/** The shortest exact label: 2592000 -> "30d", 3600 -> "1h", 90 -> "90s". */
export function formatDuration(seconds: number): string {
  for (const unit of ['d', 'h', 'm'] as const) {
    const size = UNIT_SECONDS[unit];
    if (seconds % size === 0) return `${seconds / size}${unit}`;
  }
  return `${seconds}s`;
}

/** The expiry as code both Python and JavaScript read well: `30 * 86400`, `24 * 3600`, `900`. */
export function durationExpression(seconds: number): string {
  if (seconds % 86400 === 0 && seconds >= 86400) return seconds === 86400 ? '86400' : `${seconds / 86400} * 86400`;
  if (seconds % 3600 === 0 && seconds >= 3600) return seconds === 3600 ? '3600' : `${seconds / 3600} * 3600`;
  return String(seconds);
}
