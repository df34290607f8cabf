// Labels, countdowns, contextValue tokens and value-document URIs of the Memory Keys tree.
import * as assert from 'assert';
import {
  countDescription,
  deadlineFrom,
  decodeKeyFromUri,
  encodeKeyForUri,
  expiryText,
  keyContextValue,
  keyDescription,
  markdownCode,
  valueDocumentTitle,
} from '../../../src/views/presentation';

const HOUR = 3600 * 1000;
const DAY = 24 * HOUR;

describe('tree presentation', () => {
  describe('expiry countdown', () => {
    const now = 1_700_000_000_000;

    it('counts down from the time the metadata was fetched', () => {
      const deadline = deadlineFrom({ kind: 'expires', ms: 6 * DAY + 3 * HOUR }, now);
      assert.strictEqual(expiryText(deadline, now), 'expires in 6d 3h');
      assert.strictEqual(expiryText(deadline, now + 3 * HOUR), 'expires in 6d');
      assert.strictEqual(expiryText(deadline, now + 6 * DAY + 3 * HOUR - 42_000), 'expires in 42s');
    });

    it('says expired once the deadline passed (the next refresh drops the key)', () => {
      const deadline = deadlineFrom({ kind: 'expires', ms: 1000 }, now);
      assert.strictEqual(expiryText(deadline, now + 1000), 'expired');
      assert.strictEqual(expiryText(deadline, now + 5000), 'expired');
    });

    it('warns about a key that never expires', () => {
      assert.strictEqual(expiryText(deadlineFrom({ kind: 'persistent' }, now), now), '⚠ never expires');
    });

    it('treats a vanished key as expired', () => {
      assert.strictEqual(expiryText(deadlineFrom({ kind: 'missing' }, now), now), 'expired');
    });

    it('puts the type before the countdown', () => {
      assert.strictEqual(keyDescription('hash', deadlineFrom({ kind: 'expires', ms: 2 * HOUR }, now), now), 'hash · expires in 2h');
      assert.strictEqual(keyDescription('string', { kind: 'never' }, now), 'string · ⚠ never expires');
    });
  });

  describe('group counts', () => {
    it('writes counts with separators and the right noun', () => {
      assert.strictEqual(countDescription(1, true), '1 key');
      assert.strictEqual(countDescription(12, true), '12 keys');
      assert.strictEqual(countDescription(12345, true), '12,345 keys');
    });

    it('marks a count as a lower bound while the scan is not done', () => {
      assert.strictEqual(countDescription(200, false), '200+ keys');
      assert.strictEqual(countDescription(1, false), '1+ keys');
    });
  });

  describe('contextValue tokens', () => {
    it('builds memoryKey:<type>:volatile|persistent for the package.json menus', () => {
      assert.strictEqual(keyContextValue('string', { kind: 'at', epochMs: 1 }), 'memoryKey:string:volatile');
      assert.strictEqual(keyContextValue('hash', { kind: 'never' }), 'memoryKey:hash:persistent');
    });

    it('matches the package.json when-clause regexes', () => {
      const volatile = keyContextValue('zset', { kind: 'at', epochMs: 1 });
      assert.ok(/^memoryKey\b/.test(volatile));
      assert.ok(/^memoryKey\b.*:volatile\b/.test(volatile));
      assert.ok(!/^memoryKey\b.*:volatile\b/.test(keyContextValue('zset', { kind: 'never' })));
    });

    it('keeps odd module type names from breaking the tokens', () => {
      assert.strictEqual(keyContextValue('ReJSON-RL', { kind: 'never' }), 'memoryKey:ReJSON-RL:persistent');
      assert.strictEqual(keyContextValue('a:b c', { kind: 'never' }), 'memoryKey:a_b_c:persistent');
      assert.strictEqual(keyContextValue('', { kind: 'never' }), 'memoryKey:unknown:persistent');
    });
  });

  describe('value document URIs', () => {
    it('round-trips any key bytes through base64url', () => {
      const keys = [Buffer.from('ns:monitor:last'), Buffer.from([0xff, 0x00, 0x3a, 0x2f, 0x3f, 0x23, 0x25]), Buffer.from('ключ:😀 ?&=#')];
      for (const key of keys) {
        const encoded = encodeKeyForUri(key);
        assert.ok(/^[A-Za-z0-9_-]*$/.test(encoded), `not URI-safe: ${encoded}`);
        assert.deepStrictEqual(decodeKeyFromUri(encoded), key);
      }
    });

    it('refuses text that is not base64url', () => {
      assert.strictEqual(decodeKeyFromUri('a+b/c='), undefined);
      assert.strictEqual(decodeKeyFromUri('%00'), undefined);
    });

    it('makes a tab title without path separators or control characters', () => {
      assert.strictEqual(valueDocumentTitle('last'), 'last');
      assert.strictEqual(valueDocumentTitle('a/b\\c'), 'a_b_c');
      assert.strictEqual(valueDocumentTitle('\n'), 'value');
      assert.strictEqual(valueDocumentTitle('x'.repeat(200)).length, 80);
    });
  });

  describe('markdown code spans', () => {
    it('shows a key with backticks verbatim', () => {
      assert.strictEqual(markdownCode('ns:a'), '`ns:a`');
      assert.strictEqual(markdownCode('a`b'), '``a`b``');
      assert.strictEqual(markdownCode('`x'), '`` `x ``');
    });
  });
});
