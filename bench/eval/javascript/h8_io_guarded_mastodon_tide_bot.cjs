// @tides@toot.community: replies to anyone who mentions it with today's high and low tides for
// Monterey (NOAA station 9413450). node-cron every 2 minutes in a CommonJS worker on Render.
// Memory already guards it: notifications are read with since_id from the last id kept in Redis
// (ioredis, 30 days), and each reply is claimed with SET NX EX before it is posted.
const crypto = require('node:crypto');
const cron = require('node-cron');
const Redis = require('ioredis');

const redis = new Redis(process.env.REDIS_URL);
const INSTANCE = 'https://toot.community';
const STATION = '9413450';
const CURSOR_KEY = 'tidebot:notifications:since_id';
const MONTH = 30 * 24 * 3600;
const auth = { Authorization: `Bearer ${process.env.MASTODON_TOKEN}` };

async function tideLines() {
  const params = new URLSearchParams({
    product: 'predictions', station: STATION, date: 'today', datum: 'MLLW', interval: 'hilo',
    units: 'english', time_zone: 'lst_ldt', format: 'json', application: 'tidebot',
  });
  const res = await fetch(`https://api.tidesandcurrents.noaa.gov/api/prod/datagetter?${params}`);
  const { predictions = [] } = await res.json();
  return predictions.map((p) => `${p.type === 'H' ? 'High' : 'Low'} ${p.t.slice(11)}  ${Number(p.v).toFixed(1)} ft`);
}

async function newMentions() {
  const sinceId = await redis.get(CURSOR_KEY);
  const params = new URLSearchParams({ 'types[]': 'mention', limit: '40' });
  if (sinceId) params.set('since_id', sinceId);
  const res = await fetch(`${INSTANCE}/api/v1/notifications?${params}`, { headers: auth });
  if (!res.ok) throw new Error(`notifications ${res.status}`);
  return res.json(); // newest first
}

async function reply(status, text) {
  const claimed = await redis.set(`tidebot:replied:${status.id}`, '1', 'EX', 7 * 24 * 3600, 'NX');
  if (!claimed) return;
  await fetch(`${INSTANCE}/api/v1/statuses`, {
    method: 'POST',
    headers: { ...auth, 'Content-Type': 'application/json', 'Idempotency-Key': crypto.randomUUID() },
    body: JSON.stringify({
      status: `@${status.account.acct} Monterey tides today:\n${text}`,
      in_reply_to_id: status.id,
      visibility: status.visibility === 'direct' ? 'direct' : 'unlisted',
    }),
  });
}

async function tick() {
  const mentions = await newMentions();
  if (mentions.length === 0) return;
  const text = (await tideLines()).join('\n');
  for (const n of mentions.slice().reverse()) {
    await reply(n.status, text);
  }
  await redis.set(CURSOR_KEY, mentions[0].id, 'EX', MONTH);
}

cron.schedule('*/2 * * * *', () => tick().catch((err) => console.error('tide bot', err)));
