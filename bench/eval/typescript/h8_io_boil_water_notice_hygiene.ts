// jobs/boil-water-watch.ts: boil-water notice watch for the Copper Pot restaurant group (14 sites).
// node-cron worker (hourly) in the ops container, with ioredis. Reads the site list from the group's
// ops portal, then for each site reads its water utility's advisories page; when the page has changed
// since the last run it posts the site and the page's headline to #kitchen-ops in Slack. The kitchen
// manager of a site under a boil-water notice gets a text so the kitchen switches to bottled water.
import * as cheerio from 'cheerio';
import Redis from 'ioredis';
import cron from 'node-cron';
import twilio from 'twilio';

type Site = { id: string; name: string; utilityNoticesUrl: string; kitchenManagerPhone: string };

const redis = new Redis(process.env.REDIS_URL!);
const sms = twilio(process.env.TWILIO_ACCOUNT_SID, process.env.TWILIO_AUTH_TOKEN);
const PORTAL = 'https://ops.copperpot.co/api';

async function portalToken(): Promise<string> {
  const cached = await redis.get('boilwater:portal-token');
  if (cached) return cached;
  const res = await fetch(`${PORTAL}/oauth/token`, {
    method: 'POST',
    body: new URLSearchParams({
      grant_type: 'client_credentials',
      client_id: process.env.PORTAL_CLIENT_ID!,
      client_secret: process.env.PORTAL_CLIENT_SECRET!,
    }),
  });
  const { access_token, expires_in } = (await res.json()) as { access_token: string; expires_in: number };
  await redis.set('boilwater:portal-token', access_token, 'EX', expires_in - 60);
  return access_token;
}

async function sites(): Promise<Site[]> {
  const res = await fetch(`${PORTAL}/sites?active=true`, { headers: { Authorization: `Bearer ${await portalToken()}` } });
  if (!res.ok) throw new Error(`ops portal ${res.status}`);
  return (await res.json()) as Site[];
}

async function checkSite(site: Site): Promise<{ site: Site; underNotice: boolean }> {
  const res = await fetch(site.utilityNoticesUrl, { headers: { 'User-Agent': 'CopperPot-ops/1.0' } });
  const html = await res.text();
  const $ = cheerio.load(html);
  const headline = $('main h1, main h2').first().text().trim();
  const underNotice = /boil (water )?(notice|advisory|order)/i.test($('main').text());
  if ((await redis.get(`boilwater:page:${site.id}`)) !== html) {
    await redis.set(`boilwater:page:${site.id}`, html);
    await redis.hset('boilwater:changed-at', site.id, new Date().toISOString());
    await fetch(process.env.SLACK_KITCHEN_OPS_WEBHOOK!, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ text: `:droplet: *${site.name}*: water utility page changed: ${headline || site.utilityNoticesUrl}` }),
    });
  }
  return { site, underNotice };
}

cron.schedule('0 * * * *', async () => {
  const results = await Promise.all((await sites()).map(checkSite));
  const affected = results.filter((r) => r.underNotice);
  await Promise.all(affected.map(({ site }) =>
    sms.messages.create({
      to: site.kitchenManagerPhone,
      from: process.env.TWILIO_FROM_NUMBER!,
      body: `Copper Pot ${site.name}: boil-water notice in force. Switch to bottled water and ice, see #kitchen-ops.`,
    }),
  ));
  console.log(`checked ${results.length} sites, ${affected.length} under a boil-water notice`);
});
