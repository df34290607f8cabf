// Realistic workflow memory for the demo and the end-to-end tests: what the sample workflows in
// examples/ would have written after running for a while. Idempotent: each seeded key is
// replaced as a whole (lists are not appended to twice); keys it does not seed are left alone.

const DAY = 86400;

/**
 * The seeded keys, under `<namespace>:`. Expiries are the suggestion kinds' defaults, except one
 * key that deliberately has none (the hygiene problem the Problems panel also points at).
 * @param {string} namespace
 */
function demoMemory(namespace) {
  const ns = namespace.replace(/:+$/, '');
  const turns = (...messages) => messages.map(([role, content]) => JSON.stringify({ role, content }));
  return [
    // Website monitor: last content hash per page (change-detection, 30d).
    { key: `${ns}:monitor:page-hash:acme.example/pricing`, type: 'string', ttl: 30 * DAY,
      value: 'sha256:4f1c9e0b7a52d3e88c61f0a2b9d7e4c135a8f6b20e9d4c7a1b3f5e8d2c6a9b04' },
    { key: `${ns}:monitor:page-hash:acme.example/changelog`, type: 'string', ttl: 30 * DAY,
      value: 'sha256:9b2e7d41c0f8a653e1d4b7c29f0a8e5d36c1b4f7a2e9d0c8b5f3a6e1d7c4b290' },
    { key: `${ns}:monitor:page-hash:status.example.net`, type: 'string', ttl: 30 * DAY,
      value: 'sha256:0c7a3e9f5b1d8246e0f9c3a7b5d1e8f4a2c6b09e7d3f1a5c8b2e4d6f0a9c7e13' },
    // Shipping notifier: ids of the orders whose customer was already told (dedupe, 30d).
    { key: `${ns}:notifier:sent:shipped`, type: 'set', ttl: 30 * DAY,
      value: ['ord_10231', 'ord_10234', 'ord_10240', 'ord_10242', 'ord_10251', 'ord_10257'] },
    { key: `${ns}:notifier:sent:delayed`, type: 'set', ttl: 30 * DAY,
      value: ['ord_10219', 'ord_10236'] },
    // Support chatbot: the last turns per session (conversation, 24h) and a preference (90d).
    { key: `${ns}:chatbot:turns:sess_7f3a`, type: 'list', ttl: DAY,
      value: turns(
        ['user', 'How do I export my invoices?'],
        ['assistant', 'Go to Billing > Invoices and choose Export CSV. You can pick a date range first.'],
        ['user', 'And for the yearly plan?'],
        ['assistant', 'Yearly invoices are in the same list, marked "annual". The export includes them.'],
      ) },
    { key: `${ns}:chatbot:turns:sess_91bc`, type: 'list', ttl: DAY,
      value: turns(
        ['user', 'Kann ich mein Passwort zurücksetzen?'],
        ['assistant', 'Ja: Klicken Sie auf der Anmeldeseite auf „Passwort vergessen“.'],
      ) },
    { key: `${ns}:chatbot:prefs:u_1042`, type: 'hash', ttl: 90 * DAY,
      value: { language: 'German', tone: 'formal', plan: 'team' } },
    // Lead enrichment: the paid geocoding API's answer, cached by a hash of the address (cache, 1h).
    { key: `${ns}:enrich:cache:geocode:5e0d2c91`, type: 'string', ttl: 3600,
      value: JSON.stringify({ address: 'Friedrichstrasse 68, 10117 Berlin', lat: 52.5096, lng: 13.3896, country: 'DE',
        placeId: 'ChIJ1QvXETZOqEcRxjCmHhDdpfM', fetchedAt: '2026-11-24T06:12:44Z' }) },
    // Deliberately without expiry, as examples/redis-py/enrich_leads.py writes it: memory that never goes away.
    { key: `${ns}:enrich:last-run`, type: 'string', ttl: null,
      value: '2026-11-24T06:15:02Z' },
  ];
}

/**
 * Writes the demo memory into Redis, replacing each seeded key (DEL + write + EXPIRE in one
 * MULTI, so a key is never seen half-written or without its expiry).
 * @param {import('ioredis').Redis} redis
 * @param {{ namespace?: string }} [options]
 * @returns {Promise<string[]>} the keys written
 */
async function seedDemoMemory(redis, options = {}) {
  const entries = demoMemory(options.namespace ?? 'demo');
  for (const entry of entries) {
    const transaction = redis.multi().del(entry.key);
    switch (entry.type) {
      case 'string': transaction.set(entry.key, entry.value); break;
      case 'set': transaction.sadd(entry.key, ...entry.value); break;
      case 'list': transaction.rpush(entry.key, ...entry.value); break;
      case 'hash': transaction.hset(entry.key, entry.value); break;
      default: throw new Error(`seed: unknown type ${entry.type}`);
    }
    if (entry.ttl !== null) transaction.expire(entry.key, entry.ttl);
    const results = await transaction.exec();
    const failed = (results ?? []).find(([error]) => error);
    if (!results || failed) throw new Error(`Could not seed ${entry.key}: ${failed ? failed[0].message : 'transaction aborted'}`);
  }
  return entries.map((entry) => entry.key);
}

module.exports = { demoMemory, seedDemoMemory };
