// From what the user configured (URL, ACL user, password, TLS, db) to ioredis options that fail
// fast: no offline queue, one retry per command, command and connect timeouts, and reconnects
// with capped exponential backoff. Bad input is refused with a message that never echoes a password.

import * as fs from 'fs';
import * as net from 'net';
import type { ClusterOptions, RedisOptions } from 'ioredis';
import { MemoryError, redactSecrets } from './errors';
import type { ConnectionInfo } from './store';

export const DEFAULT_REDIS_URL = 'redis://127.0.0.1:6379';
export const DEFAULT_COMMAND_TIMEOUT_MS = 5000;
const DEFAULT_PORT = 6379;
const MAX_RECONNECT_DELAY_MS = 10_000;

export interface ConnectionSettings {
  /** redis://[user[:password]@]host[:port][/db] or rediss:// for TLS; empty means the default. */
  url: string;
  /** ACL user; wins over a user in the URL. */
  username?: string;
  /** Wins over a password in the URL. Never shown anywhere. */
  password?: string;
  /** Database index; wins over a /db in the URL. */
  db?: number;
  tls?: { caFile?: string; rejectUnauthorized?: boolean };
  commandTimeoutMs?: number;
  /** Defaults to the command timeout. */
  connectTimeoutMs?: number;
  /** Connect to a Redis Cluster (database 0 only). */
  cluster?: boolean;
  /** Shown in CLIENT LIST, so an admin can tell this connection apart. */
  connectionName?: string;
}

export interface ResolvedConnection {
  host: string;
  port: number;
  /** "host:port" (IPv6 in brackets): names the server in messages; holds no credentials. */
  endpoint: string;
  info: ConnectionInfo;
  /** Strings that must be kept out of every message and log. */
  secrets: string[];
  redisOptions: RedisOptions;
  /** Set when settings.cluster: options for ioredis' Cluster, seeded with host:port. */
  clusterOptions?: ClusterOptions;
}

/** Delay before reconnect attempt n (1, 2, …): 100 ms doubling, capped at 10 s. */
export function reconnectDelay(attempt: number): number {
  return Math.min(100 * 2 ** Math.max(0, attempt - 1), MAX_RECONNECT_DELAY_MS);
}

export function buildConnectionOptions(settings: ConnectionSettings, readFile: (path: string) => Buffer = (path) => fs.readFileSync(path)): ResolvedConnection {
  const text = (settings.url ?? '').trim() || DEFAULT_REDIS_URL;
  const parsed = parseRedisUrl(text, settings.password ? [settings.password] : []);
  const username = settings.username || parsed.username || undefined;
  const password = settings.password ?? parsed.password;
  const secrets = [password, parsed.rawPassword].filter((secret): secret is string => !!secret);
  const cluster = settings.cluster === true;

  const db = settings.db ?? parsed.db ?? 0;
  if (!Number.isSafeInteger(db) || db < 0) {
    throw new MemoryError('invalidInput', `The database index must be a whole number from 0 up; got ${db}. Use 0 unless your data is in another database.`);
  }
  if (cluster && db !== 0) {
    throw new MemoryError('cluster', `Redis Cluster only has database 0, but database ${db} is configured. Set the database to 0.`);
  }
  const commandTimeout = positiveMs(settings.commandTimeoutMs, DEFAULT_COMMAND_TIMEOUT_MS, 'command timeout');
  const connectTimeout = positiveMs(settings.connectTimeoutMs, commandTimeout, 'connect timeout');

  let tls: RedisOptions['tls'];
  if (parsed.tls) {
    tls = {
      rejectUnauthorized: settings.tls?.rejectUnauthorized ?? true,
      // SNI must be a name, never an IP address (RFC 6066).
      ...(net.isIP(parsed.host) ? {} : { servername: parsed.host }),
      ...(settings.tls?.caFile ? { ca: readCaFile(settings.tls.caFile, readFile) } : {}),
    };
  }

  const endpoint = net.isIPv6(parsed.host) ? `[${parsed.host}]:${parsed.port}` : `${parsed.host}:${parsed.port}`;
  const shared: RedisOptions = {
    username,
    password,
    tls,
    commandTimeout,
    connectTimeout,
    // Fail fast instead of queueing commands while disconnected, and retry a command at most once.
    maxRetriesPerRequest: 1,
    enableOfflineQueue: false,
    // The ready check sends INFO, which a restricted ACL user may not run; connect() pings instead.
    enableReadyCheck: false,
    lazyConnect: true,
    connectionName: settings.connectionName,
  };
  const redisOptions: RedisOptions = {
    ...shared,
    host: parsed.host,
    port: parsed.port,
    db,
    retryStrategy: reconnectDelay,
  };
  const clusterOptions: ClusterOptions | undefined = cluster
    ? {
        redisOptions: shared,
        enableOfflineQueue: false,
        enableReadyCheck: false,
        lazyConnect: true,
        clusterRetryStrategy: reconnectDelay,
        // Several small commands per key (metadata, per-key UNLINK) are sent per node in one round trip.
        enableAutoPipelining: true,
        slotsRefreshTimeout: connectTimeout,
        // With TLS the certificate names the host, so keep host names instead of resolved addresses.
        ...(tls ? { dnsLookup: (address: string, callback: (error: null, address: string) => void) => callback(null, address) } : {}),
      }
    : undefined;
  return {
    host: parsed.host,
    port: parsed.port,
    endpoint,
    info: { host: parsed.host, port: parsed.port, db, username, tls: parsed.tls, cluster },
    secrets,
    redisOptions,
    clusterOptions,
  };
}

