// Typed access to every `workflowMemory.*` setting. In an untrusted workspace the connection
// settings come from the user's own (global) settings only, and writes to Redis are disabled.
import * as vscode from 'vscode';
import { ContextKeys, Settings, SettingKey } from './constants';
import { DEFAULT_REDIS_URL } from './memory/connectionOptions';

/** The non-secret parts of a connection; the password lives in SecretStorage. */
export interface ConnectionConfig {
  url: string;
  username: string;
  db: number;
  tlsCaFile: string;
  tlsRejectUnauthorized: boolean;
  commandTimeoutMs: number;
}

/** Writes a context key with a type-checked value. */
export function setContext<K extends keyof ContextKeys>(key: K, value: ContextKeys[K]): Thenable<unknown> {
  return vscode.commands.executeCommand('setContext', key, value);
}

export class Config implements vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<void>();
  /** Fires when a `workflowMemory.*` setting or the workspace trust changes. */
  readonly onDidChange = this.changed.event;
  private readonly disposables: vscode.Disposable[] = [this.changed];

  /** isTrusted is injectable so tests can see Restricted Mode, which the test host has turned off. */
  constructor(private readonly isTrusted: () => boolean = () => vscode.workspace.isTrusted) {
    this.disposables.push(
      vscode.workspace.onDidChangeConfiguration((event) => {
        if (event.affectsConfiguration(Settings.section)) this.settingsChanged();
      }),
      vscode.workspace.onDidGrantWorkspaceTrust(() => this.settingsChanged()),
    );
    void setContext('workflowMemory.readOnly', this.readOnly);
  }

  dispose(): void {
    for (const disposable of this.disposables) disposable.dispose();
  }

  get trusted(): boolean {
    return this.isTrusted();
  }

  get connection(): ConnectionConfig {
    return {
      url: this.redisUrl,
      username: this.restricted<string>(Settings.redisUsername, '').trim(),
      db: this.restricted<number>(Settings.redisDb, 0),
      tlsCaFile: this.restricted<string>(Settings.tlsCaFile, '').trim(),
      tlsRejectUnauthorized: this.restricted<boolean>(Settings.tlsRejectUnauthorized, true),
      commandTimeoutMs: this.integer(Settings.commandTimeout, 5000, 100, 600000),
    };
  }

  /** The configured URL; `REDIS_URL` from the environment when the setting was never set. */
  get redisUrl(): string {
    const inspected = this.section().inspect<string>(Settings.redisUrl);
    const explicit = this.trusted
      ? inspected?.workspaceFolderValue ?? inspected?.workspaceValue ?? inspected?.globalValue
      : inspected?.globalValue;
    if (explicit !== undefined && explicit.trim() !== '') return explicit.trim();
    const fromEnvironment = process.env.REDIS_URL?.trim();
    return fromEnvironment || inspected?.defaultValue || DEFAULT_REDIS_URL;
  }

  get namespace(): string {
    return this.restricted<string>(Settings.namespace, '');
  }
  get delimiter(): string {
    return this.get<string>(Settings.delimiter, ':') || ':';
  }
  get scanCount(): number {
    return this.integer(Settings.scanCount, 1000, 10, 100000);
  }
  get pageSize(): number {
    return this.integer(Settings.pageSize, 200, 10, 10000);
  }
  get maxValueSize(): number {
    return this.integer(Settings.maxValueSize, 1048576, 1024, Number.MAX_SAFE_INTEGER);
  }
  get defaultTtl(): string {
    return this.get<string>(Settings.defaultTtl, '7d');
  }

  /** The readOnly setting, or always on in an untrusted workspace. */
  get readOnly(): boolean {
    return !this.trusted || this.restricted<boolean>(Settings.readOnly, false);
  }

  /** Why writes are refused, or undefined when they are allowed. */
  get readOnlyReason(): string | undefined {
    if (!this.trusted) return 'This workspace is not trusted, so writing to Redis is disabled. Trust the workspace to change workflow memory.';
    if (this.readOnly) return 'Workflow Memory is in read-only mode (`workflowMemory.readOnly`): nothing was changed. Turn the setting off to change workflow memory.';
    return undefined;
  }

  /**
   * Saves non-secret connection parts to the user's settings. Where the (trusted) workspace sets
   * its own value, that one wins, so it is updated too: what the user typed is what is used.
   */
  async saveConnection(settings: Partial<Pick<ConnectionConfig, 'url' | 'username' | 'db' | 'tlsCaFile' | 'tlsRejectUnauthorized'>>): Promise<void> {
    const keys: [SettingKey, unknown][] = [
      [Settings.redisUrl, settings.url],
      [Settings.redisUsername, settings.username],
      [Settings.redisDb, settings.db],
      [Settings.tlsCaFile, settings.tlsCaFile],
      [Settings.tlsRejectUnauthorized, settings.tlsRejectUnauthorized],
    ];
    for (const [key, value] of keys) {
      if (value === undefined) continue;
      const section = this.section();
      await section.update(key, value, vscode.ConfigurationTarget.Global);
      if (this.trusted && section.inspect(key)?.workspaceValue !== undefined) {
        await section.update(key, value, vscode.ConfigurationTarget.Workspace);
      }
    }
  }

  private settingsChanged(): void {
    void setContext('workflowMemory.readOnly', this.readOnly);
    this.changed.fire();
  }

  private section(): vscode.WorkspaceConfiguration {
    return vscode.workspace.getConfiguration(Settings.section);
  }

  private get<T>(key: SettingKey, fallback: T): T {
    return this.section().get<T>(key, fallback);
  }

  /** A number setting kept inside its schema's range, since settings.json can hold anything. */
  private integer(key: SettingKey, fallback: number, min: number, max: number): number {
    const value = this.get<unknown>(key, fallback);
    if (typeof value !== 'number' || !Number.isFinite(value)) return fallback;
    return Math.min(max, Math.max(min, Math.floor(value)));
  }

  /** A restricted setting: workspace values count only in a trusted workspace. */
  private restricted<T>(key: SettingKey, fallback: T): T {
    if (this.trusted) return this.get(key, fallback);
    const inspected = this.section().inspect<T>(key);
    return inspected?.globalValue ?? inspected?.defaultValue ?? fallback;
  }
}
