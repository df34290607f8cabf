// Plain-text helpers shared by the analyzer and its callers: LSP positions (0-based line,
// UTF-16 character) <-> string offsets, and applying LSP-style TextEdits.

import type { Position, Range, TextEdit } from './types';

/** Offsets of the first character of every line. */
export function lineStarts(text: string): number[] {
  const starts = [0];
  for (let i = 0; i < text.length; i++) {
    if (text.charCodeAt(i) === 10) starts.push(i + 1);
  }
  return starts;
}

export function offsetAt(starts: readonly number[], text: string, position: Position): number {
  if (position.line < 0) return 0;
  if (position.line >= starts.length) return text.length;
  const lineStart = starts[position.line];
  const nextLineStart = position.line + 1 < starts.length ? starts[position.line + 1] : text.length;
  return Math.min(lineStart + Math.max(0, position.character), nextLineStart);
}

export function positionAt(starts: readonly number[], offset: number): Position {
  let low = 0;
  let high = starts.length - 1;
  while (low < high) {
    const mid = (low + high + 1) >> 1;
    if (starts[mid] <= offset) low = mid;
    else high = mid - 1;
  }
  return { line: low, character: offset - starts[low] };
}

function comparePositions(a: Position, b: Position): number {
  return a.line - b.line || a.character - b.character;
}

/**
 * Applies edits whose ranges all refer to the original text (LSP semantics: they must not
 * overlap; inserts at the same position keep their given order).
 */
export function applyEdits(text: string, edits: readonly TextEdit[]): string {
  const starts = lineStarts(text);
  const ordered = edits
    .map((edit, index) => ({ edit, index }))
    .sort((a, b) => comparePositions(a.edit.range.start, b.edit.range.start) || a.index - b.index);
  let result = '';
  let cursor = 0;
  for (const { edit } of ordered) {
    const start = offsetAt(starts, text, edit.range.start);
    const end = offsetAt(starts, text, edit.range.end);
    if (start < cursor) throw new Error('applyEdits: overlapping edits');
    result += text.slice(cursor, start) + edit.newText;
    cursor = Math.max(cursor, end);
  }
  return result + text.slice(cursor);
}

export function rangeOf(start: Position, end: Position): Range {
  return { start, end };
}
