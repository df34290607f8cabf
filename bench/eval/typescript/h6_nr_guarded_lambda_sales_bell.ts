// Sales bell for the Tidepool Fonts store: an AWS Lambda invoked by an EventBridge schedule
// (rate(5 minutes)) announces each new Lemon Squeezy order in the #sales Discord channel.
// node-redis keeps the id of the newest order already announced (30 days) and claims each
// announcement with SET NX EX, so a retried invocation or an overlapping run never rings twice.
import type { Context, ScheduledEvent } from 'aws-lambda';
import { createClient } from 'redis';

const LS_API = 'https://api.lemonsqueezy.com/v1';
const CURSOR_KEY = 'salesbell:last-order-id';
const MONTH = 30 * 24 * 3600;

const redis = createClient({ url: process.env.REDIS_URL });
const connected = redis.connect(); // reused by warm invocations

interface Order {
  id: string;
  attributes: {
    user_name: string;
    total_formatted: string;
    status: string;
    first_order_item: { product_name: string; variant_name: string };
  };
}

// Orders come newest first; stop at the first one we announced last time.
async function ordersAfter(lastId: number, maxPages: number): Promise<Order[]> {
  const fresh: Order[] = [];
  let url: string | undefined = `${LS_API}/orders?filter[store_id]=${process.env.LS_STORE_ID}&page[size]=50`;
  for (let page = 0; url && page < maxPages; page++) {
    const res = await fetch(url, {
      headers: { Accept: 'application/vnd.api+json', Authorization: `Bearer ${process.env.LS_API_KEY}` },
    });
    if (!res.ok) throw new Error(`Lemon Squeezy ${res.status}`);
    const body = (await res.json()) as { data: Order[]; links: { next?: string } };
    for (const order of body.data) {
      if (Number(order.id) <= lastId) return fresh;
      fresh.push(order);
    }
    url = body.links.next;
  }
  return fresh;
}

async function ring(order: Order): Promise<void> {
  const claimKey = `salesbell:rung:${order.id}`;
  const claimed = await redis.set(claimKey, '1', { NX: true, EX: MONTH });
  if (claimed !== 'OK') return;
  const { user_name, total_formatted, first_order_item: item } = order.attributes;
  const res = await fetch(process.env.DISCORD_SALES_WEBHOOK!, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ content: `:bell: ${user_name} bought **${item.product_name}** (${item.variant_name}) for ${total_formatted}` }),
  });
  if (!res.ok) {
    await redis.del(claimKey); // let the next run try again
    throw new Error(`Discord ${res.status}`);
  }
}

export const handler = async (_event: ScheduledEvent, _context: Context): Promise<{ rung: number }> => {
  await connected;
  const stored = await redis.get(CURSOR_KEY);
  // First run: only remember where we are, don't announce the whole history.
  const orders = await ordersAfter(Number(stored ?? 0), stored === null ? 1 : 10);
  if (orders.length === 0) return { rung: 0 };

  if (stored !== null) {
    for (const order of [...orders].reverse()) {
      if (order.attributes.status === 'paid') await ring(order);
    }
  }
  await redis.set(CURSOR_KEY, orders[0].id, { EX: MONTH });
  return { rung: stored === null ? 0 : orders.length };
};
