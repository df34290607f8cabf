// Redis keys are bytes. These helpers show them as text, read them back from text, and keep
// every prefix operation byte-wise so a key that is not UTF-8 round-trips unchanged.

import { MemoryError } from './errors';
import type { RedisKey } from './store';

/** Redis refuses keys longer than 512 MB; anything near that is a mistake in the UI anyway. */
export const MAX_KEY_BYTES = 512 * 1024 * 1024;

const strictUtf8 = new TextDecoder('utf-8', { fatal: true });

/** The text of a buffer when it is valid UTF-8, else undefined. */
export function decodeUtf8(bytes: Uint8Array): string | undefined {
  try {
    return strictUtf8.decode(bytes);
  } catch {
    return undefined;
  }
}

// Escapes keyFromInput understands. A plain key that happens to contain one of them is shown
// escaped, so what the user copies back always means the same bytes.
const ESCAPE_SEQUENCE = /\\(x[0-9a-fA-F]{2}|[nrtab\\])/;
const CONTROL_CHARACTER = /[\u0000-\u001f\u007f]/;
const NAMED_ESCAPES: Record<number, string> = { 0x0a: '\\n', 0x0d: '\\r', 0x09: '\\t', 0x07: '\\a', 0x08: '\\b', 0x5c: '\\\\' };
const ESCAPE_VALUES: Record<string, number> = { n: 0x0a, r: 0x0d, t: 0x09, a: 0x07, b: 0x08, '\\': 0x5c };

/** UTF-8 text when the key is plain text, else redis-cli style escapes (`\xff`, `\n`, `\\`). */
export function keyToDisplay(key: Uint8Array): string {
  const text = decodeUtf8(key);
  if (text !== undefined && !CONTROL_CHARACTER.test(text) && !ESCAPE_SEQUENCE.test(text)) return text;
  if (text !== undefined) {
    // Valid UTF-8: keep readable characters, escape only control characters and backslashes.
    let shown = '';
    for (const char of text) {
      const code = char.codePointAt(0)!;
      shown += NAMED_ESCAPES[code] ?? (code < 0x20 || code === 0x7f ? hexEscape(code) : char);
    }
    return shown;
  }
  let shown = '';
  for (const byte of key) {
    shown += NAMED_ESCAPES[byte] ?? (byte >= 0x20 && byte < 0x7f ? String.fromCharCode(byte) : hexEscape(byte));
  }
  return shown;
}

function hexEscape(byte: number): string {
  return `\\x${byte.toString(16).padStart(2, '0')}`;
}

/**
 * The key bytes a user typed: text with escapes (`\xff`, `\n`, `\\`) is unescaped, plain text
 * becomes UTF-8. Inverse of keyToDisplay. Refuses an empty key unless allowEmpty.
 */
export function keyFromInput(text: string, options: { allowEmpty?: boolean } = {}): RedisKey {
  const key = ESCAPE_SEQUENCE.test(text) ? unescapeKey(text) : Buffer.from(text, 'utf8');
  if (!options.allowEmpty) validateKey(key);
  return key;
}

function unescapeKey(text: string): Buffer {
  const parts: Buffer[] = [];
  let literal = '';
  const flush = () => {
    if (literal) parts.push(Buffer.from(literal, 'utf8'));
    literal = '';
  };
  for (let i = 0; i < text.length; i++) {
    const char = text[i];
    if (char === '\\') {
      const next = text[i + 1];
      const hex = text.slice(i + 2, i + 4);
      if (next === 'x' && /^[0-9a-fA-F]{2}$/.test(hex)) {
        flush();
        parts.push(Buffer.from([parseInt(hex, 16)]));
        i += 3;
        continue;
      }
      if (next !== undefined && next in ESCAPE_VALUES) {
        flush();
        parts.push(Buffer.from([ESCAPE_VALUES[next]]));
        i += 1;
        continue;
      }
    }
    literal += char; // a lone backslash stays a backslash
  }
  flush();
  return Buffer.concat(parts);
}

/** Throws MemoryError 'invalidInput' for a key Redis would refuse or the user did not mean. */
export function validateKey(key: Uint8Array): void {
  if (key.length === 0) throw new MemoryError('invalidInput', 'The key is empty. Type a key, for example "wf:monitor:last".');
  if (key.length > MAX_KEY_BYTES) throw new MemoryError('invalidInput', 'The key is longer than Redis allows (512 MB). Use a shorter key.');
}

const GLOB_SPECIAL = new Set([0x2a /* * */, 0x3f /* ? */, 0x5b /* [ */, 0x5d /* ] */, 0x5c /* \ */]);

/** Escapes `* ? [ ] \` byte by byte, so the prefix matches itself literally in SCAN MATCH. */
export function escapeGlob(prefix: Uint8Array): Buffer {
  const escaped: number[] = [];
  for (const byte of prefix) {
    if (GLOB_SPECIAL.has(byte)) escaped.push(0x5c);
    escaped.push(byte);
  }
  return Buffer.from(escaped);
}

/** SCAN MATCH pattern for the keys under prefix, optionally narrowed by a user glob after it. */
export function scanPattern(prefix: Uint8Array, filter?: string): Buffer {
  return Buffer.concat([escapeGlob(prefix), Buffer.from(filter ? filter : '*', 'utf8')]);
}

/**
 * A user's filter as a glob: text with glob characters is used as it is; plain text matches
 * anywhere in the key ("monitor" → "*monitor*").
 */
export function filterToGlob(text: string): string | undefined {
  const trimmed = text.trim();
  if (!trimmed) return undefined;
  return /[*?[\]]/.test(trimmed) ? trimmed : `*${trimmed.replace(/\\/g, '\\\\')}*`;
}

/** Whether key starts with prefix, compared byte by byte (the empty prefix holds every key). */
export function isInScope(key: Uint8Array, prefix: Uint8Array): boolean {
  if (key.length < prefix.length) return false;
  return Buffer.from(key.buffer, key.byteOffset, prefix.length).equals(prefix);
}

/** The key without the prefix, for showing its last part under a group. */
export function relativeKey(key: Buffer, prefix: Uint8Array): Buffer {
  return isInScope(key, prefix) ? key.subarray(prefix.length) : key;
}

/**
 * The namespace setting as a key prefix: "ns" → "ns:" (the delimiter is added when missing);
 * empty or blank → the empty prefix, meaning the whole database.
 */
export function normalizeNamespace(namespace: string, delimiter: string): RedisKey {
  if (!delimiter) throw new MemoryError('invalidInput', 'The delimiter is empty. Set it to the character that separates key parts, such as ":".');
  const trimmed = namespace.trim();
  if (!trimmed) return Buffer.alloc(0);
  const prefix = keyFromInput(trimmed, { allowEmpty: true });
  const delimiterBytes = Buffer.from(delimiter, 'utf8');
  const endsWithDelimiter = prefix.length >= delimiterBytes.length && prefix.subarray(prefix.length - delimiterBytes.length).equals(delimiterBytes);
  return endsWithDelimiter ? prefix : Buffer.concat([prefix, delimiterBytes]);
}
