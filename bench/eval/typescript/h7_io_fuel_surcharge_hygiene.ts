// Fuel surcharge watcher for Tallgrass Fulfillment (3PL). Long-running worker on Fly.io (node-cron,
// every 6 hours): reads the FedEx fuel surcharge page, and only when the table differs from last time
// pushes the new Ground percentage to our billing API (Auth0 M2M token) and posts it to #billing.
import crypto from 'node:crypto';
import * as cheerio from 'cheerio';
import Redis from 'ioredis';
import cron from 'node-cron';

const redis = new Redis(process.env.REDIS_URL!, { maxRetriesPerRequest: 3 });
const PAGE = 'https://www.fedex.com/en-us/shipping/fuel-surcharge.html';
const DAY = 86400;

class SurchargeMemory {
  constructor(private readonly client: Redis, private readonly carrier: string) {}
  private key(part: string) { return `fuel-surcharge:${this.carrier}:${part}`; }

  lastDigest(): Promise<string | null> {
    return this.client.get(this.key('digest'));
  }

  async remember(digest: string, html: string, groundPct: number): Promise<void> {
    await this.client.set(this.key('digest'), digest);
    await this.client.set(this.key('page'), html, 'EX', 90 * DAY);
    await this.client.hset(this.key('history'), new Date().toISOString().slice(0, 10), groundPct.toFixed(2));
  }
}

async function billingToken(): Promise<string> {
  const cached = await redis.get('fuel-surcharge:billing-token');
  if (cached) return cached;
  const res = await fetch(`https://${process.env.AUTH0_DOMAIN}/oauth/token`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({
      grant_type: 'client_credentials', audience: 'https://billing.tallgrass.internal',
      client_id: process.env.AUTH0_CLIENT_ID, client_secret: process.env.AUTH0_CLIENT_SECRET,
    }),
  });
  const { access_token, expires_in } = (await res.json()) as { access_token: string; expires_in: number };
  await redis.set('fuel-surcharge:billing-token', access_token, 'EX', expires_in - 60);
  return access_token;
}

async function check(memory: SurchargeMemory): Promise<void> {
  const res = await fetch(PAGE, { headers: { 'User-Agent': 'TallgrassBilling/1.0 (ops@tallgrass.co)' } });
  if (!res.ok) throw new Error(`FedEx page ${res.status}`);
  const html = await res.text();
  const $ = cheerio.load(html);
  const table = $('table').first();
  const digest = crypto.createHash('sha256').update(table.text().replace(/\s+/g, ' ')).digest('hex');
  if (digest === (await memory.lastDigest())) return;

  const groundRow = table.find('tr').filter((_, tr) => /ground/i.test($(tr).text())).first();
  const groundPct = parseFloat(groundRow.find('td').last().text());
  if (Number.isNaN(groundPct)) throw new Error('could not read the FedEx Ground surcharge');

  const put = await fetch('https://billing.tallgrass.internal/api/surcharges/fedex-ground', {
    method: 'PUT',
    headers: { Authorization: `Bearer ${await billingToken()}`, 'Content-Type': 'application/json' },
    body: JSON.stringify({ percent: groundPct, source: PAGE }),
  });
  if (!put.ok) throw new Error(`billing API ${put.status}`);
  await fetch(process.env.SLACK_BILLING_WEBHOOK!, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ text: `:fuelpump: FedEx Ground fuel surcharge is now *${groundPct}%* (<${PAGE}|table>)` }),
  });
  await memory.remember(digest, html, groundPct);
}

const memory = new SurchargeMemory(redis, 'fedex');
cron.schedule('0 */6 * * *', () => {
  check(memory).catch((err) => console.error('fuel surcharge check failed', err));
});
