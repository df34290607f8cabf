// What the tree shows, as plain functions of the data (no vscode import) so they are unit-tested
// in Node: labels, descriptions, countdowns, contextValue tokens, value-document URIs.
import { TreeItemContext } from '../constants';
import type { Expiry } from '../memory/store';
import { formatCountdown } from '../memory/ttl';
import { formatCount } from '../memory/valueRender';

/** When a key expires, as an absolute time, so a countdown re-renders without asking Redis again. */
export type Deadline = { kind: 'at'; epochMs: number } | { kind: 'never' } | { kind: 'gone' };

export function deadlineFrom(expiry: Expiry, nowMs: number): Deadline {
  if (expiry.kind === 'expires') return { kind: 'at', epochMs: nowMs + expiry.ms };
  if (expiry.kind === 'persistent') return { kind: 'never' };
  return { kind: 'gone' };
}

/** "expires in 6d 3h", "⚠ never expires", or "expired" (shown until the next refresh drops the key). */
export function expiryText(deadline: Deadline, nowMs: number): string {
  if (deadline.kind === 'never') return `⚠ ${formatCountdown({ kind: 'persistent' })}`;
  if (deadline.kind === 'gone') return 'expired';
  const left = deadline.epochMs - nowMs;
  return left > 0 ? formatCountdown({ kind: 'expires', ms: left }) : 'expired';
}

/** A key's description: its type, then its expiry. */
export function keyDescription(type: string, deadline: Deadline, nowMs: number): string {
  return `${type} · ${expiryText(deadline, nowMs)}`;
}

/** "1 key", "12,345 keys", or "200+ keys" while the scan has not seen everything. */
export function countDescription(count: number, complete: boolean): string {
  const noun = count === 1 && complete ? 'key' : 'keys';
  return `${formatCount(count)}${complete ? '' : '+'} ${noun}`;
}

/** contextValue of a key node: `memoryKey:<type>:volatile|persistent`, matched with `viewItem =~ /^memoryKey\b/`. */
export function keyContextValue(type: string, deadline: Deadline): string {
  const lifetime = deadline.kind === 'never' ? TreeItemContext.persistent : TreeItemContext.volatile;
  return [TreeItemContext.key, sanitizeToken(type), lifetime].join(':');
}

/** Only word characters in a token, so a module type name can never break the `when` regexes. */
function sanitizeToken(token: string): string {
  return token.replace(/[^A-Za-z0-9_-]/g, '_') || 'unknown';
}

/** A full Redis key, escaped so it shows verbatim inside Markdown inline code. */
export function markdownCode(text: string): string {
  const longestRun = Math.max(0, ...(text.match(/`+/g) ?? []).map((run) => run.length));
  const fence = '`'.repeat(longestRun + 1);
  const pad = text.startsWith('`') || text.endsWith('`') ? ' ' : '';
  return `${fence}${pad}${text}${pad}${fence}`;
}

/** Key bytes as base64url: binary-safe inside a URI query. */
export function encodeKeyForUri(key: Buffer): string {
  return key.toString('base64url');
}

/** Reverse of encodeKeyForUri; undefined when the text is not base64url. */
export function decodeKeyFromUri(encoded: string): Buffer | undefined {
  if (!/^[A-Za-z0-9_-]*$/.test(encoded)) return undefined;
  return Buffer.from(encoded, 'base64url');
}

/** A file-name-like title for a value tab: the key's last segment, with no path separators. */
export function valueDocumentTitle(lastSegment: string): string {
  const cleaned = lastSegment.replace(/[\u0000-\u001f\u007f]/g, '').replace(/[\\/]/g, '_').trim();
  return (cleaned || 'value').slice(0, 80);
}
