import { strict as assert } from 'assert';
import { MemoryError } from '../../../src/memory/errors';
import {
  escapeGlob,
  filterToGlob,
  isInScope,
  keyFromInput,
  keyToDisplay,
  normalizeNamespace,
  relativeKey,
  scanPattern,
  validateKey,
} from '../../../src/memory/keys';

const bytes = (...values: number[]) => Buffer.from(values);
const utf8 = (text: string) => Buffer.from(text, 'utf8');

/** A tiny Redis-glob matcher (as in util.c stringmatchlen) to check what an escaped pattern matches. */
function globMatches(pattern: Buffer, key: Buffer): boolean {
  const match = (p: number, k: number): boolean => {
    while (p < pattern.length) {
      const c = pattern[p];
      if (c === 0x2a) {
        for (let rest = k; rest <= key.length; rest++) if (match(p + 1, rest)) return true;
        return false;
      }
      if (k >= key.length) return false;
      if (c === 0x3f) { p++; k++; continue; }
      if (c === 0x5b) throw new Error('brackets are not expected in an escaped prefix');
      const literal = c === 0x5c && p + 1 < pattern.length ? pattern[++p] : c;
      if (literal !== key[k]) return false;
      p++; k++;
    }
    return k === key.length;
  };
  return match(0, 0);
}

describe('memory/keys: display and input', () => {
  it('shows UTF-8 keys as they are', () => {
    assert.equal(keyToDisplay(utf8('wf:acme:monitor:last')), 'wf:acme:monitor:last');
    assert.equal(keyToDisplay(utf8('wf:héllo:日本')), 'wf:héllo:日本');
    assert.equal(keyToDisplay(utf8('wf:a*b?[x]\\:')), 'wf:a*b?[x]\\:');
  });

  it('escapes bytes that are not UTF-8 the way redis-cli does', () => {
    assert.equal(keyToDisplay(bytes(0x77, 0x66, 0x3a, 0xff, 0x00, 0x0a, 0x5c)), 'wf:\\xff\\x00\\n\\\\');
    assert.equal(keyToDisplay(bytes(0xc3)), '\\xc3');
  });

  it('escapes control characters in otherwise valid UTF-8 but keeps readable characters', () => {
    assert.equal(keyToDisplay(utf8('a\tb\né\u0001')), 'a\\tb\\né\\x01');
  });

  it('escapes a plain key that looks like it holds an escape, so it reads back unchanged', () => {
    const tricky = utf8('wf:\\x41:\\n');
    const shown = keyToDisplay(tricky);
    assert.equal(shown, 'wf:\\\\x41:\\\\n');
    assert.deepEqual(keyFromInput(shown), tricky);
  });

  it('round-trips arbitrary keys through display and input', () => {
    const samples = [
      utf8('wf:plain'),
      bytes(0xff, 0xfe, 0x00, 0x01),
      bytes(...Array.from({ length: 256 }, (_, i) => i)),
      utf8('wf:a*b?[x]\\:'),
      utf8('trailing\\'),
      utf8('日本\u0000語'),
      Buffer.concat([utf8('wf:'), bytes(0x80), utf8('\\xZZ')]),
    ];
    for (const key of samples) {
      assert.deepEqual(keyFromInput(keyToDisplay(key)), key, keyToDisplay(key));
    }
  });

  it('reads plain input as UTF-8 and escaped input as bytes', () => {
    assert.deepEqual(keyFromInput('wf:日本'), utf8('wf:日本'));
    assert.deepEqual(keyFromInput('wf:\\xff\\x00'), bytes(0x77, 0x66, 0x3a, 0xff, 0x00));
    assert.deepEqual(keyFromInput('wf:a*b?[x]\\:'), utf8('wf:a*b?[x]\\:'), 'a backslash that starts no escape stays');
  });

  it('refuses an empty key with a message saying what to type', () => {
    assert.throws(() => keyFromInput(''), (error: unknown) => error instanceof MemoryError && error.code === 'invalidInput' && /empty/.test(error.message));
    assert.throws(() => validateKey(Buffer.alloc(0)), MemoryError);
    assert.deepEqual(keyFromInput('', { allowEmpty: true }), Buffer.alloc(0));
  });
});

