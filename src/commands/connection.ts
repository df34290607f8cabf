// Connect…, Disconnect, Retry Connection. The password goes to SecretStorage only; the rest of
// the connection to the user's settings.
import * as fs from 'fs';
import * as vscode from 'vscode';
import { Commands } from '../constants';
import { redactSecrets } from '../memory/errors';
import { isArgumentObject, parseBooleanArgument, parseDbArgument, parseRedisUrlArgument, Parsed } from './arguments';
import { cancelled, CommandResult, CommandServices, fail, registerCommand, report } from './support';

export function registerConnectionCommands(services: CommandServices): vscode.Disposable[] {
  return [
    registerCommand(services, Commands.connect, (argument) => connect(services, argument)),
    registerCommand(services, Commands.disconnect, () => disconnect(services)),
    registerCommand(services, Commands.retry, () => retry(services)),
  ];
}

/** Everything Connect… needs; `password` undefined keeps the stored one. */
interface ConnectRequest {
  url: string;
  username: string;
  password?: string;
  db: number;
  tlsCaFile?: string;
  tlsRejectUnauthorized?: boolean;
}

type ConnectResult = CommandResult<{ endpoint: string; db: number }>;

async function connect(services: CommandServices, argument: unknown): Promise<ConnectResult> {
  let request: Parsed<ConnectRequest> | 'cancelled';
  if (argument === undefined || argument === null || !isArgumentObject(argument)) request = await promptConnect(services);
  else request = connectArguments(services, argument);
  if (request === 'cancelled') return cancelled();
  if (!request.ok) return fail(services, request.error);
  const { url, username, password, db, tlsCaFile, tlsRejectUnauthorized } = request.value;

  const outcome = await services.connection.connectAfter(async () => {
    await services.connection.savePassword(url, username, password);
    await services.config.saveConnection({ url, username, db, tlsCaFile, tlsRejectUnauthorized });
  });
  if (!outcome.ok) return fail(services, redactSecrets(outcome.error, password ? [password] : []));
  const { endpoint } = services.connection.current;
  report(services, `Connected to Redis at ${endpoint} db${services.connection.current.db}.`);
  return { ok: true, endpoint, db: services.connection.current.db };
}

function connectArguments(services: CommandServices, args: Record<string, unknown>): Parsed<ConnectRequest> {
  const current = services.config.connection;
  const url = parseRedisUrlArgument(args.url ?? current.url);
  if (!url.ok) return url;
  let scheme = url.value.tls ? 'rediss' : 'redis';
  let tlsCaFile: string | undefined;
  let tlsRejectUnauthorized: boolean | undefined;
  if (typeof args.tls === 'boolean') scheme = args.tls ? 'rediss' : 'redis';
  else if (isArgumentObject(args.tls)) {
    scheme = 'rediss';
    if (args.tls.caFile !== undefined) {
      if (typeof args.tls.caFile !== 'string') return { ok: false, error: 'tls.caFile must be the path of a PEM file.' };
      tlsCaFile = args.tls.caFile.trim();
    }
    if (args.tls.rejectUnauthorized !== undefined) {
      const parsed = parseBooleanArgument(args.tls.rejectUnauthorized, 'tls.rejectUnauthorized');
      if (!parsed.ok) return parsed;
      tlsRejectUnauthorized = parsed.value;
    }
  } else if (args.tls !== undefined) return { ok: false, error: 'tls must be true, false, or { caFile, rejectUnauthorized }.' };
  const caProblem = tlsCaFile ? checkCaFile(tlsCaFile) : undefined;
  if (caProblem) return { ok: false, error: caProblem };

  if (args.username !== undefined && typeof args.username !== 'string') return { ok: false, error: 'username must be text (empty for the default user).' };
  if (args.password !== undefined && typeof args.password !== 'string') return { ok: false, error: 'password must be text.' };
  const db = args.db === undefined ? { ok: true as const, value: url.value.db ?? current.db } : parseDbArgument(args.db);
  if (!db.ok) return db;
  return {
    ok: true,
    value: {
      url: url.value.url.replace(/^rediss?:/, `${scheme}:`),
      username: ((args.username as string | undefined) ?? url.value.username ?? current.username).trim(),
      password: (args.password as string | undefined) || url.value.password,
      db: db.value,
      tlsCaFile,
      tlsRejectUnauthorized,
    },
  };
}

