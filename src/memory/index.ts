// The Redis side of Workflow Memory, for the extension, the CLI and tests. No vscode import here.

import type { MemoryStore } from './store';
import { RedisMemoryStore, type RedisStoreOptions } from './redisStore';

export * from './store';
export * from './errors';
export * from './keys';
export * from './ttl';
export * from './grouping';
export * from './valueRender';
export * from './connectionOptions';
export * from './undo';
export { RedisMemoryStore, type RedisStoreOptions } from './redisStore';

/**
 * A store for the configured Redis, not yet connected: call connect(). Throws MemoryError
 * 'invalidInput' / 'tls' / 'cluster' right away for a bad URL, CA file or db.
 */
export function createMemoryStore(options: RedisStoreOptions): MemoryStore {
  return new RedisMemoryStore(options);
}
