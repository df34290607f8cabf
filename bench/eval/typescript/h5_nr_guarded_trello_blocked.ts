// Weekday stand-up helper for the Larchwood design studio (Kubernetes CronJob `30 8 * * 1-5` ->
// `node dist/blocked-digest.js`): tells the Teams channel which Trello cards moved into "Blocked"
// since the last run and which left it. The previous run's blocked cards (id -> name) are kept in
// Redis with node-redis for 30 days, so only the changes are posted.
import { createClient } from 'redis';

const SNAPSHOT_KEY = 'standup:blocked-cards';
const SNAPSHOT_TTL = 30 * 86400;
const redis = createClient({ url: process.env.REDIS_URL });

interface Card {
  id: string;
  name: string;
  shortUrl: string;
  dateLastActivity: string;
}

async function blockedCards(): Promise<Card[]> {
  const params = new URLSearchParams({
    key: process.env.TRELLO_KEY!,
    token: process.env.TRELLO_TOKEN!,
    fields: 'name,shortUrl,dateLastActivity',
  });
  const res = await fetch(`https://api.trello.com/1/lists/${process.env.TRELLO_BLOCKED_LIST_ID}/cards?${params}`);
  if (!res.ok) throw new Error(`Trello ${res.status}: ${await res.text()}`);
  return (await res.json()) as Card[];
}

async function postToTeams(text: string): Promise<void> {
  const res = await fetch(process.env.TEAMS_WEBHOOK_URL!, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ text }),
  });
  if (!res.ok) throw new Error(`Teams webhook ${res.status}`);
}

async function run(): Promise<void> {
  await redis.connect();
  try {
    const cards = await blockedCards();
    const previous = await redis.hGetAll(SNAPSHOT_KEY);
    const currentIds = new Set(cards.map((c) => c.id));

    const newlyBlocked = cards.filter((c) => !(c.id in previous));
    const unblocked = Object.entries(previous).filter(([id]) => !currentIds.has(id));

    if (newlyBlocked.length > 0 || unblocked.length > 0) {
      const parts = [];
      if (newlyBlocked.length) parts.push(`**Newly blocked**<br>${newlyBlocked.map((c) => `- [${c.name}](${c.shortUrl})`).join('<br>')}`);
      if (unblocked.length) parts.push(`**Unblocked**<br>${unblocked.map(([, name]) => `- ${name}`).join('<br>')}`);
      await postToTeams(parts.join('<br><br>'));
    }

    const tx = redis.multi().del(SNAPSHOT_KEY);
    if (cards.length > 0) {
      tx.hSet(SNAPSHOT_KEY, Object.fromEntries(cards.map((c) => [c.id, c.name]))).expire(SNAPSHOT_KEY, SNAPSHOT_TTL);
    }
    await tx.exec();
  } finally {
    await redis.quit();
  }
}

run().catch((err) => {
  console.error('blocked digest failed', err);
  process.exitCode = 1;
});
