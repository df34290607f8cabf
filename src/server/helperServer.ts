// The language helper's server side: keeps one incrementally parsed document per open file,
// answers code lenses and code actions from the freshest analysis, publishes hygiene diagnostics
// shortly after each change, and follows the client's settings and dismissals. Analysis errors
// are caught per document and logged: a file the analyzer chokes on never takes the server down.

import { performance } from 'perf_hooks';
import {
  CodeActionKind,
  CodeLensRefreshRequest,
  TextDocumentSyncKind,
  TextDocuments,
  type CodeAction,
  type CodeActionParams,
  type CodeLens,
  type CodeLensParams,
  type Connection,
  type InitializeParams,
  type InitializeResult,
} from 'vscode-languageserver/node';
import type { AnalysisResult, Analyzer } from '../analysis';
import { Settings } from '../constants';
import { ADD_MEMORY_ACTION_KIND, codeActionsFor, codeLensesFor, diagnosticFor } from './presentation';
import { DISMISSED_NOTIFICATION, type DismissedByUri, type DismissedParams, type HelperInitializationOptions } from './protocol';
import { analysisOptionsFor, isLanguageEnabled, readHelperSettings, DEFAULT_HELPER_SETTINGS, type HelperSettings } from './settings';
import { TrackedDocument, trackedDocuments } from './trackedDocument';

/** Diagnostics wait this long after the last keystroke; lenses never wait. */
export const DIAGNOSTICS_DELAY_MS = 120;
/** Bigger documents (generated bundles, data dumps) are not workflows anyone edits by hand. */
export const MAX_ANALYZED_CHARACTERS = 2_000_000;

interface ClientSupport {
  configuration: boolean;
  codeLensRefresh: boolean;
  documentChanges: boolean;
}

export class HelperServer {
  private readonly documents = new TextDocuments(trackedDocuments);
  private analyzer: Analyzer | undefined;
  private readonly analyzerReady: Promise<void>;
  /** The settings pull in flight, if any: requests wait for it so they never answer with stale settings. */
  private settingsPending: Promise<void> = Promise.resolve();
  private settings: HelperSettings = DEFAULT_HELPER_SETTINGS;
  private dismissed: DismissedByUri = {};
  /** Bumped whenever settings or dismissals change, invalidating every cached analysis. */
  private generation = 0;
  private support: ClientSupport = { configuration: false, codeLensRefresh: false, documentChanges: false };
  private readonly pendingDiagnostics = new Map<string, NodeJS.Timeout>();
  private readonly reportedProblems = new Set<string>();
  private readonly reportedTooLarge = new Set<string>();

  constructor(
    private readonly connection: Connection,
    loadAnalyzer: () => Promise<Analyzer>,
  ) {
    this.analyzerReady = loadAnalyzer().then(
      (analyzer) => {
        this.analyzer = analyzer;
      },
      (error: unknown) => {
        const message = `Workflow Memory: the language helper could not load its parsers (${describe(error)}). Code lenses and memory diagnostics are off; reinstall the extension, then run "Workflow Memory: Restart Language Helper".`;
        connection.console.error(message);
        void connection.window.showErrorMessage(message);
      },
    );
    connection.onInitialize((params) => this.initialize(params));
    connection.onInitialized(() => {
      if (this.support.configuration) this.settingsPending = this.pullSettings();
    });
    connection.onDidChangeConfiguration((change) => {
      this.settingsPending = this.configurationChanged(change.settings);
    });
    connection.onNotification(DISMISSED_NOTIFICATION, (params: DismissedParams) => this.dismissedChanged(params));
    connection.onCodeLens((params) => this.codeLenses(params));
    connection.onCodeAction((params) => this.codeActions(params));
    connection.onShutdown(() => this.dispose());

    this.documents.onDidOpen(({ document }) => this.scheduleDiagnostics(document, 0));
    this.documents.onDidChangeContent(({ document }) => this.scheduleDiagnostics(document, DIAGNOSTICS_DELAY_MS));
    this.documents.onDidClose(({ document }) => this.closed(document));
    this.documents.listen(connection);
  }