async function promptConnect(services: CommandServices): Promise<Parsed<ConnectRequest> | 'cancelled'> {
  const current = services.config.connection;
  const currentUrl = parseRedisUrlArgument(current.url);
  const urlText = await vscode.window.showInputBox({
    title: 'Connect to Redis (1/4): URL',
    prompt: 'redis://host:port, or rediss://host:port for TLS. No password here: it is asked next and kept in secret storage.',
    value: currentUrl.ok ? currentUrl.value.url : 'redis://127.0.0.1:6379',
    ignoreFocusOut: true,
    validateInput: (input) => {
      const parsed = parseRedisUrlArgument(input);
      return parsed.ok ? undefined : parsed.error;
    },
  });
  if (urlText === undefined) return 'cancelled';
  const url = parseRedisUrlArgument(urlText);
  if (!url.ok) return url;

  const username = await vscode.window.showInputBox({
    title: 'Connect to Redis (2/4): ACL user',
    prompt: 'ACL user name; leave empty for the default user.',
    value: url.value.username ?? current.username,
    ignoreFocusOut: true,
  });
  if (username === undefined) return 'cancelled';

  const password = await vscode.window.showInputBox({
    title: 'Connect to Redis (3/4): password',
    prompt: 'Kept in VS Code\'s secret storage, never in settings. Leave empty to keep the stored password (or for none).',
    password: true,
    ignoreFocusOut: true,
  });
  if (password === undefined) return 'cancelled';

  let tlsCaFile: string | undefined;
  if (url.value.tls) {
    const ca = await vscode.window.showInputBox({
      title: 'Connect to Redis: TLS certificate authority',
      prompt: 'Path of a PEM file with the CA that signed the server certificate; leave empty to trust the system\'s CAs.',
      value: current.tlsCaFile,
      ignoreFocusOut: true,
      validateInput: (input) => (input.trim() ? checkCaFile(input.trim()) : undefined),
    });
    if (ca === undefined) return 'cancelled';
    tlsCaFile = ca.trim();
  }

  const dbText = await vscode.window.showInputBox({
    title: 'Connect to Redis (4/4): database',
    prompt: 'Database index (SELECT); Redis Cluster has only 0.',
    value: String(url.value.db ?? current.db),
    ignoreFocusOut: true,
    validateInput: (input) => {
      const parsed = parseDbArgument(input);
      return parsed.ok ? undefined : parsed.error;
    },
  });
  if (dbText === undefined) return 'cancelled';
  const db = parseDbArgument(dbText);
  if (!db.ok) return db;
  return { ok: true, value: { url: url.value.url, username: username.trim(), password: password || url.value.password, db: db.value, tlsCaFile } };
}

/** A message when the CA file cannot be read, so a TLS connection never fails for that later. */
function checkCaFile(path: string): string | undefined {
  try {
    const text = fs.readFileSync(path, 'utf8');
    return text.includes('-----BEGIN CERTIFICATE-----') ? undefined : `The CA file ${path} holds no PEM certificate ("-----BEGIN CERTIFICATE-----").`;
  } catch (error) {
    return `Cannot read the CA file ${path}: ${(error as NodeJS.ErrnoException).code === 'ENOENT' ? 'it does not exist' : (error as Error).message}.`;
  }
}

async function disconnect(services: CommandServices): Promise<CommandResult> {
  await services.connection.disconnect();
  report(services, 'Disconnected from Redis.');
  return { ok: true };
}

async function retry(services: CommandServices): Promise<ConnectResult> {
  const outcome = await services.connection.connect();
  if (!outcome.ok) return fail(services, outcome.error);
  const { endpoint, db } = services.connection.current;
  report(services, `Connected to Redis at ${endpoint} db${db}.`);
  return { ok: true, endpoint, db };
}
