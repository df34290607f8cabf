// The undo copy of the last clear, and nothing older: it can hold up to the undo budget (64 MB),
// so a new clear replaces it, and it belongs to the server it came from, so disconnecting or
// switching the connection drops it. Mirrors its presence in the `workflowMemory.canUndoClear`
// context key, which shows Undo Last Clear in the palette.
import * as vscode from 'vscode';
import { setContext } from '../config';
import { ConnectionService } from '../connection';
import type { MemoryStore, UndoRecord } from '../memory/store';

export interface ClearedMemory {
  record: UndoRecord;
  /** The store (connection) the keys were deleted from; they go back only there. */
  store: MemoryStore;
  /** How the clear named its scope in messages, e.g. "under `ns:monitor:`". */
  scope: string;
}

export class LastClear implements vscode.Disposable {
  private kept: ClearedMemory | undefined;
  private readonly subscription: vscode.Disposable;

  constructor(connection: ConnectionService) {
    // 'error' while Redis reconnects by itself keeps the same store; anything else is another connection or none.
    this.subscription = connection.onDidChangeState((summary) => {
      if (summary.state === 'disconnected' || summary.state === 'connecting' || (summary.state === 'connected' && connection.connectedStore !== this.kept?.store)) this.drop();
    });
    void setContext('workflowMemory.canUndoClear', false);
  }

  dispose(): void {
    this.subscription.dispose();
    this.drop();
  }

  get current(): ClearedMemory | undefined {
    return this.kept;
  }

  keep(cleared: ClearedMemory): void {
    this.kept = cleared;
    void setContext('workflowMemory.canUndoClear', true);
  }

  /** Forgets the copy (frees its memory); with `only`, just when that is still the one kept. */
  drop(only?: ClearedMemory): void {
    if (only && this.kept !== only) return;
    const had = this.kept !== undefined;
    this.kept = undefined;
    if (had) void setContext('workflowMemory.canUndoClear', false);
  }
}
