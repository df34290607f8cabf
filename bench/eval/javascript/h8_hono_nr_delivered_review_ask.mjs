// Review requests for Fernwood Candle Co. Hono on Node (@hono/node-server, one Railway service):
// Shippo calls POST /hooks/shippo for every tracking update; when a parcel is DELIVERED we look up
// the Shopify order and email the customer a "how do the candles smell?" review request via Postmark.
// Shopify order lookups are cached in Redis (node-redis) for a day to stay under the API limit.
import { Hono } from 'hono';
import { serve } from '@hono/node-server';
import { createClient } from 'redis';
import postmark from 'postmark';

const redis = createClient({ url: process.env.REDIS_URL });
redis.on('error', (err) => console.error('redis', err));
await redis.connect();

const mail = new postmark.ServerClient(process.env.POSTMARK_SERVER_TOKEN);
const SHOP = `https://${process.env.SHOPIFY_SHOP}.myshopify.com/admin/api/2024-07`;

async function shopifyOrder(orderId) {
  const key = `reviews:order:${orderId}`;
  const hit = await redis.get(key);
  if (hit) return JSON.parse(hit);
  const res = await fetch(`${SHOP}/orders/${orderId}.json?fields=id,name,email,customer,line_items`, {
    headers: { 'X-Shopify-Access-Token': process.env.SHOPIFY_ADMIN_TOKEN },
  });
  if (!res.ok) throw new Error(`Shopify ${res.status} for order ${orderId}`);
  const { order } = await res.json();
  const slim = {
    name: order.name,
    email: order.email,
    firstName: order.customer?.first_name ?? '',
    products: order.line_items.map((item) => ({ title: item.title, productId: item.product_id })),
  };
  await redis.set(key, JSON.stringify(slim), { EX: 86400 });
  return slim;
}

const app = new Hono();

app.post('/hooks/shippo', async (c) => {
  if (c.req.query('token') !== process.env.SHIPPO_HOOK_TOKEN) return c.text('forbidden', 403);
  const { event, data } = await c.req.json();
  if (event !== 'track_updated' || data?.tracking_status?.status !== 'DELIVERED') {
    return c.json({ ignored: true });
  }

  const orderId = data.metadata?.replace(/^Order\s+/, '');
  if (!orderId) return c.json({ ignored: 'no order in metadata' });

  const order = await shopifyOrder(orderId);
  if (!order.email) return c.json({ ignored: 'no email' });

  await mail.sendEmailWithTemplate({
    From: 'Hazel at Fernwood <hello@fernwoodcandles.co>',
    To: order.email,
    TemplateAlias: 'review-request',
    TemplateModel: {
      first_name: order.firstName,
      order_name: order.name,
      products: order.products,
      review_url: `https://fernwoodcandles.co/pages/review?order=${encodeURIComponent(order.name)}`,
    },
    MessageStream: 'outbound',
  });
  return c.json({ sent: order.name, tracking: data.tracking_number });
});

serve({ fetch: app.fetch, port: Number(process.env.PORT ?? 3000) });
