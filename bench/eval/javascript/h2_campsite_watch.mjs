// Long-running watcher (`node h2_campsite_watch.mjs`, kept up by pm2): every 15 minutes checks
// recreation.gov for sites open on all the nights each member asked for and emails them the openings.
import { readFile } from 'node:fs/promises';
import { setTimeout as sleep } from 'node:timers/promises';
import nodemailer from 'nodemailer';

const INTERVAL_MS = 15 * 60 * 1000;
const mailer = nodemailer.createTransport(process.env.SMTP_URL);
// [{ "email": "...", "campgroundId": "232447", "campgroundName": "Upper Pines", "nights": ["2025-07-04", "2025-07-05"] }]
const watches = JSON.parse(await readFile(new URL('./campsite-watches.json', import.meta.url), 'utf8'));

const monthStart = (night) => `${night.slice(0, 7)}-01T00:00:00.000Z`;

async function openSites(watch) {
  const open = [];
  for (const start of new Set(watch.nights.map(monthStart))) {
    const url = `https://www.recreation.gov/api/camps/availability/campground/${watch.campgroundId}/month?start_date=${encodeURIComponent(start)}`;
    const res = await fetch(url, { headers: { 'user-agent': 'campsite-watch/2.1 (family use)' } });
    if (!res.ok) throw new Error(`recreation.gov ${res.status} for ${watch.campgroundId}`);
    const { campsites } = await res.json();
    for (const site of Object.values(campsites)) {
      const free = watch.nights.filter((n) => site.availabilities[`${n}T00:00:00Z`] === 'Available');
      if (free.length === watch.nights.length) open.push({ site: site.site, loop: site.loop, id: site.campsite_id });
    }
  }
  return open;
}

async function checkAll() {
  for (const watch of watches) {
    const sites = await openSites(watch);
    if (sites.length === 0) continue;
    const list = sites
      .map((s) => `<li>Site ${s.site} (${s.loop}) - <a href="https://www.recreation.gov/camping/campsites/${s.id}">book</a></li>`)
      .join('');
    await mailer.sendMail({
      from: 'Campsite Watch <watch@hollow-pine.dev>',
      to: watch.email,
      subject: `${sites.length} site(s) open at ${watch.campgroundName} for ${watch.nights.join(', ')}`,
      html: `<p>These sites are free for all your nights:</p><ul>${list}</ul>`,
    });
  }
}

while (true) {
  try {
    await checkAll();
  } catch (error) {
    console.error('check failed', error);
  }
  await sleep(INTERVAL_MS);
}
