// app/api/pairing/route.ts: "What goes with dinner?" box on the Cellar Door wine shop site (Next.js
// App Router on Vercel). Shoppers type a dish and get three bottles from the current list with a
// sentence each. The list only changes when the buyer uploads a new wines.json (about monthly), and
// most questions are the same handful of dishes. node-redis (Upstash TCP) rate-limits per IP.
import { NextResponse, type NextRequest } from 'next/server';
import { createClient, type RedisClientType } from 'redis';
import OpenAI from 'openai';
import wines from '@/data/wines.json';

export const runtime = 'nodejs';

const openai = new OpenAI();
let redisPromise: Promise<RedisClientType> | undefined;

function redis(): Promise<RedisClientType> {
  redisPromise ??= createClient({ url: process.env.REDIS_URL }).connect() as Promise<RedisClientType>;
  return redisPromise;
}

async function allowed(ip: string): Promise<boolean> {
  const client = await redis();
  const key = `pairing:ratelimit:${ip}`;
  const count = await client.incr(key);
  if (count === 1) await client.expire(key, 60);
  return count <= 10;
}

const catalogue = wines
  .filter((w) => w.inStock)
  .map((w) => `${w.sku} | ${w.name} | ${w.grape} | ${w.region} | £${w.price}`)
  .join('\n');

export async function POST(req: NextRequest) {
  const ip = req.headers.get('x-forwarded-for')?.split(',')[0]?.trim() ?? 'unknown';
  if (!(await allowed(ip))) {
    return NextResponse.json({ error: 'Too many questions, give it a minute.' }, { status: 429 });
  }

  const { dish } = (await req.json()) as { dish?: string };
  const cleaned = dish?.trim().toLowerCase().slice(0, 120);
  if (!cleaned) return NextResponse.json({ error: 'Tell us what you are cooking.' }, { status: 400 });

  const completion = await openai.chat.completions.create({
    model: 'gpt-4o',
    temperature: 0,
    response_format: { type: 'json_object' },
    messages: [
      {
        role: 'system',
        content: `You are the sommelier of Cellar Door. Recommend exactly three wines from this list only, as JSON {"picks":[{"sku","why"}]}.\n${catalogue}`,
      },
      { role: 'user', content: `Dish: ${cleaned}` },
    ],
  });

  const { picks } = JSON.parse(completion.choices[0].message.content ?? '{"picks":[]}') as {
    picks: { sku: string; why: string }[];
  };
  const bySku = new Map(wines.map((w) => [w.sku, w]));
  return NextResponse.json({
    dish: cleaned,
    picks: picks.filter((p) => bySku.has(p.sku)).map((p) => ({ ...bySku.get(p.sku), why: p.why })),
  });
}
