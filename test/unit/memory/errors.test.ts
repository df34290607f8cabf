import { strict as assert } from 'assert';
import { MemoryError, explainRedisError, isMemoryError, redactSecrets, type MemoryErrorCode } from '../../../src/memory/errors';

const PASSWORD = 'hunter2-Sup3r$ecret';
const context = { endpoint: 'redis.example.com:6380', username: 'ns-user', secrets: [PASSWORD] };

function errorWith(message: string, code?: string): Error {
  const error = new Error(message) as NodeJS.ErrnoException;
  if (code) error.code = code;
  return error;
}

describe('memory/errors: explainRedisError', () => {
  const cases: [string, Error, MemoryErrorCode, RegExp][] = [
    ['connection refused', errorWith('connect ECONNREFUSED 127.0.0.1:6379', 'ECONNREFUSED'), 'unreachable', /Cannot reach Redis at redis\.example\.com:6380.*running/],
    ['unknown host', errorWith('getaddrinfo ENOTFOUND redis.example.com', 'ENOTFOUND'), 'unreachable', /does not resolve/],
    ['connection closed', errorWith('Connection is closed.'), 'unreachable', /Cannot reach/],
    ['offline queue off', errorWith("Stream isn't writeable and enableOfflineQueue options is false"), 'unreachable', /Cannot reach/],
    ['max retries', errorWith('Reached the max retries per request limit (which is 1). Refer to "maxRetriesPerRequest" option for details.'), 'unreachable', /Cannot reach/],
    ['cluster seed down', errorWith('None of startup nodes is available'), 'unreachable', /Cannot reach/],
    ['connect timeout', errorWith('connect ETIMEDOUT', 'ETIMEDOUT'), 'timeout', /did not answer in time/],
    ['command timeout', errorWith('Command timed out'), 'timeout', /raise the command timeout/],
    ['wrong password', errorWith('WRONGPASS invalid username-password pair or user is disabled.'), 'auth', /refused the user name or password/],
    ['no password', errorWith('NOAUTH Authentication required.'), 'auth', /needs a password/],
    ['ready check noauth', errorWith('Ready check failed: NOAUTH Authentication required.'), 'auth', /needs a password/],
    ['old redis password', errorWith('ERR invalid password'), 'auth', /refused/],
    ['noperm key', errorWith('NOPERM No permissions to access a key'), 'noperm', /User "ns-user" is not allowed.*outside the key patterns.*namespace/],
    ['noperm command', errorWith("NOPERM User ns-user has no permissions to run the 'flushdb' command"), 'noperm', /FLUSHDB command is not permitted/],
    ['self-signed', errorWith('self-signed certificate', 'DEPTH_ZERO_SELF_SIGNED_CERT'), 'tls', /TLS.*self-signed.*CA file/],
    ['unknown CA', errorWith('unable to verify the first certificate', 'UNABLE_TO_VERIFY_LEAF_SIGNATURE'), 'tls', /not trusted/],
    ['host mismatch', errorWith("Hostname/IP does not match certificate's altnames", 'ERR_TLS_CERT_ALTNAME_INVALID'), 'tls', /does not match the host name/],
    ['expired', errorWith('certificate has expired', 'CERT_HAS_EXPIRED'), 'tls', /expired/],
    ['plain port', errorWith('write EPROTO 0080:error:0A00010B:SSL routines:ssl3_get_record:wrong version number', 'EPROTO'), 'tls', /does not speak TLS/],
    ['wrongtype', errorWith('WRONGTYPE Operation against a key holding the wrong kind of value'), 'wrongType', /another kind of value/],
    ['moved', errorWith('MOVED 3999 127.0.0.1:6381'), 'cluster', /Redis Cluster/],
    ['crossslot', errorWith("CROSSSLOT Keys in request don't hash to the same slot"), 'cluster', /Redis Cluster/],
    ['select in cluster', errorWith('ERR SELECT is not allowed in cluster mode'), 'cluster', /database 0/],
    ['replica', errorWith("READONLY You can't write against a read only replica."), 'readOnly', /read-only replica.*primary/],
    ['loading', errorWith('LOADING Redis is loading the dataset in memory'), 'unreachable', /still loading/],
    ['db range', errorWith('ERR DB index is out of range'), 'invalidInput', /no such database/],
    ['oom', errorWith("OOM command not allowed when used memory > 'maxmemory'."), 'unknown', /out of memory/],
    ['other', errorWith('ERR something odd'), 'unknown', /reported an error: ERR something odd/],
  ];
  for (const [name, error, code, message] of cases) {
    it(`explains ${name} as ${code}`, () => {
      const explained = explainRedisError(error, context);
      assert.ok(explained instanceof MemoryError);
      assert.equal(explained.code, code);
      assert.match(explained.message, message);
    });
  }

  it('adds a hint when a TLS connection times out (a plain port)', () => {
    assert.match(explainRedisError(errorWith('connect ETIMEDOUT', 'ETIMEDOUT'), { tls: true }).message, /use a redis:\/\/ URL/);
  });

  it('passes a MemoryError through unchanged', () => {
    const original = new MemoryError('wrongType', 'already explained');
    assert.equal(explainRedisError(original), original);
    assert.ok(isMemoryError(original, 'wrongType'));
    assert.ok(!isMemoryError(original, 'auth'));
    assert.ok(!isMemoryError(new Error('x')));
  });

  it('explains non-Error values', () => {
    assert.equal(explainRedisError('weird').code, 'unknown');
    assert.equal(explainRedisError(undefined).code, 'unknown');
    assert.equal(explainRedisError({ code: 'ECONNREFUSED' }).code, 'unreachable');
  });

  it('never puts the password in a message or detail, whatever the raw error says', () => {
    const leaky = [
      errorWith(`WRONGPASS for ${PASSWORD}`),
      errorWith(`connect to redis://ns-user:${PASSWORD}@redis.example.com:6380 failed`, 'ECONNREFUSED'),
      errorWith(`ERR unexpected ${PASSWORD}`),
      errorWith(`NOPERM ${PASSWORD}`),
      errorWith(`certificate error at rediss://:${encodeURIComponent(PASSWORD)}@host`, 'CERT_HAS_EXPIRED'),
    ];
    for (const error of leaky) {
      const explained = explainRedisError(error, { ...context, secrets: [PASSWORD, encodeURIComponent(PASSWORD)] });
      assert.ok(!explained.message.includes(PASSWORD), explained.message);
      assert.ok(!(explained.detail ?? '').includes(PASSWORD), explained.detail);
      assert.ok(!explained.message.includes(encodeURIComponent(PASSWORD)), explained.message);
    }
  });

  it('redacts URL credentials even when the secret is not known', () => {
    assert.equal(redactSecrets('failed for redis://user:pw@host:1 and rediss://:x@h'), 'failed for redis://***@host:1 and rediss://***@h');
    assert.equal(redactSecrets('a secret b secret', ['secret']), 'a *** b ***');
    assert.equal(redactSecrets('nothing', ['']), 'nothing');
  });
});
