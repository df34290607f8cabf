// New Google reviews for the three Three Pines Dental clinics, posted to #front-desk in Slack.
// Cloud Run job started hourly by Cloud Scheduler (`node dist/reviews.js`, exits when done).
// node-redis remembers a digest of each clinic's latest reviews (skip when nothing changed) and
// claims each review before posting it; it also keeps the Google token and a star tally.
import crypto from 'node:crypto';
import { createClient } from 'redis';
import { WebClient } from '@slack/web-api';

const ACCOUNT = process.env.GBP_ACCOUNT_ID!;
const CLINICS: Record<string, string> = { '4471029385512': 'Oak Street', '9920183746651': 'Riverside', '1187263549902': 'Hillcrest' };
const DAY = 86400;
const redis = createClient({ url: process.env.REDIS_URL });
const slack = new WebClient(process.env.SLACK_BOT_TOKEN);

interface Review { reviewId: string; reviewer: { displayName: string }; starRating: string; comment?: string; updateTime: string }

async function googleToken(): Promise<string> {
  const cached = await redis.get('reviews:google-access-token');
  if (cached) return cached;
  const res = await fetch('https://oauth2.googleapis.com/token', {
    method: 'POST',
    body: new URLSearchParams({
      client_id: process.env.GOOGLE_CLIENT_ID!, client_secret: process.env.GOOGLE_CLIENT_SECRET!,
      refresh_token: process.env.GOOGLE_REFRESH_TOKEN!, grant_type: 'refresh_token',
    }),
  });
  const token = (await res.json()) as { access_token: string; expires_in: number };
  await redis.set('reviews:google-access-token', token.access_token, { EX: token.expires_in - 60 });
  return token.access_token;
}

async function checkClinic(locationId: string, clinic: string): Promise<number> {
  const res = await fetch(
    `https://mybusiness.googleapis.com/v4/accounts/${ACCOUNT}/locations/${locationId}/reviews?pageSize=20&orderBy=updateTime%20desc`,
    { headers: { Authorization: `Bearer ${await googleToken()}` } },
  );
  if (!res.ok) throw new Error(`${clinic}: Google ${res.status}`);
  const body = (await res.json()) as { reviews?: Review[]; averageRating: number };
  const reviews = body.reviews ?? [];

  const digest = crypto.createHash('sha256').update(reviews.map((r) => `${r.reviewId}@${r.updateTime}`).join('|')).digest('hex');
  if (digest === (await redis.get(`reviews:${locationId}:digest`))) return 0;
  await redis.set(`reviews:${locationId}:digest`, digest);
  await redis.set(`reviews:${locationId}:latest`, JSON.stringify(body), { EX: 14 * DAY });

  let posted = 0;
  for (const review of reviews) {
    const fresh = await redis.set(`reviews:posted:${review.reviewId}`, review.updateTime, { NX: true, EX: 90 * DAY });
    if (fresh !== 'OK') continue;
    await slack.chat.postMessage({
      channel: process.env.SLACK_FRONT_DESK_CHANNEL!,
      text: `*${clinic}* ${'★'.repeat(['ONE', 'TWO', 'THREE', 'FOUR', 'FIVE'].indexOf(review.starRating) + 1)} from ${review.reviewer.displayName}: ${review.comment ?? '(no text)'}`,
    });
    await redis.hIncrBy(`reviews:${locationId}:stars`, review.starRating, 1);
    posted += 1;
  }
  return posted;
}

async function main(): Promise<void> {
  await redis.connect();
  try {
    for (const [locationId, clinic] of Object.entries(CLINICS)) {
      console.log(`${clinic}: ${await checkClinic(locationId, clinic)} new review(s)`);
    }
  } finally {
    await redis.quit();
  }
}

main().catch((err) => {
  console.error(err);
  process.exitCode = 1;
});
