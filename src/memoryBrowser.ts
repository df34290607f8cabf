// Wires the memory browser together: settings, the Redis connection, the tree, value documents,
// the status bar and every command family. Returns the services, which activate() hands out as
// the extension's API (tests read the tree and the messages through it).
import * as vscode from 'vscode';
import { registerClearCommands } from './commands/clear';
import { registerConnectionCommands } from './commands/connection';
import { registerExpiryCommands } from './commands/expiry';
import { CommandServices } from './commands/support';
import { registerValueCommands } from './commands/values';
import { registerViewCommands } from './commands/view';
import { Config } from './config';
import { ConnectionService } from './connection';
import { Notifier } from './notify';
import { ConnectionStatusBar } from './statusBar';
import { MemoryTreeProvider } from './views/memoryTree';
import { ValueDocumentProvider } from './views/valueDocuments';

export interface MemoryBrowser extends CommandServices {
  statusBar: ConnectionStatusBar;
}

export function createMemoryBrowser(context: vscode.ExtensionContext, notify: Notifier): MemoryBrowser {
  const config = new Config();
  const connection = new ConnectionService(config, context.secrets, notify);
  const tree = new MemoryTreeProvider(connection, config);
  const values = new ValueDocumentProvider(connection, config);
  const statusBar = new ConnectionStatusBar(connection);
  const services: CommandServices = { config, connection, tree, values, notify };
  // Disposed in reverse: commands first, the connection last.
  context.subscriptions.push(
    config,
    connection,
    tree,
    values,
    statusBar,
    ...registerConnectionCommands(services),
    ...registerViewCommands(services),
    ...registerValueCommands(services),
    ...registerExpiryCommands(services),
    ...registerClearCommands(services),
  );
  // Auto-connect to the configured Redis; a failure shows as an error node with Retry, not a modal.
  void connection.connect();
  return { ...services, statusBar };
}
