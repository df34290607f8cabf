// The one live connection to Redis: built from the settings plus the password in SecretStorage,
// tracked as a state the tree, the status bar and `when` clauses follow, and re-established with
// backoff when Redis goes away. Commands ask it for the store and fail fast when there is none.
import * as vscode from 'vscode';
import { Config, ConnectionConfig, setContext } from './config';
import { ContextKeys, passwordSecretKey } from './constants';
import { createMemoryStore } from './memory';
import { explainRedisError, MemoryError } from './memory/errors';
import { normalizeNamespace } from './memory/keys';
import type { MemoryStore } from './memory/store';
import { Parsed, parseDbArgument, parseRedisUrlArgument } from './commands/arguments';
import { Notifier } from './notify';

export type ConnectionState = ContextKeys['workflowMemory.connectionState'];

export const NOT_CONNECTED_MESSAGE = 'Not connected to Redis — run Connect…';

/** What the tree root, the status bar and tooltips show; never a secret. */
export interface ConnectionSummary {
  state: ConnectionState;
  /** "host:port" */
  endpoint: string;
  db: number;
  username: string;
  tls: boolean;
  /** The explained error while state is 'error'. */
  error?: string;
}

/** Errors that a retry can fix by itself; a wrong password or a bad CA file waits for the user. */
const TRANSIENT_CODES = new Set(['unreachable', 'timeout', 'unknown']);
const BACKOFF_MS = [1000, 2000, 5000, 10000, 30000];

export class ConnectionService implements vscode.Disposable {
  private readonly stateChanged = new vscode.EventEmitter<ConnectionSummary>();
  /** Fires on every state change. */
  readonly onDidChangeState = this.stateChanged.event;
  private readonly disposables: vscode.Disposable[] = [this.stateChanged];

  private store: MemoryStore | undefined;
  private unsubscribeStore: (() => void) | undefined;
  private summary: ConnectionSummary;
  /** Settings of the current connection, to tell a real change from an unrelated one. */
  private connectedFingerprint: string | undefined;
  /** Bumped by every connect/disconnect so a late result of an older attempt is ignored. */
  private attempt = 0;
  private reconnectTimer: NodeJS.Timeout | undefined;
  private failuresInRow = 0;
  /** After Disconnect, stay disconnected until the user connects again. */
  private stayDisconnected = false;
  /** Connect… is writing several settings: connect once afterwards, not per setting. */
  private savingSettings = false;

  constructor(
    private readonly config: Config,
    private readonly secrets: vscode.SecretStorage,
    private readonly notify: Notifier,
  ) {
    this.summary = { ...this.describe(config.connection), state: 'disconnected' };
    this.disposables.push(
      config.onDidChange(() => {
        if (this.stayDisconnected || this.savingSettings) return;
        if (fingerprint(this.config.connection) !== this.connectedFingerprint) void this.connect();
      }),
    );
    void this.publishContext();
  }

  dispose(): void {
    this.clearReconnectTimer();
    void this.closeStore();
    for (const disposable of this.disposables) disposable.dispose();
  }

  get state(): ConnectionState {
    return this.summary.state;
  }

  get current(): ConnectionSummary {
    return { ...this.summary };
  }

  /** The namespace prefix every view and command is scoped to. */
  get namespacePrefix(): Buffer {
    return normalizeNamespace(this.config.namespace, this.config.delimiter);
  }

  /** The store while connected; otherwise throws the fail-fast message. */
  requireStore(): MemoryStore {
    if (this.summary.state !== 'connected' || !this.store) throw new MemoryError('unreachable', NOT_CONNECTED_MESSAGE);
    return this.store;
  }

  /** The store while connected, else undefined. */
  get connectedStore(): MemoryStore | undefined {
    return this.summary.state === 'connected' ? this.store : undefined;
  }

