// Friday 16:00 (GitHub Actions schedule): posts the week's closed deals to Slack.
import { WebClient } from '@slack/web-api';
import { createClient } from 'redis';

const slack = new WebClient(process.env.SLACK_BOT_TOKEN);
const redis = createClient({ url: process.env.REDIS_URL });

interface Deal {
  id: string;
  name: string;
  amount: number;
  owner: string;
  stage: string;
}

async function fetchDeals(): Promise<Deal[]> {
  const response = await fetch('https://api.hubapi.com/crm/v3/objects/deals?limit=100&properties=dealname,amount,dealstage,hubspot_owner_id', {
    headers: { Authorization: `Bearer ${process.env.HUBSPOT_TOKEN}` },
  });
  const body = (await response.json()) as { results: { id: string; properties: Record<string, string> }[] };
  return body.results.map((r) => ({
    id: r.id,
    name: r.properties.dealname,
    amount: Number(r.properties.amount ?? 0),
    owner: r.properties.hubspot_owner_id,
    stage: r.properties.dealstage,
  }));
}

async function run(): Promise<void> {
  await redis.connect();
  const deals = (await fetchDeals()).filter((deal) => deal.stage === 'closedwon');
  const total = deals.reduce((sum, deal) => sum + deal.amount, 0);
  const text = [`*Closed won: ${deals.length} deals, ${total.toLocaleString('en-US')} USD*`, ...deals.map((d) => `• ${d.name}: ${d.amount} USD`)].join('\n');
  await slack.chat.postMessage({ channel: '#sales', text });
  await redis.hSet('sales-report:stats', { lastRun: new Date().toISOString(), deals: deals.length });
  await redis.quit();
}

run();
