import { strict as assert } from 'assert';
import { MemoryError } from '../../../src/memory/errors';
import { DEFAULT_REDIS_URL, buildConnectionOptions, parseRedisUrl, reconnectDelay } from '../../../src/memory/connectionOptions';

const PASSWORD = 'p@ss:w/rd-Secret';
const noFiles = (path: string): Buffer => {
  throw Object.assign(new Error(`ENOENT: no such file or directory, open '${path}'`), { code: 'ENOENT' });
};

function refusedWith(action: () => unknown, code: MemoryError['code'], pattern: RegExp): MemoryError {
  let caught: unknown;
  try {
    action();
  } catch (error) {
    caught = error;
  }
  assert.ok(caught instanceof MemoryError, `expected a MemoryError, got ${String(caught)}`);
  assert.equal(caught.code, code);
  assert.match(caught.message, pattern);
  return caught;
}

describe('memory/connectionOptions', () => {
  it('builds fail-fast options for a plain URL', () => {
    const resolved = buildConnectionOptions({ url: 'redis://10.0.0.5:6390' });
    const options = resolved.redisOptions;
    assert.equal(options.host, '10.0.0.5');
    assert.equal(options.port, 6390);
    assert.equal(options.db, 0);
    assert.equal(options.tls, undefined);
    assert.equal(options.maxRetriesPerRequest, 1);
    assert.equal(options.enableOfflineQueue, false);
    assert.equal(options.commandTimeout, 5000);
    assert.equal(options.connectTimeout, 5000);
    assert.equal(options.lazyConnect, true);
    assert.equal(typeof options.retryStrategy, 'function');
    assert.equal(resolved.endpoint, '10.0.0.5:6390');
    assert.deepEqual(resolved.info, { host: '10.0.0.5', port: 6390, db: 0, username: undefined, tls: false, cluster: false });
    assert.equal(resolved.clusterOptions, undefined);
  });

  it('uses the default URL when none is set, and port 6379 when none is given', () => {
    assert.equal(buildConnectionOptions({ url: '' }).endpoint, new URL(DEFAULT_REDIS_URL).host);
    assert.equal(buildConnectionOptions({ url: '  ' }).redisOptions.port, 6379);
    assert.equal(buildConnectionOptions({ url: 'redis://cache.internal' }).redisOptions.port, 6379);
  });

  it('turns on TLS for rediss://, verifying certificates by default, with SNI for host names', () => {
    const resolved = buildConnectionOptions({ url: 'rediss://redis.example.com:6380' });
    assert.deepEqual(resolved.redisOptions.tls, { rejectUnauthorized: true, servername: 'redis.example.com' });
    assert.equal(resolved.info.tls, true);
  });

  it('reads the CA file and honours rejectUnauthorized: false', () => {
    const ca = Buffer.from('-----BEGIN CERTIFICATE-----\n…');
    const read: string[] = [];
    const resolved = buildConnectionOptions({ url: 'rediss://10.1.2.3:6380', tls: { caFile: '/etc/ca.pem', rejectUnauthorized: false } }, (path) => {
      read.push(path);
      return ca;
    });
    assert.deepEqual(read, ['/etc/ca.pem']);
    assert.deepEqual(resolved.redisOptions.tls, { rejectUnauthorized: false, ca }, 'no SNI for an IP address');
  });

  it('refuses a CA file that cannot be read', () => {
    refusedWith(() => buildConnectionOptions({ url: 'rediss://h:6380', tls: { caFile: '/nope/ca.pem' } }, noFiles), 'tls', /"\/nope\/ca\.pem" cannot be used: it does not exist/);
  });

  it('ignores TLS settings for a plain redis:// URL', () => {
    assert.equal(buildConnectionOptions({ url: 'redis://h', tls: { caFile: '/nope' } }, noFiles).redisOptions.tls, undefined);
  });

  it('logs in as an ACL user with a password from settings, the URL, or both', () => {
    const fromSettings = buildConnectionOptions({ url: 'redis://h:1', username: 'ns-user', password: PASSWORD });
    assert.equal(fromSettings.redisOptions.username, 'ns-user');
    assert.equal(fromSettings.redisOptions.password, PASSWORD);
    assert.equal(fromSettings.info.username, 'ns-user');

    const fromUrl = buildConnectionOptions({ url: `redis://url-user:${encodeURIComponent(PASSWORD)}@h:1` });
    assert.equal(fromUrl.redisOptions.username, 'url-user');
    assert.equal(fromUrl.redisOptions.password, PASSWORD);
    assert.ok(fromUrl.secrets.includes(PASSWORD));
    assert.ok(fromUrl.secrets.includes(encodeURIComponent(PASSWORD)));

    const both = buildConnectionOptions({ url: 'redis://url-user:old@h:1', username: 'ns-user', password: 'new' });
    assert.equal(both.redisOptions.username, 'ns-user');
    assert.equal(both.redisOptions.password, 'new');
  });

  it('never shows a password in info or endpoint', () => {
    const resolved = buildConnectionOptions({ url: `redis://u:${encodeURIComponent(PASSWORD)}@h:1/2` });
    const shown = JSON.stringify(resolved.info) + resolved.endpoint;
    assert.ok(!shown.includes(PASSWORD) && !shown.includes(encodeURIComponent(PASSWORD)), shown);
  });

  it('takes the db from settings, else from the URL path', () => {
    assert.equal(buildConnectionOptions({ url: 'redis://h/3' }).redisOptions.db, 3);
    assert.equal(buildConnectionOptions({ url: 'redis://h/3', db: 5 }).redisOptions.db, 5);
    assert.equal(buildConnectionOptions({ url: 'redis://h/' }).redisOptions.db, 0);
  });

  it('refuses a bad db index', () => {
    for (const db of [-1, 1.5, NaN]) {
      refusedWith(() => buildConnectionOptions({ url: 'redis://h', db }), 'invalidInput', /database index must be a whole number/);
    }
    refusedWith(() => buildConnectionOptions({ url: 'redis://h/abc' }), 'invalidInput', /database number/);
  });

  it('refuses URLs with another scheme, a bad port or no host, without echoing the password', () => {
    const bad: [string, RegExp][] = [
      ['http://h:6379', /must start with redis:\/\/ or rediss:\/\//],
      ['127.0.0.1:6379', /must start with redis:\/\//],
      ['unix:///tmp/redis.sock', /must start with/],
      ['redis://h:99999', /port .* from 1 to 65535/],
      ['redis://h:0', /port .* from 1 to 65535/],
      ['redis://h:-1', /port .* from 1 to 65535/],
      ['redis://h:abc', /port .* from 1 to 65535/],
      [`redis://u:${PASSWORD}@h:70000`, /port/],
      [`http://u:${encodeURIComponent(PASSWORD)}@h`, /must start/],
      ['redis://', /no host|not valid/],
      ['redis://h h:1', /not valid/],
    ];
    for (const [url, message] of bad) {
      const error = refusedWith(() => buildConnectionOptions({ url, password: PASSWORD }), 'invalidInput', message);
      assert.ok(!error.message.includes(PASSWORD) && !error.message.includes(encodeURIComponent(PASSWORD)), error.message);
    }
  });

  it('parses IPv6 hosts', () => {
    const resolved = buildConnectionOptions({ url: 'redis://[::1]:6390' });
    assert.equal(resolved.redisOptions.host, '::1');
    assert.equal(resolved.endpoint, '[::1]:6390');
    assert.equal(parseRedisUrl('rediss://[::1]').port, 6379);
  });

  it('uses the command timeout setting, and refuses a bad one', () => {
    const resolved = buildConnectionOptions({ url: 'redis://h', commandTimeoutMs: 1500 });
    assert.equal(resolved.redisOptions.commandTimeout, 1500);
    assert.equal(resolved.redisOptions.connectTimeout, 1500);
    refusedWith(() => buildConnectionOptions({ url: 'redis://h', commandTimeoutMs: -5 }), 'invalidInput', /timeout/);
    refusedWith(() => buildConnectionOptions({ url: 'redis://h', commandTimeoutMs: 0 }), 'invalidInput', /timeout/);
  });

  it('reconnects with capped exponential backoff', () => {
    assert.deepEqual([1, 2, 3, 4, 5].map(reconnectDelay), [100, 200, 400, 800, 1600]);
    assert.equal(reconnectDelay(50), 10_000);
    assert.equal(reconnectDelay(10_000), 10_000);
    const strategy = buildConnectionOptions({ url: 'redis://h' }).redisOptions.retryStrategy!;
    assert.equal(strategy(3), 400);
  });

  it('builds cluster options (database 0 only)', () => {
    const resolved = buildConnectionOptions({ url: 'rediss://node1.example.com:7000', cluster: true, username: 'u', password: PASSWORD });
    assert.ok(resolved.clusterOptions);
    assert.equal(resolved.clusterOptions.enableOfflineQueue, false);
    assert.equal(resolved.clusterOptions.redisOptions?.password, PASSWORD);
    assert.equal(resolved.clusterOptions.redisOptions?.username, 'u');
    assert.deepEqual(resolved.clusterOptions.redisOptions?.tls, { rejectUnauthorized: true, servername: 'node1.example.com' });
    assert.equal(typeof resolved.clusterOptions.dnsLookup, 'function');
    assert.equal(resolved.info.cluster, true);
    refusedWith(() => buildConnectionOptions({ url: 'redis://h/2', cluster: true }), 'cluster', /only has database 0/);
  });
});