  listen(): void {
    this.connection.listen();
  }

  private initialize(params: InitializeParams): InitializeResult {
    const capabilities = params.capabilities;
    this.support = {
      configuration: capabilities.workspace?.configuration === true,
      codeLensRefresh: capabilities.workspace?.codeLens?.refreshSupport === true,
      documentChanges: capabilities.workspace?.workspaceEdit?.documentChanges === true,
    };
    const options = (params.initializationOptions ?? {}) as HelperInitializationOptions;
    if (options.settings !== undefined) this.applySettings(options.settings);
    if (options.dismissed !== undefined) this.dismissed = sanitizeDismissed(options.dismissed);
    return {
      capabilities: {
        textDocumentSync: { openClose: true, change: TextDocumentSyncKind.Incremental },
        codeLensProvider: { resolveProvider: false },
        codeActionProvider: { codeActionKinds: [CodeActionKind.QuickFix, ADD_MEMORY_ACTION_KIND] },
      },
      serverInfo: { name: 'Workflow Memory Helper' },
    };
  }

  private async configurationChanged(pushed: unknown): Promise<void> {
    if (this.support.configuration) return this.pullSettings();
    const section = typeof pushed === 'object' && pushed !== null ? (pushed as Record<string, unknown>)[Settings.section] : undefined;
    this.applySettings(section);
    this.refreshAll();
  }

  private async pullSettings(): Promise<void> {
    try {
      const section: unknown = await this.connection.workspace.getConfiguration(Settings.section);
      this.applySettings(section);
    } catch (error) {
      this.connection.console.error(`Could not read the ${Settings.section} settings: ${describe(error)}; keeping the previous ones.`);
      return;
    }
    this.refreshAll();
  }

  /** Analysis needs the parsers and the current settings. */
  private async ready(): Promise<void> {
    await this.analyzerReady;
    await this.settingsPending;
  }

  private applySettings(section: unknown): void {
    const { settings, problems } = readHelperSettings(section);
    this.settings = settings;
    this.generation++;
    for (const problem of problems) {
      if (this.reportedProblems.has(problem)) continue;
      this.reportedProblems.add(problem);
      this.connection.console.warn(problem);
      void this.connection.window.showWarningMessage(`Workflow Memory: ${problem}`);
    }
  }

  private dismissedChanged(params: DismissedParams): void {
    this.dismissed = sanitizeDismissed(params?.dismissed);
    this.generation++;
    this.refreshLenses();
  }

  /** After a settings or dismissal change: new lenses and diagnostics for every open document. */
  private refreshAll(): void {
    for (const document of this.documents.all()) this.scheduleDiagnostics(document, 0);
    this.refreshLenses();
  }

  private refreshLenses(): void {
    if (!this.support.codeLensRefresh) return;
    this.connection.sendRequest(CodeLensRefreshRequest.type).catch((error: unknown) => {
      this.connection.console.log(`Code lens refresh was refused: ${describe(error)}`);
    });
  }

  private async codeLenses(params: CodeLensParams): Promise<CodeLens[]> {
    await this.ready();
    const document = this.documents.get(params.textDocument.uri);
    const result = document && this.analysisFor(document);
    if (!document || !result || !this.settings.suggestionsEnabled) return [];
    return codeLensesFor(document, result.suggestions);
  }

  private async codeActions(params: CodeActionParams): Promise<CodeAction[]> {
    await this.ready();
    const document = this.documents.get(params.textDocument.uri);
    const result = document && this.analysisFor(document);
    if (!document || !result) return [];
    return codeActionsFor(
      document,
      result.findings,
      this.settings.suggestionsEnabled ? result.suggestions : [],
      { range: params.range, diagnostics: params.context.diagnostics, only: params.context.only },
      { documentChanges: this.support.documentChanges },
    );
  }

