// app/api/cron/review-triage/route.ts: Vercel Cron calls this route daily ("0 7 * * *" in
// vercel.json). Pulls the most recent App Store reviews of our meditation app, has GPT label each
// one (bug / billing / feature / praise / other) and posts the 1-2 star ones to #app-feedback.
import OpenAI from 'openai';
import { NextResponse } from 'next/server';

export const dynamic = 'force-dynamic';
export const maxDuration = 60;

const openai = new OpenAI();
const APP_ID = process.env.APPSTORE_APP_ID!;
const SLACK_WEBHOOK = process.env.SLACK_APP_FEEDBACK_WEBHOOK!;
const LABELS = ['bug', 'billing', 'feature', 'praise', 'other'] as const;

type Review = { id: string; rating: number; title: string; body: string; author: string; version: string };

async function recentReviews(country = 'us'): Promise<Review[]> {
  const url = `https://itunes.apple.com/${country}/rss/customerreviews/page=1/id=${APP_ID}/sortby=mostrecent/json`;
  const res = await fetch(url, { cache: 'no-store' });
  if (!res.ok) throw new Error(`App Store RSS: HTTP ${res.status}`);
  const data = await res.json();
  return (data.feed?.entry ?? []).map((entry: any) => ({
    id: entry.id.label,
    rating: Number(entry['im:rating'].label),
    title: entry.title.label,
    body: entry.content.label,
    author: entry.author.name.label,
    version: entry['im:version'].label,
  }));
}

async function labelReview(review: Review): Promise<(typeof LABELS)[number]> {
  const completion = await openai.chat.completions.create({
    model: 'gpt-4o-mini',
    temperature: 0,
    messages: [
      { role: 'system', content: `Label the app review with exactly one word from: ${LABELS.join(', ')}.` },
      { role: 'user', content: `${review.title}\n\n${review.body}` },
    ],
  });
  const answer = completion.choices[0].message.content?.trim().toLowerCase() ?? '';
  return (LABELS as readonly string[]).includes(answer) ? (answer as (typeof LABELS)[number]) : 'other';
}

export async function GET(request: Request) {
  if (request.headers.get('authorization') !== `Bearer ${process.env.CRON_SECRET}`) {
    return new Response('Unauthorized', { status: 401 });
  }

  const reviews = await recentReviews();
  const counts: Record<string, number> = {};
  for (const review of reviews) {
    const label = await labelReview(review);
    counts[label] = (counts[label] ?? 0) + 1;
    if (review.rating > 2) continue;

    await fetch(SLACK_WEBHOOK, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        text: `:warning: ${review.rating}★ [${label}] *${review.title}* (v${review.version}, ${review.author})\n>${review.body.slice(0, 500)}`,
      }),
    });
  }

  return NextResponse.json({ reviews: reviews.length, counts });
}
