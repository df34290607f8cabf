// Hourly: announces new releases of our dependencies in Slack — memory already guards both sites.
import { createHash } from 'node:crypto';
import Redis from 'ioredis';

const redis = new Redis(process.env.REDIS_URL!);
const REPOS = ['nodejs/node', 'microsoft/TypeScript', 'redis/ioredis'];
const THIRTY_DAYS = 30 * 24 * 3600;

async function checkRepo(repo: string): Promise<void> {
  const response = await fetch(`https://api.github.com/repos/${repo}/releases/latest`);
  const body = await response.text();
  const hash = createHash('sha256').update(body).digest('hex');
  const hashKey = `release-watch:hash:${repo}`;
  if ((await redis.get(hashKey)) === hash) return;
  await redis.set(hashKey, hash, 'EX', THIRTY_DAYS);

  const release = JSON.parse(body) as { tag_name: string; html_url: string };
  const isNew = await redis.set(`release-watch:announced:${repo}:${release.tag_name}`, '1', 'EX', THIRTY_DAYS, 'NX');
  if (!isNew) return;
  await fetch(process.env.SLACK_WEBHOOK_URL!, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ text: `${repo} ${release.tag_name}: ${release.html_url}` }),
  });
}

setInterval(() => {
  Promise.all(REPOS.map(checkRepo)).catch(console.error);
}, 60 * 60 * 1000);