  /**
   * Connects with the current settings and stored password. Never throws: the outcome is the
   * state, and the returned error message when it failed.
   */
  async connect(): Promise<{ ok: true } | { ok: false; error: string }> {
    this.stayDisconnected = false;
    this.clearReconnectTimer();
    const attempt = ++this.attempt;
    const settings = this.config.connection;
    this.connectedFingerprint = fingerprint(settings);
    await this.closeStore();
    this.setState({ ...this.describe(settings), state: 'connecting' });

    const target = resolveTarget(settings);
    if (!target.ok) return this.failed(attempt, new MemoryError('invalidInput', target.error), settings);
    const { url, username, db, urlPassword } = target.value;

    let password: string | undefined;
    try {
      password = (await this.secrets.get(passwordSecretKey(url, username))) || urlPassword;
    } catch {
      password = urlPassword; // no secret storage (rare): only what the URL carries
    }
    if (attempt !== this.attempt) return { ok: false, error: 'A newer connection attempt replaced this one.' };

    let store: MemoryStore;
    try {
      store = createMemoryStore({
        url,
        username: username || undefined,
        password,
        db,
        tls: { caFile: settings.tlsCaFile || undefined, rejectUnauthorized: settings.tlsRejectUnauthorized },
        commandTimeoutMs: settings.commandTimeoutMs,
        scanCount: this.config.scanCount,
        connectionName: 'workflow-memory-vscode',
      });
    } catch (error) {
      return this.failed(attempt, error, settings, password);
    }
    this.store = store;
    this.unsubscribeStore = store.onStateChange((state, error) => this.storeStateChanged(attempt, state, error, settings, password));
    try {
      await store.connect();
    } catch (error) {
      return this.failed(attempt, error, settings, password);
    }
    if (attempt !== this.attempt) return { ok: false, error: 'A newer connection attempt replaced this one.' };
    this.failuresInRow = 0;
    this.setState({ ...this.describe(settings), state: 'connected' });
    this.notify.log(`Connected to Redis at ${this.summary.endpoint} db${this.summary.db}.`);
    return { ok: true };
  }

  /** Saves settings (and secrets) with `save`, then connects once with the result. */
  async connectAfter(save: () => Promise<void>): Promise<{ ok: true } | { ok: false; error: string }> {
    this.savingSettings = true;
    try {
      await save();
    } finally {
      this.savingSettings = false;
    }
    return this.connect();
  }

  async disconnect(): Promise<void> {
    this.stayDisconnected = true;
    this.attempt++;
    this.clearReconnectTimer();
    await this.closeStore();
    this.setState({ ...this.describe(this.config.connection), state: 'disconnected' });
  }

  /** Stores (or, with an empty password, keeps) the password for a URL and user. */
  async savePassword(settingsUrl: string, username: string, password: string | undefined): Promise<void> {
    if (!password) return;
    const parsed = parseRedisUrlArgument(settingsUrl);
    await this.secrets.store(passwordSecretKey(parsed.ok ? parsed.value.url : settingsUrl, username), password);
  }

  private storeStateChanged(attempt: number, state: 'ready' | 'reconnecting' | 'error' | 'end', error: Error | undefined, settings: ConnectionConfig, password?: string): void {
    if (attempt !== this.attempt) return;
    if (state === 'ready' && this.summary.state !== 'connecting') {
      this.failuresInRow = 0;
      this.setState({ ...this.describe(settings), state: 'connected' });
    } else if (state === 'reconnecting' || state === 'error') {
      if (this.summary.state === 'connecting') return; // connect() reports the outcome itself
      const message = error ? this.explain(error, settings, password) : `Lost the connection to Redis at ${this.summary.endpoint}; reconnecting…`;
      this.setState({ ...this.describe(settings), state: 'error', error: message });
    } else if (state === 'end' && this.summary.state !== 'connecting') {
      const message = error ? this.explain(error, settings, password) : `The connection to Redis at ${this.summary.endpoint} was closed.`;
      void this.failed(attempt, new MemoryError('unreachable', message), settings, password);
    }
  }

