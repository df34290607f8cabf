// Every 30 minutes (PM2 cron_restart): pulls partner restaurants' menu pages and re-indexes the
// ones that changed in Algolia. Redis keeps the partner API token, the last page and sync times.
import Redis from 'ioredis';
import axios from 'axios';
import * as cheerio from 'cheerio';
import { algoliasearch } from 'algoliasearch';

const redis = new Redis(process.env.REDIS_URL!);
const search = algoliasearch(process.env.ALGOLIA_APP_ID!, process.env.ALGOLIA_ADMIN_KEY!);
const PARTNER_API = 'https://api.tablehop.example/v2';

async function partnerToken(): Promise<string> {
  const cached = await redis.get('menusync:partner-token');
  if (cached) return cached;
  const { data } = await axios.post(`${PARTNER_API}/oauth/token`, {
    grant_type: 'client_credentials',
    client_id: process.env.TABLEHOP_CLIENT_ID,
    client_secret: process.env.TABLEHOP_CLIENT_SECRET,
  });
  await redis.set('menusync:partner-token', data.access_token, 'EX', data.expires_in - 60);
  return data.access_token;
}

function parseMenu(html: string) {
  const $ = cheerio.load(html);
  return $('.menu-item')
    .map((_, el) => ({
      name: $(el).find('.menu-item__name').text().trim(),
      price: $(el).find('.menu-item__price').text().trim(),
      tags: $(el).find('.tag').map((__, t) => $(t).text()).get(),
    }))
    .get();
}

async function syncRestaurant(restaurant: { id: string; menuUrl: string }): Promise<boolean> {
  const { data: html } = await axios.get<string>(restaurant.menuUrl, { responseType: 'text' });
  const previous = await redis.get(`menusync:page:${restaurant.id}`);
  if (previous === html) return false;

  await search.saveObjects({
    indexName: 'menu_items',
    objects: parseMenu(html).map((item, i) => ({ objectID: `${restaurant.id}-${i}`, restaurantId: restaurant.id, ...item })),
  });
  await redis.set(`menusync:page:${restaurant.id}`, html, 'EX', 30 * 86400);
  await redis.hset('menusync:synced-at', restaurant.id, new Date().toISOString());
  return true;
}

async function main(): Promise<void> {
  const token = await partnerToken();
  const { data: restaurants } = await axios.get(`${PARTNER_API}/restaurants?status=live`, {
    headers: { Authorization: `Bearer ${token}` },
  });
  let changed = 0;
  for (const restaurant of restaurants) {
    if (await syncRestaurant(restaurant)) changed += 1;
  }
  console.log(`menu sync: ${changed}/${restaurants.length} restaurants re-indexed`);
  await redis.quit();
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
