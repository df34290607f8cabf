import { strict as assert } from 'assert';
import { MemoryError } from '../../../src/memory/errors';
import {
  MAX_TTL_MS,
  expiryFromPttl,
  formatCountdown,
  formatDuration,
  formatExpiryTime,
  formatRemaining,
  parseTtl,
  tryParseTtl,
  validateTtlMs,
} from '../../../src/memory/ttl';

const SECOND = 1000;
const MINUTE = 60 * SECOND;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

function refusal(input: string): string {
  const result = tryParseTtl(input);
  assert.equal(result.ok, false, `"${input}" should be refused`);
  return (result as { message: string }).message;
}

describe('memory/ttl: parseTtl', () => {
  const accepted: [string, number][] = [
    ['30s', 30 * SECOND],
    ['10m', 10 * MINUTE],
    ['2h', 2 * HOUR],
    ['7d', 7 * DAY],
    ['1w', 7 * DAY],
    ['500ms', 500],
    ['  7D  ', 7 * DAY],
    ['7 d', 7 * DAY],
    ['2H', 2 * HOUR],
    ['1d 12h', 36 * HOUR],
    ['1h30m', 90 * MINUTE],
    [`${MAX_TTL_MS}ms`, MAX_TTL_MS],
  ];
  for (const [input, ms] of accepted) {
    it(`reads "${input}" as ${ms} ms`, () => {
      assert.deepEqual(parseTtl(input), { kind: 'duration', ms });
    });
  }

  it('reads none (any case, padded) as no expiry', () => {
    assert.deepEqual(parseTtl('none'), { kind: 'none' });
    assert.deepEqual(parseTtl(' NONE '), { kind: 'none' });
  });

  it('refuses empty and blank input and says what to type', () => {
    for (const input of ['', '   ', '\t']) {
      const message = refusal(input);
      assert.match(message, /Type an expiry/);
      assert.match(message, /30s/);
      assert.match(message, /none/);
    }
  });

  it('refuses negative expiries', () => {
    assert.match(refusal('-5m'), /cannot be negative/);
    assert.match(refusal(' -1s'), /cannot be negative/);
  });

  it('refuses zero, which Redis would treat as delete', () => {
    assert.match(refusal('0s'), /longer than zero/);
    assert.match(refusal('0d 0h'), /longer than zero/);
  });

  it('refuses fractions and suggests the whole-number form', () => {
    const message = refusal('1.5h');
    assert.match(message, /whole numbers/);
    assert.match(message, /1h 30m/);
    assert.deepEqual(parseTtl('1h 30m'), { kind: 'duration', ms: 90 * MINUTE });
    assert.match(refusal('.5d'), /whole numbers/);
    assert.match(refusal('0.0001ms'), /whole numbers/);
  });

  it('refuses a number without a unit, suggesting units', () => {
    const message = refusal('30');
    assert.match(message, /no unit/);
    assert.match(message, /30s/);
  });

  it('refuses values longer than Redis can store', () => {
    assert.match(refusal('99999999999999999999d'), /longer than Redis can store/);
    assert.match(refusal(`${MAX_TTL_MS + 1}ms`), /longer than Redis can store/);
    assert.match(refusal('300000000y'), /not an expiry/);
  });

  it('refuses garbage, unknown units and trailing junk', () => {
    for (const input of ['soon', '7 days', '5x', '10mm', 'h', '7d!', '1e3s', '0x10s', 'forever', '7d,2h']) {
      assert.match(refusal(input), /not an expiry|no unit|whole numbers/, input);
    }
  });

  it('quotes long input shortly in the message', () => {
    const message = refusal('x'.repeat(500));
    assert.ok(message.length < 300, message);
  });

  it('parseTtl throws MemoryError invalidInput with the same message', () => {
    assert.throws(() => parseTtl('tomorrow'), (error: unknown) => error instanceof MemoryError && error.code === 'invalidInput' && /not an expiry/.test(error.message));
  });

  it('validateTtlMs refuses zero, negative, fractional, NaN and overflow', () => {
    for (const bad of [0, -1, 1.5, NaN, Infinity, MAX_TTL_MS + 2]) {
      assert.throws(() => validateTtlMs(bad), MemoryError, String(bad));
    }
    assert.equal(validateTtlMs(1), 1);
  });
});

describe('memory/ttl: formatting', () => {
  it('formats countdowns with the two largest units', () => {
    assert.equal(formatCountdown({ kind: 'expires', ms: 6 * DAY + 3 * HOUR + 20 * MINUTE }), 'expires in 6d 3h');
    assert.equal(formatCountdown({ kind: 'expires', ms: 42 * SECOND }), 'expires in 42s');
    assert.equal(formatCountdown({ kind: 'expires', ms: 5 * MINUTE + 7 * SECOND }), 'expires in 5m 7s');
    assert.equal(formatCountdown({ kind: 'expires', ms: 2 * HOUR }), 'expires in 2h');
  });

  it('rounds so a fresh 7d key reads 7d, not 6d 23h', () => {
    assert.equal(formatCountdown({ kind: 'expires', ms: 7 * DAY - 10 }), 'expires in 7d');
    assert.equal(formatRemaining(HOUR - 400), '1h');
  });

  it('formats the edges', () => {
    assert.equal(formatCountdown({ kind: 'persistent' }), 'never expires');
    assert.equal(formatCountdown({ kind: 'missing' }), 'no longer exists');
    assert.equal(formatRemaining(400), 'under 1s');
    assert.equal(formatRemaining(0), '0s');
  });

  it('formats compact durations that parse back exactly', () => {
    assert.equal(formatDuration(30 * DAY), '30d');
    assert.equal(formatDuration(DAY), '24h');
    assert.equal(formatDuration(HOUR), '1h');
    assert.equal(formatDuration(90 * DAY), '90d');
    assert.equal(formatDuration(500), '500ms');
    assert.equal(formatDuration(90 * MINUTE), '1h 30m');
    for (const ms of [1, 999, SECOND, 61 * SECOND, DAY + HOUR + MINUTE + SECOND + 1, 2 * DAY + 5, 123456789]) {
      assert.deepEqual(parseTtl(formatDuration(ms)), { kind: 'duration', ms }, formatDuration(ms));
    }
    assert.throws(() => formatDuration(0), MemoryError);
  });

  it('formats the absolute expiry time', () => {
    const now = Date.UTC(2025, 0, 31, 23, 0, 0);
    assert.equal(formatExpiryTime({ kind: 'expires', ms: 2 * HOUR + 5 * SECOND }, now, { utc: true }), '2025-02-01 01:00:05 UTC');
    assert.equal(formatExpiryTime({ kind: 'persistent' }, now), 'never');
    assert.equal(formatExpiryTime({ kind: 'missing' }, now), 'no longer exists');
    assert.match(formatExpiryTime({ kind: 'expires', ms: 1 }, now), /^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d$/);
  });

  it('reads PTTL replies', () => {
    assert.deepEqual(expiryFromPttl(-2), { kind: 'missing' });
    assert.deepEqual(expiryFromPttl(-1), { kind: 'persistent' });
    assert.deepEqual(expiryFromPttl(1500), { kind: 'expires', ms: 1500 });
  });
});
