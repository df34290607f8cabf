// Worker (BullMQ repeatable job, every 30 min): checks competitor product pages for price changes.
import { Queue, Worker } from 'bullmq';
import { Redis } from 'ioredis';
import * as cheerio from 'cheerio';

const connection = new Redis(process.env.REDIS_URL ?? 'redis://localhost:6379', { maxRetriesPerRequest: null });
const queue = new Queue('price-watch', { connection });

interface WatchJob {
  url: string;
  selector: string;
  slackWebhook: string;
}

async function checkPrice(job: WatchJob): Promise<void> {
  const response = await fetch(job.url, { headers: { 'user-agent': 'price-watch/2.0' } });
  if (!response.ok) throw new Error(`${job.url} answered ${response.status}`);
  const $ = cheerio.load(await response.text());
  const price = $(job.selector).first().text().trim();

  await fetch(job.slackWebhook, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ text: `Price on ${job.url}: ${price}` }),
  });
}

new Worker<WatchJob>('price-watch', async (job) => checkPrice(job.data), { connection });

await queue.upsertJobScheduler('competitor-a', { every: 30 * 60 * 1000 }, {
  data: { url: 'https://competitor-a.example/product/42', selector: '.price', slackWebhook: process.env.SLACK_WEBHOOK_URL! },
});
