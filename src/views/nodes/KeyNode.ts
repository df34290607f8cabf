// One Redis key: its last segment, type and a live expiry countdown; click opens its value.
import * as vscode from 'vscode';
import { Commands } from '../../constants';
import type { KeyMetadata } from '../../memory/store';
import { keyToDisplay } from '../../memory/keys';
import { formatExpiryTime } from '../../memory/ttl';
import { formatBytes } from '../../memory/valueRender';
import { Deadline, deadlineFrom, encodeKeyForUri, expiryText, keyContextValue, keyDescription, markdownCode } from '../presentation';

const TYPE_ICONS: Record<string, string> = {
  string: 'symbol-string',
  hash: 'symbol-object',
  list: 'list-ordered',
  set: 'symbol-array',
  zset: 'list-ordered',
  stream: 'pulse',
};

export class KeyNode extends vscode.TreeItem {
  readonly kind = 'key';
  type = 'unknown';
  deadline: Deadline = { kind: 'never' };
  private metadata: KeyMetadata | undefined;

  constructor(
    /** The full Redis key, bytes as stored. */
    readonly key: Buffer,
    lastSegment: Buffer,
  ) {
    super(keyToDisplay(lastSegment) || '(empty)', vscode.TreeItemCollapsibleState.None);
    this.id = `key:${encodeKeyForUri(key)}`;
    this.command = { command: Commands.openValue, title: 'Open Value', arguments: [this] };
    this.description = '…';
    this.contextValue = keyContextValue('unknown', this.deadline);
  }

  /** What the row shows apart from the ticking countdown: '…' until the metadata is in. */
  get shownState(): string {
    return this.metadata ? `${this.contextValue} ${this.metadata.error ?? ''}` : '…';
  }

  get hasExpiry(): boolean {
    return this.deadline.kind === 'at';
  }

  /** Takes freshly fetched metadata (TYPE, PTTL, MEMORY USAGE…). */
  setMetadata(metadata: KeyMetadata, nowMs: number): void {
    this.metadata = metadata;
    this.type = metadata.type;
    this.deadline = deadlineFrom(metadata.expiry, nowMs);
    this.contextValue = keyContextValue(metadata.type, this.deadline);
    this.iconPath = new vscode.ThemeIcon(metadata.error ? 'warning' : TYPE_ICONS[metadata.type] ?? 'symbol-misc');
    this.render(nowMs);
    this.tooltip = this.buildTooltip(nowMs);
  }

  /** Re-renders the countdown without asking Redis; true when the text changed. */
  render(nowMs: number): boolean {
    if (!this.metadata) return false;
    const description = this.metadata.error ? `⚠ ${this.metadata.error}` : keyDescription(this.type, this.deadline, nowMs);
    if (description === this.description) return false;
    this.description = description;
    return true;
  }

  private buildTooltip(nowMs: number): vscode.MarkdownString {
    const metadata = this.metadata!;
    const lines = [markdownCode(keyToDisplay(this.key)), '', `Type: ${metadata.type}`];
    if (this.deadline.kind === 'at') {
      lines.push(`Expires: ${formatExpiryTime({ kind: 'expires', ms: this.deadline.epochMs - nowMs }, nowMs)} (${expiryText(this.deadline, nowMs)} when listed)`);
    } else {
      lines.push(`Expires: ${expiryText(this.deadline, nowMs)}`);
    }
    if (metadata.memoryBytes !== undefined) lines.push(`Size: ${formatBytes(metadata.memoryBytes)} (MEMORY USAGE)`);
    if (metadata.encoding !== undefined) lines.push(`Encoding: ${metadata.encoding}`);
    if (metadata.length !== undefined) lines.push(`Length: ${metadata.length.toLocaleString('en-US')}`);
    if (metadata.error) lines.push(`⚠ ${metadata.error}`);
    const tooltip = new vscode.MarkdownString();
    // The key comes from Redis: append it as text-safe markdown, never as trusted content.
    tooltip.appendMarkdown(lines.join('  \n'));
    return tooltip;
  }
}
