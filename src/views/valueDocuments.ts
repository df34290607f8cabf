// Read-only editor tabs for key values: `workflow-memory:/<last segment>?key=<base64url bytes>`.
// The key travels as base64url so binary keys round-trip; big values come back as a preview.
import * as vscode from 'vscode';
import { Config } from '../config';
import { VALUE_URI_SCHEME } from '../constants';
import { ConnectionService } from '../connection';
import { explainRedisError } from '../memory/errors';
import { keyToDisplay } from '../memory/keys';
import { decodeKeyFromUri, encodeKeyForUri, valueDocumentTitle } from './presentation';

export type ValueLanguage = 'json' | 'jsonc' | 'plaintext';

export function valueUri(key: Buffer, delimiter: string): vscode.Uri {
  const display = keyToDisplay(key);
  const lastSegment = display.split(delimiter).filter(Boolean).pop() ?? display;
  return vscode.Uri.from({ scheme: VALUE_URI_SCHEME, path: `/${valueDocumentTitle(lastSegment)}`, query: `key=${encodeKeyForUri(key)}` });
}

export function keyFromValueUri(uri: vscode.Uri): Buffer | undefined {
  const encoded = new URLSearchParams(uri.query).get('key');
  return encoded === null ? undefined : decodeKeyFromUri(encoded);
}

export class ValueDocumentProvider implements vscode.TextDocumentContentProvider, vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<vscode.Uri>();
  readonly onDidChange = this.changed.event;
  /** Language of the last content given for each URI, so the editor can switch to JSON. */
  private readonly languages = new Map<string, ValueLanguage>();
  private readonly registrations: vscode.Disposable[];

  constructor(
    private readonly connection: ConnectionService,
    private readonly config: Config,
  ) {
    this.registrations = [
      vscode.workspace.registerTextDocumentContentProvider(VALUE_URI_SCHEME, this),
      vscode.workspace.onDidCloseTextDocument((document) => this.languages.delete(document.uri.toString())),
    ];
  }

  dispose(): void {
    for (const registration of this.registrations) registration.dispose();
    this.changed.dispose();
  }

  languageOf(uri: vscode.Uri): ValueLanguage {
    return this.languages.get(uri.toString()) ?? 'plaintext';
  }

  async provideTextDocumentContent(uri: vscode.Uri): Promise<string> {
    const key = keyFromValueUri(uri);
    if (!key || key.length === 0) return this.answer(uri, 'This link does not name a Redis key.');
    const store = this.connection.connectedStore;
    if (!store) return this.answer(uri, `${keyToDisplay(key)}\n\nNot connected to Redis — run Connect…, then open the value again.`);
    try {
      const value = await store.readValue(key, this.config.maxValueSize);
      if (value.kind === 'missing') return this.answer(uri, `The key ${keyToDisplay(key)} no longer exists (it expired or was deleted). Refresh the tree.`);
      return this.answer(uri, value.text, value.language ?? 'plaintext');
    } catch (error) {
      return this.answer(uri, `Could not read ${keyToDisplay(key)}: ${explainRedisError(error).message}`);
    }
  }

  /** Re-reads the open documents of these keys (all open value documents when none given). */
  refresh(keys?: Buffer[]): void {
    const wanted = keys?.map((key) => key.toString('latin1'));
    for (const document of vscode.workspace.textDocuments) {
      if (document.uri.scheme !== VALUE_URI_SCHEME) continue;
      const key = keyFromValueUri(document.uri);
      if (!wanted || (key && wanted.includes(key.toString('latin1')))) this.changed.fire(document.uri);
    }
  }

  private answer(uri: vscode.Uri, text: string, language: ValueLanguage = 'plaintext'): string {
    this.languages.set(uri.toString(), language);
    return text;
  }
}
