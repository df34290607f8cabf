import { strict as assert } from 'assert';
import { freePort, startRedisServer } from '../../scripts/lib/redis-server';
import { MemoryError } from '../../src/memory/errors';
import { createMemoryStore } from '../../src/memory/index';
import { RedisMemoryStore } from '../../src/memory/redisStore';
import { key, startRedisFixture, type RedisFixture, type RedisServer } from '../support/redis';
import { makeTlsFiles, type TlsFiles } from '../support/tls';

const PASSWORD = 'Corr3ct-Horse-Battery';
const NS_PASSWORD = 'ns-Only-Secret-42';

async function failure(promise: Promise<unknown>): Promise<MemoryError> {
  try {
    await promise;
  } catch (error) {
    assert.ok(error instanceof MemoryError, `expected a MemoryError, got ${String(error)}`);
    return error;
  }
  assert.fail('expected a rejection');
}

function assertNoSecret(error: MemoryError, ...secrets: string[]): void {
  for (const secret of secrets) {
    assert.ok(!error.message.includes(secret), `message leaks a secret: ${error.message}`);
    assert.ok(!(error.detail ?? '').includes(secret), `detail leaks a secret: ${error.detail}`);
  }
}

describe('redis: connecting, credentials and failures', function () {
  this.timeout(30_000);
  let fixture: RedisFixture;

  before(async () => {
    fixture = await startRedisFixture({ password: PASSWORD });
    await fixture.admin.acl('SETUSER', 'ns-user', 'on', `>${NS_PASSWORD}`, '~ns:*', '+@all');
  });
  after(async () => {
    await fixture?.stop();
  });

  it('logs in with the password and works', async () => {
    const store = await fixture.connectStore({ password: PASSWORD });
    await store.setString(key('ns:hello'), 'world', { kind: 'duration', ms: 10_000 });
    assert.equal(await fixture.admin.get('ns:hello'), 'world');
  });

  it('accepts the password embedded in the URL, and never shows it', async () => {
    const store = await fixture.connectStore({ url: `redis://default:${encodeURIComponent(PASSWORD)}@127.0.0.1:${fixture.server.port}` });
    assert.equal(await store.typeOf(key('ns:none')), 'none');
    assert.ok(!JSON.stringify(store.info).includes(PASSWORD));
  });

  it('explains a wrong password (WRONGPASS) without echoing it', async () => {
    const wrong = 'Wrong-Pass-123';
    const store = createMemoryStore({ url: fixture.server.url, password: wrong });
    const error = await failure(store.connect());
    assert.equal(error.code, 'auth');
    assert.match(error.message, /refused the user name or password/);
    assert.match(error.detail ?? '', /WRONGPASS/);
    assertNoSecret(error, wrong, PASSWORD);
    await store.disconnect();
  });

  it('explains a missing password (NOAUTH)', async () => {
    const store = createMemoryStore({ url: fixture.server.url });
    const error = await failure(store.connect());
    assert.equal(error.code, 'auth');
    assert.match(error.message, /needs a password/);
    await store.disconnect();
  });

  it('explains NOPERM for an ACL user restricted to ns:*, and changes nothing', async () => {
    await fixture.admin.set('other:secret', 'keep me');
    await fixture.admin.set('ns:mine', 'mine');
    const store = await fixture.connectStore({ username: 'ns-user', password: NS_PASSWORD });
    assert.equal(store.info.username, 'ns-user');

    // Inside its namespace the user works normally.
    await store.setString(key('ns:mine'), 'changed', { kind: 'keep' });
    assert.equal(await fixture.admin.get('ns:mine'), 'changed');

    const setError = await failure(store.setString(key('other:secret'), 'overwritten', { kind: 'none' }));
    assert.equal(setError.code, 'noperm');
    assert.match(setError.message, /User "ns-user" is not allowed.*key patterns.*namespace/);
    assertNoSecret(setError, NS_PASSWORD);

    const clearError = await failure(store.clearPrefix(key('other:')));
    assert.equal(clearError.code, 'noperm');
    assert.equal(await fixture.admin.get('other:secret'), 'keep me');

    // SCAN is not filtered by ACL: keys outside the pattern show up, and their metadata says why it is missing.
    const [outside, inside] = await store.metadata([key('other:secret'), key('ns:mine')]);
    assert.equal(outside.type, 'unknown');
    assert.match(outside.error ?? '', /not allowed/);
    assert.equal(inside.type, 'string');
  });

  it('leaves size and encoding out, not the key, when MEMORY and OBJECT are refused', async () => {
    await fixture.admin.acl('SETUSER', 'ns-nosize', 'on', `>${NS_PASSWORD}`, '~ns:*', '+@all', '-memory', '-object');
    await fixture.admin.set('ns:sized', 'value', 'EX', 600);
    const store = await fixture.connectStore({ username: 'ns-nosize', password: NS_PASSWORD });
    const [entry] = await store.metadata([key('ns:sized')]);
    assert.equal(entry.type, 'string');
    assert.equal(entry.expiry.kind, 'expires');
    assert.equal(entry.length, 5);
    assert.equal(entry.memoryBytes, undefined);
    assert.equal(entry.encoding, undefined);
    assert.equal(entry.error, undefined);
    const view = await store.readValue(key('ns:sized'), 1024);
    assert.ok(view.kind === 'text' && view.text === 'value');
  });

  it('explains a database index the server does not have', async () => {
    const store = createMemoryStore({ url: fixture.server.url, password: PASSWORD, db: 99 });
    const error = await failure(store.connect());
    assert.equal(error.code, 'invalidInput');
    assert.match(error.message, /no such database/);
    await store.disconnect();
  });

  it('fails fast with "unreachable" on a port where nothing listens', async () => {
    const port = await freePort();
    const store = createMemoryStore({ url: `redis://127.0.0.1:${port}`, password: PASSWORD });
    const started = Date.now();
    const error = await failure(store.connect());
    assert.equal(error.code, 'unreachable');
    assert.match(error.message, new RegExp(`Cannot reach Redis at 127\\.0\\.0\\.1:${port}.*running`));
    assert.ok(Date.now() - started < 2000, `took ${Date.now() - started} ms`);
    assertNoSecret(error, PASSWORD);
    // Commands on a store that never connected fail fast too, with no offline queue.
    const commandError = await failure(store.typeOf(key('ns:x')));
    assert.equal(commandError.code, 'unreachable');
    await store.disconnect();
  });

  it('refuses a bad URL before connecting, without echoing the password', async () => {
    assert.throws(() => createMemoryStore({ url: `http://u:${PASSWORD}@h:1` }), (error: unknown) => error instanceof MemoryError && error.code === 'invalidInput' && !error.message.includes(PASSWORD));
    assert.throws(() => new RedisMemoryStore({ url: 'redis://h:70000' }), (error: unknown) => error instanceof MemoryError && error.code === 'invalidInput');
  });
});

