// A minimal LSP client for the language-server tests: forks the bundled dist/server.js over Node
// IPC (as the extension does), answers the server's requests like VS Code would, and records what
// the server sends. Needs `node esbuild.js` first.

import { fork, type ChildProcess } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { PassThrough } from 'stream';
import {
  CodeActionRequest,
  CodeLensRefreshRequest,
  CodeLensRequest,
  ConfigurationRequest,
  createProtocolConnection,
  DidChangeConfigurationNotification,
  DidChangeTextDocumentNotification,
  DidCloseTextDocumentNotification,
  DidOpenTextDocumentNotification,
  ExitNotification,
  InitializedNotification,
  InitializeRequest,
  IPCMessageReader,
  IPCMessageWriter,
  LogMessageNotification,
  LogTraceNotification,
  StreamMessageReader,
  StreamMessageWriter,
  type MessageReader,
  type MessageWriter,
  PublishDiagnosticsNotification,
  RegistrationRequest,
  ShowMessageNotification,
  ShowMessageRequest,
  ShutdownRequest,
  type CodeAction,
  type CodeLens,
  type Diagnostic,
  type InitializeResult,
  type ProtocolConnection,
  type PublishDiagnosticsParams,
  type Range,
  type TextDocumentContentChangeEvent,
} from 'vscode-languageserver-protocol/node';

export const repoRoot = path.resolve(__dirname, '..', '..', '..');
export const serverModule = path.join(repoRoot, 'dist', 'server.js');

export interface SessionOptions {
  /** The `workflowMemory` section answered to `workspace/configuration`. */
  settings?: Record<string, unknown>;
  initializationOptions?: unknown;
  /** Advertise `workspace/configuration` support (VS Code does). */
  configurationSupport?: boolean;
}

export class LspSession {
  readonly diagnostics: PublishDiagnosticsParams[] = [];
  readonly messages: Array<{ type: number; message: string }> = [];
  readonly logs: Array<{ type: number; message: string }> = [];
  /** `$/logTrace` messages (sent only while tracing is on). */
  readonly traces: string[] = [];
  /** What the server wrote to stderr, for failure messages. */
  stderr = '';
  codeLensRefreshes = 0;
  configurationRequests = 0;
  settings: Record<string, unknown>;
  initializeResult: InitializeResult | undefined;
  private readonly versions = new Map<string, number>();
  private readonly diagnosticWaiters: Array<() => void> = [];
  private readonly refreshWaiters: Array<() => void> = [];
  private readonly exited: Promise<number | null>;

  private constructor(
    readonly connection: ProtocolConnection,
    options: SessionOptions,
    /** The server process; undefined when the server runs inside the test process. */
    readonly child?: ChildProcess,
  ) {
    this.settings = options.settings ?? {};
    this.exited = new Promise((resolve) => child?.once('exit', (code) => resolve(code)));
    child?.stderr?.on('data', (chunk: Buffer) => {
      this.stderr += chunk.toString('utf8');
    });
    child?.stdout?.resume();
    connection.onRequest(ConfigurationRequest.type, (params) => {
      this.configurationRequests++;
      return params.items.map((item) => (item.section === 'workflowMemory' ? this.settings : null));
    });
    connection.onRequest(CodeLensRefreshRequest.type, () => {
      this.codeLensRefreshes++;
      this.refreshWaiters.splice(0).forEach((wake) => wake());
    });
    connection.onRequest(RegistrationRequest.type, () => undefined);
    connection.onRequest(ShowMessageRequest.type, (params) => {
      this.messages.push(params);
      return null;
    });
    connection.onNotification(ShowMessageNotification.type, (params) => {
      this.messages.push(params);
    });
    connection.onNotification(LogMessageNotification.type, (params) => {
      this.logs.push(params);
    });
    connection.onNotification(LogTraceNotification.type, (params) => {
      this.traces.push(params.message);
    });
    connection.onNotification(PublishDiagnosticsNotification.type, (params) => {
      this.diagnostics.push(params);
      this.diagnosticWaiters.splice(0).forEach((wake) => wake());
    });
    connection.listen();
  }

  /** Forks dist/server.js and initializes it. */
  static async start(options: SessionOptions = {}): Promise<LspSession> {
    if (!fs.existsSync(serverModule)) throw new Error(`${serverModule} is missing: run \`node esbuild.js\` first.`);
    const child = fork(serverModule, ['--node-ipc'], { stdio: ['ignore', 'pipe', 'pipe', 'ipc'] });
    const connection = createProtocolConnection(new IPCMessageReader(child), new IPCMessageWriter(child));
    return LspSession.initialize(new LspSession(connection, options, child), options);
  }

  /** Runs a server inside this process over a pair of in-memory streams, and initializes it. */
  static async inProcess(startServer: (reader: MessageReader, writer: MessageWriter) => void, options: SessionOptions = {}): Promise<LspSession> {
    const toServer = new PassThrough();
    const toClient = new PassThrough();
    startServer(new StreamMessageReader(toServer), new StreamMessageWriter(toClient));
    const connection = createProtocolConnection(new StreamMessageReader(toClient), new StreamMessageWriter(toServer));
    return LspSession.initialize(new LspSession(connection, options), options);
  }

