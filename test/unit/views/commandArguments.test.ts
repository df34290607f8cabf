// A command's argument object is validated field by field: given-but-invalid is refused with a
// message, omitted optional fields are left for the defaults.
import * as assert from 'assert';
import {
  checkInsideNamespace,
  isArgumentObject,
  parseBooleanArgument,
  parseDbArgument,
  parseFormatArgument,
  parseKeyArgument,
  parsePrefixArgument,
  parseRedisUrlArgument,
  parseTtlArgument,
  parseTtlText,
  parseValueArgument,
  Parsed,
} from '../../../src/commands/arguments';

function refused<T>(parsed: Parsed<T>): string {
  assert.strictEqual(parsed.ok, false, `expected a refusal, got ${JSON.stringify(parsed)}`);
  return (parsed as { error: string }).error;
}
function value<T>(parsed: Parsed<T>): T {
  assert.ok(parsed.ok, `expected success, got ${JSON.stringify(parsed)}`);
  return (parsed as { value: T }).value;
}

describe('command arguments', () => {
  it('tells an argument object from a tree node, an array or nothing', () => {
    class Node {
      key = 'x';
    }
    assert.strictEqual(isArgumentObject({ key: 'x' }), true);
    assert.strictEqual(isArgumentObject(Object.create(null)), true);
    assert.strictEqual(isArgumentObject(new Node()), false);
    assert.strictEqual(isArgumentObject(['x']), false);
    assert.strictEqual(isArgumentObject(undefined), false);
    assert.strictEqual(isArgumentObject('ns:x'), false);
  });

  describe('key', () => {
    it('takes a full key as UTF-8 text or as bytes', () => {
      assert.deepStrictEqual(value(parseKeyArgument('ns:monitor:last')), Buffer.from('ns:monitor:last'));
      assert.deepStrictEqual(value(parseKeyArgument(new Uint8Array([0xff, 0x3a]))), Buffer.from([0xff, 0x3a]));
    });

    it('refuses an empty, missing or non-text key', () => {
      assert.match(refused(parseKeyArgument('')), /empty/);
      assert.match(refused(parseKeyArgument(Buffer.alloc(0))), /empty/);
      assert.match(refused(parseKeyArgument(undefined)), /No key given/);
      assert.match(refused(parseKeyArgument(42)), /string or bytes, not a number/);
    });
  });

  describe('ttl', () => {
    it('reads durations, none, and whole seconds', () => {
      assert.deepStrictEqual(value(parseTtlArgument('7d')), { kind: 'duration', ms: 7 * 86400 * 1000 });
      assert.deepStrictEqual(value(parseTtlArgument('none')), { kind: 'none' });
      assert.deepStrictEqual(value(parseTtlArgument(30)), { kind: 'duration', ms: 30000 });
    });

    it('refuses unparsable, negative, zero and fractional expiries instead of dropping the expiry', () => {
      assert.match(refused(parseTtlArgument('soon')), /not an expiry/);
      assert.match(refused(parseTtlArgument('-5m')), /negative/);
      assert.match(refused(parseTtlArgument(-5)), /not a positive whole number/);
      assert.match(refused(parseTtlArgument(0)), /not a positive whole number/);
      assert.match(refused(parseTtlArgument(1.5)), /not a positive whole number/);
      assert.match(refused(parseTtlArgument('')), /Type an expiry/);
      assert.match(refused(parseTtlArgument(null)), /must be text/);
    });

    it('reads typed-in expiry text the same way', () => {
      assert.deepStrictEqual(value(parseTtlText(' 2h ')), { kind: 'duration', ms: 7200000 });
      assert.match(refused(parseTtlText('10')), /no unit/);
    });
  });

  describe('format and value', () => {
    it('accepts text and json in any case', () => {
      assert.strictEqual(value(parseFormatArgument('JSON')), 'json');
      assert.strictEqual(value(parseFormatArgument('text')), 'text');
      assert.match(refused(parseFormatArgument('yaml')), /"text" or "json"/);
      assert.match(refused(parseFormatArgument(1)), /not a number/);
    });

    it('validates JSON and says what is wrong', () => {
      assert.strictEqual(value(parseValueArgument('{"a":1}', 'json')), '{"a":1}');
      assert.match(refused(parseValueArgument('{a:1}', 'json')), /not valid JSON/);
    });

    it('serializes a non-string value for the json format only', () => {
      assert.strictEqual(value(parseValueArgument({ seen: [1, 2] }, 'json')), '{"seen":[1,2]}');
      assert.match(refused(parseValueArgument({ seen: 1 }, 'text')), /must be text/);
      assert.match(refused(parseValueArgument(undefined, 'text')), /No value given/);
      assert.match(refused(parseValueArgument(undefined, 'json')), /No value given/);
    });

    it('stores empty text as it is', () => {
      assert.strictEqual(value(parseValueArgument('', 'text')), '');
    });
  });

  describe('prefix, db, booleans', () => {
    it('refuses an empty prefix (that is Clear All)', () => {
      assert.deepStrictEqual(value(parsePrefixArgument('ns:monitor:')), Buffer.from('ns:monitor:'));
      assert.match(refused(parsePrefixArgument('')), /Clear All/);
      assert.match(refused(parsePrefixArgument(undefined)), /No prefix given/);
      assert.match(refused(parsePrefixArgument(['a'])), /not a list/);
    });

    it('takes a database index of 0 or more', () => {
      assert.strictEqual(value(parseDbArgument(3)), 3);
      assert.strictEqual(value(parseDbArgument('2')), 2);
      assert.match(refused(parseDbArgument(-1)), /0 or above/);
      assert.match(refused(parseDbArgument('one')), /0 or above/);
      assert.match(refused(parseDbArgument(1.5)), /0 or above/);
    });

    it('takes only real booleans', () => {
      assert.strictEqual(value(parseBooleanArgument(false, 'confirm')), false);
      assert.match(refused(parseBooleanArgument('no', 'confirm')), /confirm must be true or false/);
    });
  });

  describe('Redis URL', () => {
    it('keeps credentials out of the URL it returns', () => {
      const parsed = value(parseRedisUrlArgument('redis://alice:s3cret@cache.local:6380/2'));
      assert.strictEqual(parsed.url, 'redis://cache.local:6380');
      assert.strictEqual(parsed.username, 'alice');
      assert.strictEqual(parsed.password, 's3cret');
      assert.strictEqual(parsed.db, 2);
      assert.strictEqual(parsed.tls, false);
    });

    it('knows TLS and IPv6', () => {
      assert.strictEqual(value(parseRedisUrlArgument('rediss://[::1]:6379')).url, 'rediss://[::1]:6379');
      assert.strictEqual(value(parseRedisUrlArgument('rediss://h')).tls, true);
    });

    it('refuses other schemes without echoing a password', () => {
      const message = refused(parseRedisUrlArgument('http://bob:hunter2@x'));
      assert.match(message, /redis:\/\//);
      assert.ok(!message.includes('hunter2'), message);
      assert.match(refused(parseRedisUrlArgument('')), /No Redis URL/);
      assert.match(refused(parseRedisUrlArgument('redis://h:99999')), /port/);
    });
  });

  describe('namespace scope', () => {
    const namespace = Buffer.from('wf:acme:');

    it('accepts keys inside the namespace, and anything without one', () => {
      assert.ok(checkInsideNamespace(Buffer.from('wf:acme:x'), namespace, 'key', 'wf:acme:x').ok);
      assert.ok(checkInsideNamespace(Buffer.from('other'), Buffer.alloc(0), 'key', 'other').ok);
    });

    it('refuses a look-alike outside it', () => {
      assert.match(refused(checkInsideNamespace(Buffer.from('wf:acme2:x'), namespace, 'prefix', 'wf:acme2:x')), /outside the configured namespace "wf:acme:"/);
    });
  });
});
