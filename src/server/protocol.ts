// What the language helper's client (src/languageHelper) and server (src/server) agree on beyond
// standard LSP: command arguments carried by code lenses, the dismissed-suggestions notification,
// and initialization options. Plain types and strings only, so the extension bundle stays free of
// the server's dependencies.

import type { SuggestionKind, TextEdit } from '../analysis/types';

/** `source` of every diagnostic the helper publishes. */
export const DIAGNOSTIC_SOURCE = 'Workflow Memory';

/** Client → server: the full set of dismissed suggestion ids, per document URI (replaces the previous set). */
export const DISMISSED_NOTIFICATION = 'workflowMemory/dismissed';

/** Suggestion ids the user dismissed, keyed by document URI: ids are digests of a site's code, so the same code in another file stays suggested. */
export type DismissedByUri = Record<string, string[]>;

export interface DismissedParams {
  dismissed: DismissedByUri;
}

export interface HelperInitializationOptions {
  /** The `workflowMemory` settings section, for clients that cannot answer `workspace/configuration`. */
  settings?: unknown;
  dismissed?: DismissedByUri;
}

/** Arguments of workflowMemory.acceptSuggestion: the edits are valid only for `version` of the document. */
export interface AcceptSuggestionArgs {
  uri: string;
  suggestionId: string;
  version: number;
  edits: TextEdit[];
}

/** Arguments of workflowMemory.explainSuggestion. */
export interface ExplainSuggestionArgs {
  uri: string;
  suggestionId: string;
  kind: SuggestionKind;
  explanation: string;
  /** Lets the explanation offer the same "Add memory" action as the lens. */
  accept: AcceptSuggestionArgs;
}

/** Arguments of workflowMemory.dismissSuggestion. */
export interface DismissSuggestionArgs {
  uri: string;
  suggestionId: string;
  kind: SuggestionKind;
}