describe('redis: losing the server', function () {
  this.timeout(30_000);
  let server: RedisServer | undefined;

  afterEach(async () => {
    await server?.stop();
  });

  it('fails commands fast while the server is gone, reports states, and reconnects when it is back', async () => {
    server = await startRedisServer();
    const store = new RedisMemoryStore({ url: server.url, commandTimeoutMs: 1000 });
    const states: string[] = [];
    const unsubscribe = store.onStateChange((state) => states.push(state));
    await store.connect();
    await store.setString(key('wf:a'), '1', { kind: 'none' });
    const port = server.port;
    await server.stop();
    await new Promise((resolve) => setTimeout(resolve, 150));

    const started = Date.now();
    const error = await failure(store.setString(key('wf:b'), '2', { kind: 'none' }));
    assert.equal(error.code, 'unreachable');
    assert.ok(Date.now() - started < 1500, `took ${Date.now() - started} ms`);
    assert.ok(states.includes('reconnecting'), states.join(','));

    server = await startRedisServer({ port });
    const deadline = Date.now() + 15_000;
    while (!states.slice(states.lastIndexOf('reconnecting')).includes('ready') && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    await store.setString(key('wf:c'), '3', { kind: 'none' });
    assert.equal(await store.typeOf(key('wf:c')), 'string');
    unsubscribe();
    await store.disconnect();
  });

  it('connects on retry once a server that was down is up, and joins a connect under way', async () => {
    const port = await freePort();
    const store = new RedisMemoryStore({ url: `redis://127.0.0.1:${port}` });
    assert.equal((await failure(store.connect())).code, 'unreachable');
    server = await startRedisServer({ port });
    await Promise.all([store.connect(), store.connect()]);
    await store.setString(key('wf:retry'), 'ok', { kind: 'none' });
    assert.equal(await store.typeOf(key('wf:retry')), 'string');
    await store.disconnect();
    // And again after a deliberate disconnect.
    await store.connect();
    assert.equal(await store.typeOf(key('wf:retry')), 'string');
    await store.disconnect();
  });
});

describe('redis: TLS', function () {
  this.timeout(30_000);
  let tls: TlsFiles;
  let server: RedisServer;
  let url: string;

  before(async function () {
    tls = makeTlsFiles();
    const port = await freePort();
    server = await startRedisServer({
      port,
      extraArgs: ['--port', '0', '--tls-port', String(port), '--tls-cert-file', tls.certFile, '--tls-key-file', tls.keyFile, '--tls-ca-cert-file', tls.caFile, '--tls-auth-clients', 'no'],
    });
    url = `rediss://127.0.0.1:${port}`;
  });
  after(async () => {
    await server?.stop();
    tls?.cleanup();
  });

  it('connects over TLS when the CA file is given', async () => {
    const store = createMemoryStore({ url, tls: { caFile: tls.caFile } });
    await store.connect();
    assert.equal(store.info.tls, true);
    await store.setString(key('wf:tls'), 'secure', { kind: 'duration', ms: 10_000 });
    assert.equal(await store.typeOf(key('wf:tls')), 'string');
    await store.disconnect();
  });

  it('refuses a server certificate it cannot verify, and says what to do', async () => {
    const store = createMemoryStore({ url });
    const error = await failure(store.connect());
    assert.equal(error.code, 'tls');
    assert.match(error.message, /TLS connection .* failed .*CA file/);
    await store.disconnect();
  });

  it('connects to an unverified server only when reject-unauthorized is turned off', async () => {
    const store = createMemoryStore({ url, tls: { rejectUnauthorized: false } });
    await store.connect();
    assert.equal(await store.typeOf(key('wf:none')), 'none');
    await store.disconnect();
  });

  it('refuses a CA file that does not exist before connecting', () => {
    assert.throws(() => createMemoryStore({ url, tls: { caFile: '/nonexistent/ca.pem' } }), (error: unknown) => error instanceof MemoryError && error.code === 'tls' && /does not exist/.test(error.message));
  });

  it('fails fast when rediss:// points at a plain port', async () => {
    const plain = await startRedisServer();
    try {
      const store = createMemoryStore({ url: `rediss://127.0.0.1:${plain.port}`, commandTimeoutMs: 1000 });
      const started = Date.now();
      const error = await failure(store.connect());
      assert.ok(['tls', 'timeout', 'unreachable'].includes(error.code), error.code);
      assert.match(error.message, /TLS|rediss|reach/);
      assert.ok(Date.now() - started < 3000);
      await store.disconnect();
    } finally {
      await plain.stop();
    }
  });
});
