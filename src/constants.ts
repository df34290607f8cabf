// Every id the extension shares with package.json lives here, typed, so a typo fails to compile.

export const EXTENSION_ID = 'workflow-memory.workflow-memory';

export const VIEW_CONTAINER_ID = 'workflowMemory';
export const KEYS_VIEW_ID = 'workflowMemory.keys';

/** Scheme of the read-only documents that show a key's value. */
export const VALUE_URI_SCHEME = 'workflow-memory';

export const Commands = {
  connect: 'workflowMemory.connect',
  disconnect: 'workflowMemory.disconnect',
  retry: 'workflowMemory.retry',
  refresh: 'workflowMemory.refresh',
  filter: 'workflowMemory.filter',
  clearFilter: 'workflowMemory.clearFilter',
  openValue: 'workflowMemory.openValue',
  setValue: 'workflowMemory.setValue',
  setTtl: 'workflowMemory.setTtl',
  persist: 'workflowMemory.persist',
  clearKey: 'workflowMemory.clearKey',
  clearGroup: 'workflowMemory.clearGroup',
  clearAll: 'workflowMemory.clearAll',
  undoClear: 'workflowMemory.undoClear',
  copyKey: 'workflowMemory.copyKey',
  loadMore: 'workflowMemory.loadMore',
  acceptSuggestion: 'workflowMemory.acceptSuggestion',
  explainSuggestion: 'workflowMemory.explainSuggestion',
  dismissSuggestion: 'workflowMemory.dismissSuggestion',
  restartHelper: 'workflowMemory.restartHelper',
} as const;
export type CommandId = (typeof Commands)[keyof typeof Commands];

/** Context keys used in `when` clauses, with the type of value each takes. */
export interface ContextKeys {
  'workflowMemory.connected': boolean;
  'workflowMemory.connectionState': 'disconnected' | 'connecting' | 'connected' | 'error';
  /** readOnly setting, or an untrusted workspace. */
  'workflowMemory.readOnly': boolean;
  'workflowMemory.filtered': boolean;
  'workflowMemory.empty': boolean;
  /** The last clear on this connection kept an undo copy that was not used yet. */
  'workflowMemory.canUndoClear': boolean;
}

export const Settings = {
  section: 'workflowMemory',
  redisUrl: 'redis.url',
  redisUsername: 'redis.username',
  redisDb: 'redis.db',
  tlsCaFile: 'redis.tls.caFile',
  tlsRejectUnauthorized: 'redis.tls.rejectUnauthorized',
  commandTimeout: 'redis.commandTimeout',
  namespace: 'namespace',
  delimiter: 'delimiter',
  scanCount: 'scan.count',
  pageSize: 'view.pageSize',
  maxValueSize: 'maxValueSize',
  defaultTtl: 'defaultTtl',
  readOnly: 'readOnly',
  suggestionsEnabled: 'suggestions.enabled',
  suggestionKinds: 'suggestions.kinds',
  suggestionTtl: 'suggestions.ttl',
  suggestionLanguages: 'suggestions.languages',
  hygieneEnabled: 'hygiene.enabled',
  /** Read by vscode-languageclient itself (client id `workflowMemory`): LSP traffic and per-request analysis times. */
  helperTrace: 'trace.server',
} as const;

/** Keys of values kept in `context.workspaceState`. */
export const WorkspaceStateKeys = {
  /** Memory suggestions the user dismissed, as suggestion ids per document URI. */
  dismissedSuggestions: 'workflowMemory.dismissedSuggestions',
} as const;
export type SettingKey = (typeof Settings)[Exclude<keyof typeof Settings, 'section'>];

/** Tokens that build a tree item's contextValue, matched in package.json with `viewItem =~ /^memoryKey\b/`. */
export const TreeItemContext = {
  connection: 'connection',
  connectionError: 'connectionError',
  /** A level whose SCAN failed (e.g. NOPERM): clicking it refreshes. */
  listingError: 'listingError',
  group: 'memoryGroup',
  key: 'memoryKey',
  loadMore: 'loadMore',
  /** Appended to a key's contextValue when it has an expiry. */
  volatile: 'volatile',
  persistent: 'persistent',
} as const;

/** SecretStorage key for a connection's password: one per URL and user. */
export function passwordSecretKey(url: string, username: string): string {
  return `workflowMemory.password:${username || 'default'}@${url}`;
}
