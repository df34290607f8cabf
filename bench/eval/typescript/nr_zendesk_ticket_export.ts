// Scheduled every 10 minutes (Kubernetes CronJob): pushes updated Zendesk tickets to BigQuery.
import { BigQuery } from '@google-cloud/bigquery';
import { createClient } from 'redis';

const redis = createClient({ url: process.env.REDIS_URL });
const bigquery = new BigQuery();
const ZENDESK = `https://${process.env.ZENDESK_SUBDOMAIN}.zendesk.com/api/v2`;
const auth = Buffer.from(`${process.env.ZENDESK_EMAIL}/token:${process.env.ZENDESK_TOKEN}`).toString('base64');

interface TicketPage {
  tickets: { id: number; subject: string; status: string; updated_at: string }[];
  after_cursor: string | null;
  end_of_stream: boolean;
}

export async function main(): Promise<void> {
  await redis.connect();
  const startTime = Math.floor(Date.now() / 1000) - 24 * 3600;
  let url = `${ZENDESK}/incremental/tickets/cursor.json?start_time=${startTime}`;
  let exported = 0;
  for (;;) {
    const res = await fetch(url, { headers: { Authorization: `Basic ${auth}` } });
    const page = (await res.json()) as TicketPage;
    if (page.tickets.length > 0) {
      await bigquery.dataset('support').table('tickets').insert(page.tickets);
      exported += page.tickets.length;
    }
    if (page.end_of_stream || !page.after_cursor) break;
    url = `${ZENDESK}/incremental/tickets/cursor.json?cursor=${page.after_cursor}`;
  }
  await redis.incrBy('zendesk-export:total', exported);
  await redis.quit();
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