  private scheduleDiagnostics(document: TrackedDocument, delayMs: number): void {
    clearTimeout(this.pendingDiagnostics.get(document.uri));
    this.pendingDiagnostics.set(
      document.uri,
      setTimeout(() => {
        this.pendingDiagnostics.delete(document.uri);
        void this.publishDiagnostics(document.uri);
      }, delayMs),
    );
  }

  private async publishDiagnostics(uri: string): Promise<void> {
    await this.ready();
    const document = this.documents.get(uri);
    if (!document) return;
    const findings = this.analysisFor(document)?.findings ?? [];
    const diagnostics = this.settings.hygieneEnabled ? findings.map(diagnosticFor) : [];
    await this.connection.sendDiagnostics({ uri, version: document.version, diagnostics });
  }

  private closed(document: TrackedDocument): void {
    clearTimeout(this.pendingDiagnostics.get(document.uri));
    this.pendingDiagnostics.delete(document.uri);
    this.reportedTooLarge.delete(document.uri);
    document.dispose();
    void this.connection.sendDiagnostics({ uri: document.uri, diagnostics: [] });
  }

  /** The current version's analysis, or undefined when the helper is off for it or analysis failed. */
  private analysisFor(document: TrackedDocument): AnalysisResult | undefined {
    const analyzer = this.analyzer;
    const language = document.language;
    if (!analyzer || !language || !isLanguageEnabled(this.settings, language)) return undefined;
    if (!this.settings.suggestionsEnabled && !this.settings.hygieneEnabled) return undefined;
    if (document.textDocument.getText().length > MAX_ANALYZED_CHARACTERS) {
      if (!this.reportedTooLarge.has(document.uri)) {
        this.reportedTooLarge.add(document.uri);
        this.connection.console.info(`${document.uri} is larger than ${MAX_ANALYZED_CHARACTERS} characters; the helper skips it.`);
      }
      return undefined;
    }
    const options = { ...analysisOptionsFor(this.settings, new Set(this.dismissed[document.uri] ?? [])), fileName: fileNameOf(document.uri) };
    try {
      return document.analysis(analyzer, this.generation, (tree) => {
        const started = performance.now();
        const result = tree.analyze(options);
        // Visible only with "workflowMemory.trace.server" on: keeps the per-keystroke cost measurable.
        this.connection.tracer.log(`analysis of ${document.uri} v${document.version}: ${(performance.now() - started).toFixed(2)} ms`);
        return result;
      });
    } catch (error) {
      this.connection.console.error(`Analysis of ${document.uri} (version ${document.version}) failed: ${describe(error)}`);
      return undefined;
    }
  }

  private dispose(): void {
    for (const timer of this.pendingDiagnostics.values()) clearTimeout(timer);
    this.pendingDiagnostics.clear();
    for (const document of this.documents.all()) document.dispose();
    try {
      this.analyzer?.dispose();
    } catch (error) {
      this.connection.console.error(`Disposing the analyzer failed: ${describe(error)}`);
    }
    this.analyzer = undefined;
  }
}

/** A saved file's name names the workflow in proposed keys (`website_monitor.py` → `website-monitor`). */
function fileNameOf(uri: string): string | undefined {
  if (!uri.startsWith('file:')) return undefined;
  const last = uri.replace(/[?#].*$/, '').split('/').pop();
  return last ? decodeURIComponent(last) : undefined;
}

/** Keeps only string ids under string URIs: the notification comes from outside the process. */
function sanitizeDismissed(value: unknown): DismissedByUri {
  const dismissed: DismissedByUri = {};
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return dismissed;
  for (const [uri, ids] of Object.entries(value)) {
    if (Array.isArray(ids)) dismissed[uri] = ids.filter((id): id is string => typeof id === 'string');
  }
  return dismissed;
}

function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
