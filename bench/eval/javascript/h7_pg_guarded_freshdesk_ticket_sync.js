// jobs/freshdesk-sync.js: copies Freshdesk tickets into the Northwind Outdoors support warehouse
// (Postgres) for the Metabase dashboards. A Render cron job runs `node jobs/freshdesk-sync.js` every
// 20 minutes. The cursor (updated_at of the last stored ticket) lives in the sync_state table and is
// committed with each page, so a run resumes where the previous one stopped; the upsert is idempotent.
const axios = require('axios');
const { Client } = require('pg');

const SOURCE = 'freshdesk_tickets';
const FIRST_RUN_SINCE = '2024-01-01T00:00:00Z'; // only used when sync_state has no row yet
const fd = axios.create({
  baseURL: `https://${process.env.FRESHDESK_DOMAIN}.freshdesk.com/api/v2`,
  auth: { username: process.env.FRESHDESK_API_KEY, password: 'X' },
  timeout: 20_000,
});

async function getPage(params, attempt = 1) {
  try {
    return (await fd.get('/tickets', { params })).data;
  } catch (err) {
    const retryAfter = Number(err.response?.headers['retry-after']);
    if (err.response?.status !== 429 || attempt > 3) throw err;
    await new Promise((r) => setTimeout(r, (retryAfter || 60) * 1000));
    return getPage(params, attempt + 1);
  }
}

const UPSERT = `
  INSERT INTO fd_tickets (id, subject, status, priority, group_id, responder_id, tags, created_at, updated_at, first_responded_at)
  VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)
  ON CONFLICT (id) DO UPDATE SET subject = EXCLUDED.subject, status = EXCLUDED.status, priority = EXCLUDED.priority,
    group_id = EXCLUDED.group_id, responder_id = EXCLUDED.responder_id, tags = EXCLUDED.tags,
    updated_at = EXCLUDED.updated_at, first_responded_at = EXCLUDED.first_responded_at`;

async function main() {
  const db = new Client({ connectionString: process.env.DATABASE_URL });
  await db.connect();
  let stored = 0;
  try {
    const { rows } = await db.query('SELECT cursor FROM sync_state WHERE source = $1', [SOURCE]);
    const since = rows[0]?.cursor ?? FIRST_RUN_SINCE;

    for (let page = 1; page <= 300; page++) {
      const tickets = await getPage({ updated_since: since, order_by: 'updated_at', order_type: 'asc', per_page: 100, page, include: 'stats' });
      if (tickets.length === 0) break;
      await db.query('BEGIN');
      for (const t of tickets) {
        await db.query(UPSERT, [t.id, t.subject, t.status, t.priority, t.group_id, t.responder_id, t.tags,
          t.created_at, t.updated_at, t.stats?.first_responded_at ?? null]);
      }
      await db.query(
        `INSERT INTO sync_state (source, cursor, synced_at) VALUES ($1, $2, now())
         ON CONFLICT (source) DO UPDATE SET cursor = EXCLUDED.cursor, synced_at = now()`,
        [SOURCE, tickets[tickets.length - 1].updated_at],
      );
      await db.query('COMMIT');
      stored += tickets.length;
      if (tickets.length < 100) break;
    }
  } catch (err) {
    await db.query('ROLLBACK').catch(() => {});
    throw err;
  } finally {
    await db.end();
  }
  console.log(`freshdesk sync: ${stored} tickets stored`);
}

main().catch((err) => {
  console.error('freshdesk sync failed', err.response?.data ?? err);
  process.exit(1);
});