interface ParsedUrl {
  host: string;
  port: number;
  tls: boolean;
  db?: number;
  username?: string;
  password?: string;
  /** The password as written in the URL (percent-encoded), also kept out of messages. */
  rawPassword?: string;
}

/** Parses redis:// and rediss:// URLs; errors name the problem without echoing credentials. */
export function parseRedisUrl(text: string, secrets: readonly string[] = []): ParsedUrl {
  const shown = redactSecrets(text, secrets);
  const example = 'for example redis://127.0.0.1:6379 or rediss://host:6380 for TLS';
  const scheme = /^([a-z][a-z0-9+.-]*):\/\//i.exec(text)?.[1]?.toLowerCase();
  if (scheme !== 'redis' && scheme !== 'rediss') {
    throw new MemoryError('invalidInput', `The Redis URL must start with redis:// or rediss:// (TLS), ${example}. Got "${shown}".`);
  }
  // Checked before URL parsing so the message can say what is wrong with the port.
  const authority = /^[a-z]+:\/\/(?:[^@/?#]*@)?(\[[^\]]*\]|[^:/?#]*)(?::([^/?#]*))?/i.exec(text);
  const portText = authority?.[2];
  if (portText !== undefined && portText !== '') {
    const port = /^\d+$/.test(portText) ? Number(portText) : NaN;
    if (!(port >= 1 && port <= 65535)) {
      throw new MemoryError('invalidInput', `The port in the Redis URL must be a number from 1 to 65535, ${example}. Got "${shown}".`);
    }
  }
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw new MemoryError('invalidInput', `The Redis URL is not valid, ${example}. Got "${shown}".`);
  }
  const host = url.hostname.replace(/^\[(.*)\]$/, '$1');
  if (!host) throw new MemoryError('invalidInput', `The Redis URL has no host, ${example}. Got "${shown}".`);
  const path = url.pathname.replace(/^\//, '');
  let db: number | undefined;
  if (path) {
    if (!/^\d+$/.test(path)) throw new MemoryError('invalidInput', `The part after the host in a Redis URL is the database number, as in redis://host:6379/0. Got "${shown}".`);
    db = Number(path);
  }
  return {
    host,
    port: url.port ? Number(url.port) : DEFAULT_PORT,
    tls: scheme === 'rediss',
    db,
    username: url.username ? safeDecode(url.username) : undefined,
    password: url.password ? safeDecode(url.password) : undefined,
    rawPassword: url.password || undefined,
  };
}

function safeDecode(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}

function positiveMs(value: number | undefined, fallback: number, what: string): number {
  if (value === undefined) return fallback;
  if (!Number.isSafeInteger(value) || value <= 0) {
    throw new MemoryError('invalidInput', `The ${what} must be a whole number of milliseconds above zero; got ${value}. Use for example 5000.`);
  }
  return value;
}

function readCaFile(path: string, readFile: (path: string) => Buffer): Buffer {
  try {
    return readFile(path);
  } catch (error) {
    const reason = (error as NodeJS.ErrnoException).code === 'ENOENT' ? 'it does not exist' : `it cannot be read (${(error as Error).message})`;
    throw new MemoryError('tls', `The TLS CA file "${path}" cannot be used: ${reason}. Set the CA file setting to a PEM file with your certificate authority, or clear it to use the system's CAs.`);
  }
}
