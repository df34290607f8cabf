// Cloudflare Worker with a Cron Trigger ("*/15 * * * *" under [triggers] in wrangler.toml).
// Reads the USGS "M4.5+ past day" feed and tells the ops Telegram group about every quake within
// 500 km of one of our field offices, so the regional leads can check in with their staff.
export interface Env {
  TELEGRAM_BOT_TOKEN: string;
  TELEGRAM_CHAT_ID: string;
  MIN_MAGNITUDE?: string;
}

interface Quake {
  id: string;
  properties: { mag: number; place: string; time: number; url: string; tsunami: number };
  geometry: { coordinates: [number, number, number] };
}

const FEED = 'https://earthquake.usgs.gov/earthquakes/feed/v1.0/summary/4.5_day.geojson';
const RADIUS_KM = 500;
const OFFICES = [
  { name: 'Lima', lat: -12.0464, lon: -77.0428 },
  { name: 'Manila', lat: 14.5995, lon: 120.9842 },
  { name: 'Istanbul', lat: 41.0082, lon: 28.9784 },
  { name: 'Kathmandu', lat: 27.7172, lon: 85.324 },
];

function distanceKm(lat1: number, lon1: number, lat2: number, lon2: number): number {
  const rad = (deg: number) => (deg * Math.PI) / 180;
  const a =
    Math.sin(rad(lat2 - lat1) / 2) ** 2 +
    Math.cos(rad(lat1)) * Math.cos(rad(lat2)) * Math.sin(rad(lon2 - lon1) / 2) ** 2;
  return 6371 * 2 * Math.asin(Math.sqrt(a));
}

function nearestOffice(quake: Quake): { name: string; km: number } | null {
  const [lon, lat] = quake.geometry.coordinates;
  const ranked = OFFICES.map((o) => ({ name: o.name, km: Math.round(distanceKm(lat, lon, o.lat, o.lon)) }))
    .sort((a, b) => a.km - b.km);
  return ranked[0].km <= RADIUS_KM ? ranked[0] : null;
}

async function notify(env: Env, html: string): Promise<void> {
  const res = await fetch(`https://api.telegram.org/bot${env.TELEGRAM_BOT_TOKEN}/sendMessage`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ chat_id: env.TELEGRAM_CHAT_ID, text: html, parse_mode: 'HTML', disable_web_page_preview: true }),
  });
  if (!res.ok) throw new Error(`telegram sendMessage: ${res.status} ${await res.text()}`);
}

async function checkQuakes(env: Env): Promise<void> {
  const res = await fetch(FEED, { headers: { accept: 'application/geo+json' } });
  if (!res.ok) throw new Error(`USGS feed: HTTP ${res.status}`);
  const { features } = (await res.json()) as { features: Quake[] };
  const minMagnitude = Number(env.MIN_MAGNITUDE ?? '4.5');

  for (const quake of features) {
    if (quake.properties.mag < minMagnitude) continue;
    const near = nearestOffice(quake);
    if (!near) continue;
    const when = new Date(quake.properties.time).toUTCString();
    const tsunami = quake.properties.tsunami ? '\n⚠️ Tsunami flag set by USGS' : '';
    await notify(
      env,
      `<b>M${quake.properties.mag.toFixed(1)}</b> ${quake.properties.place}\n${near.km} km from ${near.name} office · ${when}${tsunami}\n${quake.properties.url}`,
    );
  }
}

export default {
  async scheduled(controller: ScheduledController, env: Env, ctx: ExecutionContext): Promise<void> {
    console.log(`quake check for cron ${controller.cron}`);
    ctx.waitUntil(checkQuakes(env));
  },
};