describe('memory/keys: glob escaping and scope', () => {
  it('escapes * ? [ ] and backslash byte-wise and nothing else', () => {
    assert.equal(escapeGlob(utf8('wf:a*b?[x]\\:')).toString(), 'wf:a\\*b\\?\\[x\\]\\\\:');
    assert.deepEqual(escapeGlob(bytes(0xff, 0x2a, 0x00)), bytes(0xff, 0x5c, 0x2a, 0x00));
    assert.equal(escapeGlob(utf8('plain:^-!')).toString(), 'plain:^-!');
  });

  it('builds a MATCH pattern that matches the prefix literally and nothing outside it', () => {
    const prefix = utf8('wf:a*b?[x]\\:');
    const pattern = scanPattern(prefix);
    assert.ok(globMatches(pattern, utf8('wf:a*b?[x]\\:one')));
    assert.ok(globMatches(pattern, utf8('wf:a*b?[x]\\:')));
    for (const outside of ['wf:a*b?[x]\\X', 'wf:aXbY[x]\\:one', 'wf:aXbYx\\:one', 'wf:acme-other:one', 'wf:a*b?[x]']) {
      assert.ok(!globMatches(pattern, utf8(outside)), outside);
    }
  });

  it('narrows the pattern with a user filter after the prefix', () => {
    assert.equal(scanPattern(utf8('wf:'), '*monitor*').toString(), 'wf:*monitor*');
    assert.equal(scanPattern(utf8('wf:')).toString(), 'wf:*');
    assert.equal(filterToGlob('monitor'), '*monitor*');
    assert.equal(filterToGlob('mon*'), 'mon*');
    assert.equal(filterToGlob('   '), undefined);
  });

  it('checks scope byte by byte', () => {
    assert.ok(isInScope(utf8('wf:acme:x'), utf8('wf:acme:')));
    assert.ok(!isInScope(utf8('wf:acme-other:x'), utf8('wf:acme:')));
    assert.ok(!isInScope(utf8('wf:'), utf8('wf:acme:')));
    assert.ok(isInScope(bytes(0xff, 0x01), bytes(0xff)));
    assert.ok(!isInScope(bytes(0xfe, 0x01), bytes(0xff)));
    assert.ok(isInScope(utf8('anything'), Buffer.alloc(0)), 'the empty prefix is the whole database');
    const shared = Buffer.from('xxwf:acme:k');
    assert.ok(isInScope(shared.subarray(2), utf8('wf:acme:')), 'works on a slice of a larger buffer');
    assert.deepEqual(relativeKey(utf8('wf:acme:k'), utf8('wf:acme:')), utf8('k'));
  });

  it('normalizes the namespace setting', () => {
    assert.deepEqual(normalizeNamespace('ns', ':'), utf8('ns:'));
    assert.deepEqual(normalizeNamespace('ns:', ':'), utf8('ns:'));
    assert.deepEqual(normalizeNamespace(' ns ', ':'), utf8('ns:'));
    assert.deepEqual(normalizeNamespace('ns', '::'), utf8('ns::'));
    assert.deepEqual(normalizeNamespace('ns/', '/'), utf8('ns/'));
    assert.deepEqual(normalizeNamespace('', ':'), Buffer.alloc(0));
    assert.deepEqual(normalizeNamespace('  ', ':'), Buffer.alloc(0));
    assert.deepEqual(normalizeNamespace('\\xff', ':'), bytes(0xff, 0x3a));
    assert.throws(() => normalizeNamespace('ns', ''), MemoryError);
  });
});
