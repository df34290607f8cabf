// Product photo cut-outs for the Olive & Ash furniture shop (Hono on @hono/node-server, behind the
// Shopify `products/create` webhook): sends the product's main photo to remove.bg (paid per image),
// uploads the transparent PNG to Cloudinary and adds it to the product as a second image.
// node-redis remembers each webhook id (Shopify redeliveries are skipped) and the cut-out URL per
// source photo for 30 days, so the same photo is never paid for twice.
import crypto from 'node:crypto';
import { Hono } from 'hono';
import { serve } from '@hono/node-server';
import { createClient } from 'redis';
import { v2 as cloudinary } from 'cloudinary';

const redis = await createClient({ url: process.env.REDIS_URL }).connect();
const SHOP = `https://${process.env.SHOPIFY_SHOP}.myshopify.com/admin/api/2024-07`;
const TTL = 30 * 86400;
const sha256 = (s) => crypto.createHash('sha256').update(s).digest('hex');

function uploadPng(buffer) {
  return new Promise((resolve, reject) => {
    cloudinary.uploader
      .upload_stream({ folder: 'cutouts', format: 'png' }, (err, result) => (err ? reject(err) : resolve(result)))
      .end(buffer);
  });
}

async function cutoutFor(srcUrl) {
  const key = `photos:cutout:${sha256(srcUrl)}`;
  const known = await redis.get(key);
  if (known) return known;

  const form = new FormData();
  form.append('image_url', srcUrl);
  form.append('size', 'auto');
  form.append('format', 'png');
  const res = await fetch('https://api.remove.bg/v1.0/removebg', {
    method: 'POST',
    headers: { 'X-Api-Key': process.env.REMOVE_BG_API_KEY },
    body: form,
  });
  if (!res.ok) throw new Error(`remove.bg ${res.status}: ${await res.text()}`);
  const uploaded = await uploadPng(Buffer.from(await res.arrayBuffer()));
  await redis.set(key, uploaded.secure_url, { EX: TTL });
  return uploaded.secure_url;
}

const app = new Hono();

app.post('/webhooks/products-create', async (c) => {
  const raw = await c.req.text();
  const digest = crypto.createHmac('sha256', process.env.SHOPIFY_WEBHOOK_SECRET).update(raw, 'utf8').digest('base64');
  const given = c.req.header('x-shopify-hmac-sha256') ?? '';
  if (given.length !== digest.length || !crypto.timingSafeEqual(Buffer.from(given), Buffer.from(digest))) {
    return c.text('bad signature', 401);
  }
  const first = await redis.set(`photos:webhook:${c.req.header('x-shopify-webhook-id')}`, '1', { NX: true, EX: 7 * 86400 });
  if (!first) return c.text('already handled');

  const product = JSON.parse(raw);
  const main = product.image ?? product.images?.[0];
  if (!main) return c.text('no photo');

  const cutoutUrl = await cutoutFor(main.src);
  await fetch(`${SHOP}/products/${product.id}/images.json`, {
    method: 'POST',
    headers: { 'X-Shopify-Access-Token': process.env.SHOPIFY_ADMIN_TOKEN, 'Content-Type': 'application/json' },
    body: JSON.stringify({ image: { src: cutoutUrl, position: 2, alt: `${product.title} (cut-out)` } }),
  });
  return c.json({ product: product.id, cutoutUrl });
});

serve({ fetch: app.fetch, port: Number(process.env.PORT ?? 8787) });