  private async failed(attempt: number, error: unknown, settings: ConnectionConfig, password?: string): Promise<{ ok: false; error: string }> {
    const explained = explainRedisError(error, { endpoint: this.describe(settings).endpoint, username: settings.username, secrets: password ? [password] : [] });
    if (attempt !== this.attempt) return { ok: false, error: explained.message };
    await this.closeStore();
    this.setState({ ...this.describe(settings), state: 'error', error: explained.message });
    this.notify.log(`Redis connection failed: ${explained.message}${explained.detail ? ` (${explained.detail})` : ''}`);
    if (TRANSIENT_CODES.has(explained.code)) this.scheduleReconnect();
    return { ok: false, error: explained.message };
  }

  private explain(error: Error, settings: ConnectionConfig, password?: string): string {
    return explainRedisError(error, { endpoint: this.describe(settings).endpoint, username: settings.username, secrets: password ? [password] : [] }).message;
  }

  private scheduleReconnect(): void {
    this.clearReconnectTimer();
    const delay = BACKOFF_MS[Math.min(this.failuresInRow, BACKOFF_MS.length - 1)];
    this.failuresInRow++;
    this.reconnectTimer = setTimeout(() => {
      this.reconnectTimer = undefined;
      if (!this.stayDisconnected && this.summary.state === 'error') void this.connect();
    }, delay);
  }

  private clearReconnectTimer(): void {
    if (this.reconnectTimer) clearTimeout(this.reconnectTimer);
    this.reconnectTimer = undefined;
  }

  private async closeStore(): Promise<void> {
    const store = this.store;
    this.unsubscribeStore?.();
    this.unsubscribeStore = undefined;
    this.store = undefined;
    if (store) await store.disconnect().catch(() => undefined);
  }

  private setState(summary: ConnectionSummary): void {
    this.summary = summary;
    void this.publishContext();
    this.stateChanged.fire({ ...summary });
  }

  private async publishContext(): Promise<void> {
    await setContext('workflowMemory.connected', this.summary.state === 'connected');
    await setContext('workflowMemory.connectionState', this.summary.state);
  }

  private describe(settings: ConnectionConfig): Omit<ConnectionSummary, 'state'> {
    const parsed = parseRedisUrlArgument(settings.url);
    const target = resolveTarget(settings);
    const endpoint = parsed.ok ? `${parsed.value.host.includes(':') ? `[${parsed.value.host}]` : parsed.value.host}:${parsed.value.port}` : 'an invalid URL';
    return {
      endpoint,
      db: target.ok ? target.value.db : settings.db,
      username: target.ok ? target.value.username : settings.username,
      tls: parsed.ok && parsed.value.tls,
    };
  }
}

/**
 * Where to connect: the URL without credentials (the key of the stored password), the user and
 * the database. A URL that carries credentials (REDIS_URL often does) is still used; its
 * password only when none is stored.
 */
function resolveTarget(settings: ConnectionConfig): Parsed<{ url: string; username: string; db: number; urlPassword?: string }> {
  const url = parseRedisUrlArgument(settings.url);
  if (!url.ok) return { ok: false, error: `The Redis URL (setting workflowMemory.redis.url or REDIS_URL) is not usable: ${url.error}` };
  const db = parseDbArgument(settings.db);
  if (!db.ok) return { ok: false, error: `The setting workflowMemory.redis.db is not usable: ${db.error}` };
  return {
    ok: true,
    value: {
      url: url.value.url,
      username: settings.username || url.value.username || '',
      // A database in the URL's path counts when the setting was left at 0.
      db: db.value === 0 && url.value.db !== undefined ? url.value.db : db.value,
      urlPassword: url.value.password,
    },
  };
}

function fingerprint(settings: ConnectionConfig): string {
  return JSON.stringify(settings);
}
