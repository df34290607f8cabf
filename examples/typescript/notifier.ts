// Shipping notifier (ioredis, runs every 5 minutes).
// Tells each customer on Slack that their order has shipped. The shop API returns every order
// shipped in the last 24 hours: without memory, a customer hears it up to 288 times.
import Redis from 'ioredis';

const redis = new Redis(process.env.REDIS_URL ?? 'redis://127.0.0.1:6379');

const SHOP_API = 'https://shop.example.com/api';
const SLACK_WEBHOOK_URL = process.env.SLACK_WEBHOOK_URL ?? '';

interface Order {
  id: string;
  customer: string;
  trackingUrl: string;
}

async function recentlyShippedOrders(): Promise<Order[]> {
  const response = await fetch(`${SHOP_API}/orders?status=shipped&shipped_within=24h`);
  if (!response.ok) throw new Error(`shop API answered ${response.status}`);
  return (await response.json()) as Order[];
}

export async function notifyShipped(): Promise<number> {
  const orders = await recentlyShippedOrders();
  for (const order of orders) {
    await fetch(SLACK_WEBHOOK_URL, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({
        text: `Hi ${order.customer}, order ${order.id} is on its way: ${order.trackingUrl}`,
      }),
    });
  }
  await redis.set('notifier:last-run', new Date().toISOString(), 'EX', 7 * 86400);
  return orders.length;
}

if (require.main === module) {
  notifyShipped()
    .then((count) => console.log(`notified ${count} orders`))
    .finally(() => redis.quit());
}
