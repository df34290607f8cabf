// Turns what ioredis and Redis throw into one error type whose message says what happened and
// what to do. Messages never carry a password or the credentials part of a URL.

export type MemoryErrorCode =
  | 'unreachable'
  | 'auth'
  | 'noperm'
  | 'tls'
  | 'timeout'
  | 'wrongType'
  | 'readOnly'
  | 'invalidInput'
  | 'cluster'
  | 'unknown';

export class MemoryError extends Error {
  override readonly name = 'MemoryError';

  constructor(
    readonly code: MemoryErrorCode,
    message: string,
    /** The raw error text, with secrets removed; for a log, not for the user. */
    readonly detail?: string,
  ) {
    super(message);
  }
}

export function isMemoryError(error: unknown, code?: MemoryErrorCode): error is MemoryError {
  return error instanceof MemoryError && (code === undefined || error.code === code);
}

/** What an error message may name (never secret) and what it must hide. */
export interface ErrorContext {
  /** "host:port" of the server, shown so the user knows which Redis failed. */
  endpoint?: string;
  /** ACL user name, shown in permission messages. */
  username?: string;
  /** Strings that must never appear in a message (passwords). */
  secrets?: readonly string[];
  /** The connection uses TLS: a plain-text port then shows up as a timeout. */
  tls?: boolean;
}

const CREDENTIALS_IN_URL = /(\b[a-z][a-z0-9+.-]*:\/\/)[^\s/@]*@/gi;

/** Removes `user:password@` from any URL in the text and every listed secret. */
export function redactSecrets(text: string, secrets: readonly string[] = []): string {
  let redacted = text.replace(CREDENTIALS_IN_URL, '$1***@');
  for (const secret of secrets) {
    if (secret) redacted = redacted.split(secret).join('***');
  }
  return redacted;
}

const UNREACHABLE_CODES = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'EHOSTUNREACH', 'ENETUNREACH', 'ECONNRESET', 'EPIPE', 'EADDRNOTAVAIL']);
const TLS_CODE = /CERT|SSL|TLS|^EPROTO$|UNABLE_TO_(GET|VERIFY)|SELF_SIGNED|HOSTNAME_MISMATCH|ALTNAME/i;
const TLS_MESSAGE = /certificate|\bssl\b|\btls\b|wrong version number|self[- ]signed|handshake/i;

