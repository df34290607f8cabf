// Values as text for a read-only editor: JSON strings pretty-printed, collections as JSON, bytes
// that are not UTF-8 as a hex dump, and a note on top when only a preview was loaded.

import { decodeUtf8, keyToDisplay } from './keys';
import type { ValueView } from './store';

/** What the store read from Redis for one key, possibly only a first part of it. */
export type RawValue =
  | { type: 'string'; bytes: Buffer; totalBytes: number }
  | { type: 'hash'; entries: [field: Buffer, value: Buffer][]; total: number }
  | { type: 'list' | 'set'; items: Buffer[]; total: number }
  | { type: 'zset'; items: { member: Buffer; score: string }[]; total: number }
  | { type: 'stream'; entries: { id: string; fields: [field: Buffer, value: Buffer][] }[]; total: number }
  | { type: 'unsupported'; redisType: string };

export interface RenderOptions {
  /** Longest element text shown inside a collection before it is cut. */
  maxElementBytes?: number;
  /** MEMORY USAGE of the key, reported as totalBytes for collections. */
  memoryBytes?: number;
}

export function renderValue(raw: RawValue, options: RenderOptions = {}): ValueView {
  switch (raw.type) {
    case 'string':
      return renderString(raw.bytes, raw.totalBytes);
    case 'hash':
      return collection(raw.type, jsonObject(raw.entries, options), raw.entries.length, raw.total, 'fields', options);
    case 'list':
    case 'set':
      return collection(raw.type, jsonArray(raw.items.map((item) => jsonElement(item, options))), raw.items.length, raw.total, raw.type === 'list' ? 'items' : 'members', options);
    case 'zset':
      return collection(raw.type, jsonArray(raw.items.map(({ member, score }) => `{ "member": ${jsonElement(member, options)}, "score": ${jsonScore(score)} }`)), raw.items.length, raw.total, 'members', options);
    case 'stream':
      return collection(
        raw.type,
        jsonArray(raw.entries.map(({ id, fields }) => `{\n    "id": ${JSON.stringify(id)},\n    "fields": ${indent(jsonObject(fields, options), 4)}\n  }`)),
        raw.entries.length,
        raw.total,
        'entries',
        options,
      );
    case 'unsupported': {
      const note = `This key holds a ${raw.redisType} value, which Workflow Memory cannot show. Read it with redis-cli.`;
      return { kind: 'text', text: note, truncated: false, totalBytes: 0, note, language: 'plaintext' };
    }
  }
}

/** A string value: JSON pretty-printed, text as it is, other bytes as hex; previews get a note. */
export function renderString(bytes: Buffer, totalBytes: number): ValueView {
  const truncated = bytes.length < totalBytes;
  const previewNote = truncated
    ? `Showing the first ${formatBytes(bytes.length)} of ${formatBytes(totalBytes)}. The rest is not loaded, to keep the editor responsive.`
    : undefined;
  // A preview may end inside a multi-byte character: drop that partial character before deciding.
  const text = decodeUtf8(truncated ? withoutPartialCharacter(bytes) : bytes);
  if (text === undefined) {
    const note = [`Binary value (not UTF-8 text), ${formatBytes(totalBytes)}, shown as hex.`, previewNote].filter(Boolean).join(' ');
    return { kind: 'text', text: `${note}\n\n${hexDump(bytes)}`, truncated, totalBytes, note, language: 'plaintext' };
  }
  if (previewNote) return { kind: 'text', text: `${previewNote}\n\n${text}`, truncated, totalBytes, note: previewNote, language: 'plaintext' };
  const pretty = prettyJsonIfStructured(text);
  return pretty !== undefined
    ? { kind: 'text', text: pretty, truncated, totalBytes, language: 'json' }
    : { kind: 'text', text, truncated, totalBytes, language: 'plaintext' };
}

function collection(type: string, json: string, shown: number, total: number, noun: string, options: RenderOptions): ValueView {
  const truncated = shown < total;
  const totalBytes = options.memoryBytes ?? 0;
  if (!truncated) return { kind: 'text', text: json, truncated, totalBytes, language: 'json' };
  const note = `Showing the first ${formatCount(shown)} of ${formatCount(total)} ${noun} of this ${type}. The rest is not loaded, to keep the editor responsive.`;
  return { kind: 'text', text: `// ${note}\n${json}`, truncated, totalBytes, note, language: 'jsonc' };
}

function jsonArray(elements: string[]): string {
  if (elements.length === 0) return '[]';
  return `[\n${elements.map((element) => `  ${element}`).join(',\n')}\n]`;
}

