// Dismissed memory suggestions, persisted in the workspace state as suggestion ids per document
// URI. No vscode import: the Memento shape is declared here so plain Node tests can use a fake.

import type { DismissedByUri } from '../server/protocol';
import { WorkspaceStateKeys } from '../constants';

/** The part of vscode.Memento this needs. */
export interface StateStore {
  get<T>(key: string): T | undefined;
  update(key: string, value: unknown): Thenable<void>;
}

export class DismissedSuggestions {
  constructor(private readonly state: StateStore) {}

  /** Everything dismissed; a corrupted stored value reads as nothing dismissed. */
  all(): DismissedByUri {
    const stored = this.state.get<unknown>(WorkspaceStateKeys.dismissedSuggestions);
    const dismissed: DismissedByUri = {};
    if (typeof stored !== 'object' || stored === null || Array.isArray(stored)) return dismissed;
    for (const [uri, ids] of Object.entries(stored)) {
      if (!Array.isArray(ids)) continue;
      const valid = ids.filter((id): id is string => typeof id === 'string' && id.length > 0);
      if (valid.length > 0) dismissed[uri] = valid;
    }
    return dismissed;
  }

  has(uri: string, suggestionId: string): boolean {
    return this.all()[uri]?.includes(suggestionId) ?? false;
  }

  /** False when it was already dismissed. */
  async add(uri: string, suggestionId: string): Promise<boolean> {
    const dismissed = this.all();
    const ids = dismissed[uri] ?? [];
    if (ids.includes(suggestionId)) return false;
    dismissed[uri] = [...ids, suggestionId];
    await this.state.update(WorkspaceStateKeys.dismissedSuggestions, dismissed);
    return true;
  }

  /** False when it was not dismissed. */
  async remove(uri: string, suggestionId: string): Promise<boolean> {
    const dismissed = this.all();
    const ids = dismissed[uri] ?? [];
    if (!ids.includes(suggestionId)) return false;
    const remaining = ids.filter((id) => id !== suggestionId);
    if (remaining.length > 0) dismissed[uri] = remaining;
    else delete dismissed[uri];
    await this.state.update(WorkspaceStateKeys.dismissedSuggestions, dismissed);
    return true;
  }
}
