// Hourly (node-cron): relays the newest Canny feature requests to the product team's Teams channel,
// in English. DeepL translations are cached in Redis; the Teams post is made for every post fetched.
import cron from 'node-cron';
import Redis from 'ioredis';
import { createHash } from 'node:crypto';
import * as deepl from 'deepl-node';

const redis = new Redis(process.env.REDIS_URL!, { keyPrefix: 'canny-relay:' });
const translator = new deepl.Translator(process.env.DEEPL_AUTH_KEY!);
const TEAMS_WEBHOOK = process.env.TEAMS_PRODUCT_WEBHOOK!;

interface CannyPost {
  id: string;
  title: string;
  details: string;
  url: string;
  score: number;
  author: { name: string } | null;
  board: { name: string };
}

async function newestPosts(limit = 30): Promise<CannyPost[]> {
  const res = await fetch('https://canny.io/api/v1/posts/list', {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ apiKey: process.env.CANNY_API_KEY, sort: 'newest', limit }),
  });
  if (!res.ok) throw new Error(`Canny posts/list: HTTP ${res.status}`);
  const { posts } = (await res.json()) as { posts: CannyPost[] };
  return posts;
}

async function toEnglish(text: string): Promise<string> {
  const key = `translation:${createHash('sha256').update(text).digest('hex')}`;
  const cached = await redis.get(key);
  if (cached !== null) return cached;
  const result = await translator.translateText(text, null, 'en-US');
  await redis.set(key, result.text, 'EX', 7 * 24 * 3600);
  return result.text;
}

async function relay(): Promise<void> {
  const posts = await newestPosts();
  for (const post of posts) {
    const [title, details] = await Promise.all([toEnglish(post.title), toEnglish(post.details || '(no details)')]);
    await fetch(TEAMS_WEBHOOK, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        type: 'message',
        text: `**${title}** (${post.board.name}, ${post.score} votes, by ${post.author?.name ?? 'anonymous'})<br>${details}<br>[Open in Canny](${post.url})`,
      }),
    });
  }
}

cron.schedule('0 * * * *', () => {
  relay().catch((error) => console.error('canny relay failed', error));
});
