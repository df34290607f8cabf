// Starts the language helper: the LSP server in dist/server.js over Node IPC, the commands its code
// lenses run, and crash handling (a crashed server restarts a few times and is reported once; it
// never takes the extension down).

import * as vscode from 'vscode';
import {
  CloseAction,
  ErrorAction,
  LanguageClient,
  RevealOutputChannelOn,
  State,
  TransportKind,
  type CloseHandlerResult,
  type DocumentSelector,
  type ErrorHandler,
  type ErrorHandlerResult,
  type LanguageClientOptions,
  type ServerOptions,
} from 'vscode-languageclient/node';
import { Settings } from '../constants';
import { DISMISSED_NOTIFICATION, type DismissedParams, type HelperInitializationOptions } from '../server/protocol';
import { pickHelperSettings } from '../server/settings';
import { DismissedSuggestions } from './dismissedSuggestions';
import { RestartPolicy } from './restartPolicy';
import { registerSuggestionCommands, type HelperMessages } from './suggestionCommands';

export const HELPER_CLIENT_ID = 'workflowMemory';
export const HELPER_NAME = 'Workflow Memory Helper';
export const HELPER_EDITOR_LANGUAGES = ['python', 'typescript', 'typescriptreact', 'javascript', 'javascriptreact'] as const;

export interface LanguageHelperOptions {
  /** Where user-facing messages go (the extension's Notifier fits); default: vscode.window. */
  messages?: HelperMessages;
}

export class LanguageHelper implements vscode.Disposable {
  readonly client: LanguageClient;
  readonly dismissed: DismissedSuggestions;
  private readonly restartPolicy = new RestartPolicy();
  private crashReported = false;

  constructor(
    context: vscode.ExtensionContext,
    readonly outputChannel: vscode.LogOutputChannel,
    private readonly messages: HelperMessages,
  ) {
    this.dismissed = new DismissedSuggestions(context.workspaceState);
    const serverModule = context.asAbsolutePath('dist/server.js');
    // The same for debug: an --inspect port would clash between several extension hosts.
    const serverOptions: ServerOptions = {
      run: { module: serverModule, transport: TransportKind.ipc },
      debug: { module: serverModule, transport: TransportKind.ipc },
    };
    const documentSelector: DocumentSelector = HELPER_EDITOR_LANGUAGES.flatMap((language) => [
      { scheme: 'file', language },
      { scheme: 'untitled', language },
    ]);
    const clientOptions: LanguageClientOptions = {
      documentSelector,
      synchronize: { configurationSection: Settings.section },
      outputChannel,
      traceOutputChannel: outputChannel,
      revealOutputChannelOn: RevealOutputChannelOn.Never,
      // A function, so a restarted server gets the dismissals made since the first start.
      initializationOptions: (): HelperInitializationOptions => ({ dismissed: this.dismissed.all() }),
      errorHandler: this.errorHandler(),
      middleware: {
        workspace: {
          // The server only learns the helper's own settings: connection settings stay here.
          configuration: (params) =>
            params.items.map((item) => {
              if (item.section !== Settings.section) return null;
              const scope = item.scopeUri ? vscode.Uri.parse(item.scopeUri) : undefined;
              const configuration = vscode.workspace.getConfiguration(Settings.section, scope);
              return pickHelperSettings((key) => configuration.get(key));
            }),
          // Send no values with the change notice; the server pulls them through the middleware above.
          didChangeConfiguration: (_sections, next) => next(undefined),
        },
      },
    };
    this.client = new LanguageClient(HELPER_CLIENT_ID, HELPER_NAME, serverOptions, clientOptions);
  }

  /** Starts the server; a failure is reported and leaves the extension working. */
  async start(): Promise<boolean> {
    try {
      await this.client.start();
      return true;
    } catch (error) {
      this.outputChannel.error(`Starting the language helper failed: ${describe(error)}`);
      void this.messages.error(
        `Workflow Memory: the language helper did not start (${describe(error)}). Memory suggestions are off; see the "${HELPER_NAME}" output, then run "Workflow Memory: Restart Language Helper".`,
      );
      return false;
    }
  }

  async restart(): Promise<boolean> {
    this.restartPolicy.reset();
    this.crashReported = false;
    if (this.client.state === State.Running) {
      try {
        await this.client.restart();
        return true;
      } catch (error) {
        void this.messages.error(`Workflow Memory: restarting the language helper failed (${describe(error)}). See the "${HELPER_NAME}" output.`);
        return false;
      }
    }
    if (this.client.state === State.Starting) await this.client.stop().catch(() => undefined);
    return this.start();
  }

  /** Tells the server the current dismissals; it drops their lenses and asks VS Code to refresh. */
  async sendDismissed(): Promise<void> {
    if (this.client.state !== State.Running) return;
    const params: DismissedParams = { dismissed: this.dismissed.all() };
    await this.client.sendNotification(DISMISSED_NOTIFICATION, params);
  }

  dispose(): void {
    void this.client.dispose().catch(() => undefined);
  }

  private errorHandler(): ErrorHandler {
    return {
      error: (error, _message, count): ErrorHandlerResult => {
        this.outputChannel.error(`Language helper connection error: ${describe(error)}`);
        // A few broken messages are survivable; a stream that keeps failing means the process is gone.
        return { action: (count ?? 0) <= 3 ? ErrorAction.Continue : ErrorAction.Shutdown, handled: true };
      },
      closed: (): CloseHandlerResult => {
        if (this.restartPolicy.crashed()) {
          this.outputChannel.warn('The language helper stopped unexpectedly; restarting it.');
          if (!this.crashReported) {
            this.crashReported = true;
            void this.messages.warning(
              `Workflow Memory: the language helper stopped unexpectedly and was restarted. Details are in the "${HELPER_NAME}" output.`,
            );
          }
          return { action: CloseAction.Restart, handled: true };
        }
        const minutes = this.restartPolicy.windowMs / 60_000;
        this.outputChannel.error(`The language helper stopped ${this.restartPolicy.maxRestarts + 1} times in ${minutes} minutes; not restarting it.`);
        void this.messages.error(
          `Workflow Memory: the language helper keeps stopping (${this.restartPolicy.maxRestarts + 1} times in ${minutes} minutes), so memory suggestions are off. See the "${HELPER_NAME}" output, then run "Workflow Memory: Restart Language Helper".`,
        );
        return { action: CloseAction.DoNotRestart, handled: true };
      },
    };
  }
}

/** Starts the helper and registers its commands; everything is disposed with the extension. */
export async function startLanguageHelper(context: vscode.ExtensionContext, options: LanguageHelperOptions = {}): Promise<LanguageHelper> {
  const messages = options.messages ?? windowMessages;
  const outputChannel = vscode.window.createOutputChannel(HELPER_NAME, { log: true });
  const helper = new LanguageHelper(context, outputChannel, messages);
  // The client stops before its output channel goes away.
  context.subscriptions.push(...registerSuggestionCommands(helper, messages), helper, outputChannel);
  await helper.start();
  return helper;
}

const windowMessages: HelperMessages = {
  info: (message, ...actions) => vscode.window.showInformationMessage(message, ...actions),
  warning: (message, ...actions) => vscode.window.showWarningMessage(message, ...actions),
  error: (message, ...actions) => vscode.window.showErrorMessage(message, ...actions),
};

function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
