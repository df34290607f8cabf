// Café ledger: every 15 minutes (node-cron inside the long-running `ledger-worker` container) copies
// today's completed Square payments into the "Payments" tab of the bookkeeping Google Sheet.
// ioredis keeps the customer names looked up from Square (for a day) and a count of rows written.
import cron from 'node-cron';
import Redis from 'ioredis';
import { google } from 'googleapis';

const SQUARE = 'https://connect.squareup.com/v2';
const SQUARE_HEADERS = {
  Authorization: `Bearer ${process.env.SQUARE_ACCESS_TOKEN}`,
  'Square-Version': '2024-07-17',
};
const redis = new Redis(process.env.REDIS_URL!);
const auth = new google.auth.GoogleAuth({ scopes: ['https://www.googleapis.com/auth/spreadsheets'] });
const sheets = google.sheets({ version: 'v4', auth });

type Payment = {
  id: string;
  created_at: string;
  status: string;
  source_type: string;
  amount_money: { amount: number; currency: string };
  tip_money?: { amount: number };
  customer_id?: string;
};

async function customerName(customerId?: string): Promise<string> {
  if (!customerId) return 'Walk-in';
  const key = `ledger:customer:${customerId}`;
  const cached = await redis.get(key);
  if (cached) return cached;
  const res = await fetch(`${SQUARE}/customers/${customerId}`, { headers: SQUARE_HEADERS });
  const { customer } = (await res.json()) as { customer?: { given_name?: string; family_name?: string } };
  const name = [customer?.given_name, customer?.family_name].filter(Boolean).join(' ') || 'Unknown';
  await redis.set(key, name, 'EX', 86400);
  return name;
}

async function copyTodaysPayments(): Promise<void> {
  const today = new Date();
  today.setUTCHours(0, 0, 0, 0);
  const beginTime = today.toISOString();

  const rows: (string | number)[][] = [];
  let cursor: string | undefined;
  do {
    const params = new URLSearchParams({ begin_time: beginTime, location_id: process.env.SQUARE_LOCATION_ID!, sort_order: 'ASC' });
    if (cursor) params.set('cursor', cursor);
    const res = await fetch(`${SQUARE}/payments?${params}`, { headers: SQUARE_HEADERS });
    if (!res.ok) throw new Error(`Square ${res.status}: ${await res.text()}`);
    const page = (await res.json()) as { payments?: Payment[]; cursor?: string };
    for (const p of page.payments ?? []) {
      if (p.status !== 'COMPLETED') continue;
      const tip = (p.tip_money?.amount ?? 0) / 100;
      rows.push([p.created_at, p.id, await customerName(p.customer_id), p.source_type, p.amount_money.amount / 100, tip]);
    }
    cursor = page.cursor;
  } while (cursor);

  if (rows.length === 0) return;
  await sheets.spreadsheets.values.append({
    spreadsheetId: process.env.LEDGER_SHEET_ID!,
    range: 'Payments!A:F',
    valueInputOption: 'USER_ENTERED',
    requestBody: { values: rows },
  });
  await redis.incrby('ledger:rows-appended', rows.length);
  console.log(`ledger: appended ${rows.length} payments since ${beginTime}`);
}

cron.schedule('*/15 7-22 * * *', () => {
  copyTodaysPayments().catch((err) => console.error('ledger run failed', err));
});