  private static async initialize(session: LspSession, options: SessionOptions): Promise<LspSession> {
    const connection = session.connection;
    const configurationSupport = options.configurationSupport ?? true;
    session.initializeResult = await connection.sendRequest(InitializeRequest.type, {
      // In process, a parent-process watchdog would only keep the test run alive.
      processId: session.child ? process.pid : null,
      rootUri: null,
      workspaceFolders: null,
      initializationOptions: options.initializationOptions,
      capabilities: {
        workspace: {
          configuration: configurationSupport,
          codeLens: { refreshSupport: true },
          workspaceEdit: { documentChanges: true },
          didChangeConfiguration: { dynamicRegistration: false },
        },
        textDocument: {
          synchronization: { dynamicRegistration: false },
          codeLens: {},
          codeAction: { codeActionLiteralSupport: { codeActionKind: { valueSet: ['quickfix', 'refactor'] } } },
          publishDiagnostics: { versionSupport: true },
        },
      },
    });
    await connection.sendNotification(InitializedNotification.type, {});
    return session;
  }

  async open(uri: string, languageId: string, text: string): Promise<void> {
    this.versions.set(uri, 1);
    await this.connection.sendNotification(DidOpenTextDocumentNotification.type, {
      textDocument: { uri, languageId, version: 1, text },
    });
  }

  async change(uri: string, changes: TextDocumentContentChangeEvent[]): Promise<number> {
    const version = (this.versions.get(uri) ?? 0) + 1;
    this.versions.set(uri, version);
    await this.connection.sendNotification(DidChangeTextDocumentNotification.type, {
      textDocument: { uri, version },
      contentChanges: changes,
    });
    return version;
  }

  async close(uri: string): Promise<void> {
    this.versions.delete(uri);
    await this.connection.sendNotification(DidCloseTextDocumentNotification.type, { textDocument: { uri } });
  }

  version(uri: string): number | undefined {
    return this.versions.get(uri);
  }

  /** Changes the answered settings and tells the server, the way VS Code's client does (no values pushed). */
  async changeSettings(settings: Record<string, unknown>): Promise<void> {
    this.settings = settings;
    await this.connection.sendNotification(DidChangeConfigurationNotification.type, { settings: null });
  }

  codeLenses(uri: string): Promise<CodeLens[]> {
    return this.connection.sendRequest(CodeLensRequest.type, { textDocument: { uri } }).then((lenses) => lenses ?? []);
  }

  codeActions(uri: string, range: Range, diagnostics: Diagnostic[] = [], only?: string[]): Promise<CodeAction[]> {
    return this.connection
      .sendRequest(CodeActionRequest.type, { textDocument: { uri }, range, context: { diagnostics, only } })
      .then((actions) => (actions ?? []).filter((action): action is CodeAction => 'title' in action && !('command' in action && typeof action.command === 'string')));
  }

  /** The first diagnostics published for `uri` (at `version`, when given) after this call. */
  async nextDiagnostics(uri: string, version?: number, timeoutMs = 5000): Promise<PublishDiagnosticsParams> {
    const seen = this.diagnostics.length;
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const found = this.diagnostics
        .slice(seen)
        .find((published) => published.uri === uri && (version === undefined || published.version === version));
      if (found) return found;
      const left = deadline - Date.now();
      if (left <= 0) throw new Error(`No diagnostics for ${uri}${version === undefined ? '' : ` v${version}`} within ${timeoutMs} ms`);
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, left);
        this.diagnosticWaiters.push(() => {
          clearTimeout(timer);
          resolve();
        });
      });
    }
  }

  /** The latest diagnostics for `uri` at `version`, waiting for them if none arrived yet. */
  async diagnosticsFor(uri: string, version: number, timeoutMs = 5000): Promise<PublishDiagnosticsParams> {
    const already = [...this.diagnostics].reverse().find((published) => published.uri === uri && published.version === version);
    return already ?? this.nextDiagnostics(uri, version, timeoutMs);
  }

  async nextCodeLensRefresh(timeoutMs = 5000): Promise<void> {
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`No workspace/codeLens/refresh within ${timeoutMs} ms`)), timeoutMs);
      this.refreshWaiters.push(() => {
        clearTimeout(timer);
        resolve();
      });
    });
  }

  /** Whether the server process is still running (always true in process). */
  get alive(): boolean {
    return !this.child || (this.child.exitCode === null && this.child.signalCode === null);
  }

  /** shutdown + exit, as a client does; resolves with the process's exit code. In process: shutdown only (exit ends the process). */
  async shutdown(timeoutMs = 5000): Promise<number | null> {
    if (!this.child) {
      await this.connection.sendRequest(ShutdownRequest.type);
      this.connection.dispose();
      return null;
    }
    if (!this.alive) return this.child.exitCode;
    await this.connection.sendRequest(ShutdownRequest.type);
    await this.connection.sendNotification(ExitNotification.type);
    const timeout = new Promise<'timeout'>((resolve) => setTimeout(() => resolve('timeout'), timeoutMs).unref());
    const code = await Promise.race([this.exited, timeout]);
    this.connection.dispose();
    if (code === 'timeout') {
      this.child.kill('SIGKILL');
      throw new Error(`The server did not exit within ${timeoutMs} ms of shutdown + exit`);
    }
    return code;
  }

  /** For after-hooks: ends the process whatever state it is in. */
  kill(): void {
    this.connection.dispose();
    if (this.child && this.alive) this.child.kill('SIGKILL');
  }
}

export function fileUri(name: string): string {
  return `file:///workspace/${name}`;
}