export function explainRedisError(error: unknown, context: ErrorContext = {}): MemoryError {
  if (error instanceof MemoryError) return error;
  const secrets = context.secrets ?? [];
  const raw = rawMessage(error);
  const detail = redactSecrets(raw, secrets);
  const errno = String((error as { code?: unknown } | undefined)?.code ?? '');
  const where = context.endpoint ? `Redis at ${context.endpoint}` : 'Redis';
  const user = context.username ? `user "${redactSecrets(context.username, secrets)}"` : 'the Redis user';
  const make = (code: MemoryErrorCode, message: string) => new MemoryError(code, redactSecrets(message, secrets), detail);
  // Redis replies start with an upper-case error prefix ("WRONGPASS invalid …"), after ioredis' own wrapping.
  const reply = raw.replace(/^(Ready check failed|Error): /, '');

  if (errno === 'ENOTFOUND' || errno === 'EAI_AGAIN') {
    return make('unreachable', `Cannot find the Redis host${context.endpoint ? ` ${hostOf(context.endpoint)}` : ''}: the name does not resolve. Check the host in the Redis URL, then retry.`);
  }
  if (UNREACHABLE_CODES.has(errno) || /Connection is closed|Stream isn't writeable|max retries per request|ECONNREFUSED|None of startup nodes is available|Failed to refresh slots cache/i.test(raw)) {
    return make('unreachable', `Cannot reach ${where}. Check that redis-server is running and the URL's host and port are right, then retry.`);
  }
  if (errno === 'ETIMEDOUT' || /Command timed out|ETIMEDOUT/i.test(raw)) {
    const plainPort = context.tls ? ' If this port does not use TLS, use a redis:// URL instead of rediss://.' : '';
    return make('timeout', `${where} did not answer in time. Check the network and that the server is not overloaded, or raise the command timeout, then retry.${plainPort}`);
  }
  if (TLS_CODE.test(errno) || TLS_MESSAGE.test(raw)) {
    return make('tls', `The TLS connection to ${where} failed (${tlsReason(errno, raw)}). Use rediss:// only for a TLS port, set the CA file for a private certificate authority, or check the server certificate's host name.`);
  }
  if (/^(WRONGPASS|NOAUTH)\b/.test(reply) || /invalid (username-)?password|AUTH failed|invalid username/i.test(raw)) {
    return make('auth', /^NOAUTH\b/.test(reply)
      ? `${where} needs a password. Connect again and enter the password (and the ACL user name if you have one).`
      : `${where} refused the user name or password. Connect again with the right ACL user and password.`);
  }
  if (/^NOPERM\b/.test(reply)) {
    return make('noperm', `${capitalize(user)} is not allowed to do that on ${where}: ${permissionSubject(reply)}. Set the namespace to the prefix this user may use (for example "ns:"), or ask the server's admin for the permission.`);
  }
  if (/^WRONGTYPE\b/.test(reply)) {
    return make('wrongType', 'The key holds another kind of value than this command works on. Refresh to see its current type.');
  }
  if (/^READONLY\b/.test(reply)) {
    return make('readOnly', `${where} is a read-only replica, so it cannot be changed. Connect to the primary to write.`);
  }
  if (/^(MOVED|ASK|CLUSTERDOWN|CROSSSLOT)\b/.test(reply) || /cluster (mode|support)/i.test(raw)) {
    return make('cluster', `${where} is part of a Redis Cluster. Turn on cluster mode for this connection (cluster uses database 0 only), then retry.`);
  }
  if (/^LOADING\b/.test(reply)) {
    return make('unreachable', `${where} is still loading its data into memory. Wait a moment, then retry.`);
  }
  if (/DB index is out of range|invalid DB index/i.test(raw)) {
    return make('invalidInput', `${where} has no such database. Use a database index the server has (0 to 15 by default).`);
  }
  if (/^OOM\b/.test(reply)) {
    return make('unknown', `${where} is out of memory (maxmemory reached) and refused the write. Free some memory or raise maxmemory.`);
  }
  if (/^MISCONF\b/.test(reply)) {
    return make('unknown', `${where} refuses writes because it cannot save to disk. Fix the server's persistence settings, then retry.`);
  }
  return make('unknown', `${where} reported an error: ${detail || 'no details'}.`);
}

function rawMessage(error: unknown): string {
  if (error instanceof Error) return error.message;
  if (typeof error === 'string') return error;
  try {
    return JSON.stringify(error) ?? String(error);
  } catch {
    return String(error);
  }
}

function hostOf(endpoint: string): string {
  return endpoint.replace(/:\d+$/, '');
}

function capitalize(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}

function tlsReason(errno: string, raw: string): string {
  if (/SELF_SIGNED|self[- ]signed/i.test(errno + raw)) return 'the server certificate is self-signed or signed by an unknown authority';
  if (/UNABLE_TO_(GET|VERIFY)/i.test(errno)) return 'the server certificate is signed by an authority that is not trusted';
  if (/EXPIRED/i.test(errno + raw)) return 'the server certificate has expired';
  if (/ALTNAME|HOSTNAME/i.test(errno + raw)) return 'the certificate does not match the host name';
  if (/wrong version number|EPROTO/i.test(errno + raw)) return 'the port does not speak TLS';
  return 'the handshake did not complete';
}

function permissionSubject(reply: string): string {
  const command = /run the '([^']+)' command/i.exec(reply)?.[1];
  if (command) return `the ${command.toUpperCase()} command is not permitted`;
  if (/key/i.test(reply)) return 'a key outside the key patterns the user may access';
  if (/channel/i.test(reply)) return 'a channel the user may not access';
  return 'the command is not permitted';
}