// Built as text, not through a JS object, so field order is kept ("10" does not jump before "a").
function jsonObject(entries: [Buffer, Buffer][], options: RenderOptions): string {
  if (entries.length === 0) return '{}';
  return `{\n${entries.map(([field, value]) => `  ${JSON.stringify(elementText(field))}: ${jsonElement(value, options)}`).join(',\n')}\n}`;
}

function indent(text: string, spaces: number): string {
  return text.replace(/\n/g, `\n${' '.repeat(spaces)}`);
}

/**
 * An element as JSON: a JSON object or array nested as it is (a chat turn, a cached record),
 * anything else as a string of its text, or redis-cli escapes when it is not UTF-8; cut when huge.
 */
function jsonElement(bytes: Buffer, options: RenderOptions): string {
  const limit = options.maxElementBytes;
  if (limit !== undefined && bytes.length > limit) {
    const cut = withoutPartialCharacter(bytes.subarray(0, limit));
    return JSON.stringify(`${elementText(cut)}… (${formatBytes(bytes.length)}, cut)`);
  }
  const text = elementText(bytes);
  const nested = prettyJsonIfStructured(text);
  return nested === undefined ? JSON.stringify(text) : indent(nested, 2);
}

function elementText(bytes: Buffer): string {
  return decodeUtf8(bytes) ?? keyToDisplay(bytes);
}

function jsonScore(score: string): string {
  const value = Number(score);
  return Number.isFinite(value) && String(value) === score ? score : JSON.stringify(score);
}

/** Drops up to 3 trailing bytes that start a UTF-8 character without finishing it. */
function withoutPartialCharacter(bytes: Buffer): Buffer {
  for (let back = 1; back <= Math.min(3, bytes.length); back++) {
    const byte = bytes[bytes.length - back];
    if ((byte & 0xc0) === 0x80) continue; // continuation byte: look further back
    const needed = byte >= 0xf0 ? 4 : byte >= 0xe0 ? 3 : byte >= 0xc0 ? 2 : 1;
    return needed > back ? bytes.subarray(0, bytes.length - back) : bytes;
  }
  return bytes;
}

/**
 * Pretty-prints a JSON object or array, keeping every token exactly as written (big numbers and
 * escapes are not re-encoded). Undefined when the text is not a JSON object or array.
 */
export function prettyJsonIfStructured(text: string): string | undefined {
  const trimmed = text.trim();
  if (!/^[[{]/.test(trimmed)) return undefined;
  try {
    JSON.parse(trimmed);
  } catch {
    return undefined;
  }
  let out = '';
  let depth = 0;
  const newline = () => `\n${'  '.repeat(depth)}`;
  for (let i = 0; i < trimmed.length; i++) {
    const char = trimmed[i];
    if (char === '"') {
      let end = i + 1;
      while (trimmed[end] !== '"') end += trimmed[end] === '\\' ? 2 : 1;
      out += trimmed.slice(i, end + 1);
      i = end;
    } else if (char === '{' || char === '[') {
      const close = char === '{' ? '}' : ']';
      let next = i + 1;
      while (/\s/.test(trimmed[next])) next++;
      if (trimmed[next] === close) {
        out += char + close;
        i = next;
      } else {
        depth++;
        out += char + newline();
      }
    } else if (char === '}' || char === ']') {
      depth--;
      out += newline() + char;
    } else if (char === ',') {
      out += ',' + newline();
    } else if (char === ':') {
      out += ': ';
    } else if (!/\s/.test(char)) {
      out += char;
    }
  }
  return out;
}

/** Classic 16-bytes-a-line hex dump: offset, bytes, printable ASCII. */
export function hexDump(bytes: Uint8Array): string {
  const lines: string[] = [];
  for (let offset = 0; offset < bytes.length; offset += 16) {
    const row = bytes.subarray(offset, offset + 16);
    const hex = Array.from(row, (byte) => byte.toString(16).padStart(2, '0'));
    const left = hex.slice(0, 8).join(' ').padEnd(23);
    const right = hex.slice(8).join(' ').padEnd(23);
    const ascii = Array.from(row, (byte) => (byte >= 0x20 && byte < 0x7f ? String.fromCharCode(byte) : '.')).join('');
    lines.push(`${offset.toString(16).padStart(8, '0')}  ${left}  ${right}  |${ascii}|`);
  }
  return lines.join('\n');
}

/** "512 B", "1.5 KB", "1 MB", "52 MB". */
export function formatBytes(bytes: number): string {
  const units = ['B', 'KB', 'MB', 'GB', 'TB'];
  let value = bytes;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit++;
  }
  const shown = unit === 0 || value >= 10 ? Math.round(value) : Math.round(value * 10) / 10;
  return `${shown} ${units[unit]}`;
}

/** "12,345" */
export function formatCount(count: number): string {
  return count.toLocaleString('en-US');
}
