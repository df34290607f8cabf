// Review responder for the Fernhollow Ceramics Etsy shop. A BullMQ job scheduler runs the
// `etsy-reviews` job every 30 minutes on the shop's worker dyno (`node dist/review-worker.js`):
// it reads the 25 most recent shop reviews, asks Claude to draft a reply to every review of
// 3 stars or less, and posts the review with the draft to #customer-care so someone can paste
// it into Etsy. Redis here is only BullMQ's queue.
import { Queue, Worker, type Job } from 'bullmq';
import IORedis from 'ioredis';
import Anthropic from '@anthropic-ai/sdk';
import { WebClient } from '@slack/web-api';

const connection = new IORedis(process.env.REDIS_URL!, { maxRetriesPerRequest: null });
const anthropic = new Anthropic();
const slack = new WebClient(process.env.SLACK_BOT_TOKEN);
const SHOP_ID = process.env.ETSY_SHOP_ID!;

interface Review {
  transaction_id: number;
  listing_id: number;
  rating: number;
  review: string | null;
  language: string;
  create_timestamp: number;
}

class ReviewResponder {
  constructor(private readonly tone = 'warm and brief; offer a replacement only if the piece arrived broken') {}

  async latestReviews(limit = 25): Promise<Review[]> {
    const url = `https://openapi.etsy.com/v3/application/shops/${SHOP_ID}/reviews?limit=${limit}&offset=0`;
    const res = await fetch(url, {
      headers: { 'x-api-key': process.env.ETSY_KEYSTRING!, Authorization: `Bearer ${process.env.ETSY_OAUTH_TOKEN}` },
    });
    if (!res.ok) throw new Error(`Etsy ${res.status}: ${await res.text()}`);
    const body = (await res.json()) as { count: number; results: Review[] };
    return body.results;
  }

  private async draftReply(review: Review): Promise<string> {
    const msg = await anthropic.messages.create({
      model: 'claude-3-5-sonnet-latest',
      max_tokens: 400,
      temperature: 0,
      system: `You write replies from a small ceramics studio to its Etsy reviews. Tone: ${this.tone}.`,
      messages: [{ role: 'user', content: `Rating: ${review.rating}/5\nReview (${review.language}): ${review.review}` }],
    });
    const block = msg.content[0];
    return block.type === 'text' ? block.text : '';
  }

  async run(job: Job): Promise<number> {
    const lowRated = (await this.latestReviews()).filter((r) => r.rating <= 3 && r.review?.trim());
    for (const review of lowRated) {
      const draft = await this.draftReply(review);
      await slack.chat.postMessage({
        channel: '#customer-care',
        text: `${'★'.repeat(review.rating)} on listing ${review.listing_id}: "${review.review}"\n*Suggested reply:*\n${draft}`,
        unfurl_links: false,
      });
    }
    await job.updateProgress(100);
    return lowRated.length;
  }
}

async function main(): Promise<void> {
  const responder = new ReviewResponder();
  const queue = new Queue('etsy-reviews', { connection });
  await queue.upsertJobScheduler('every-30-min', { pattern: '*/30 * * * *' }, { name: 'check-reviews' });

  const worker = new Worker('etsy-reviews', (job) => responder.run(job), { connection, concurrency: 1 });
  worker.on('completed', (job, drafted) => console.log(`job ${job.id}: ${drafted} drafts posted`));
  worker.on('failed', (job, err) => console.error(`job ${job?.id} failed`, err));
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
