// Weekdays 07:30 (Kubernetes CronJob, `node dist/domain-expiry-report.js`): emails IT every domain in
// the DNSimple account that expires within 60 days. Redis holds a short lock so overlapping runs skip.
import { createClient } from 'redis';
import sgMail from '@sendgrid/mail';

const ACCOUNT = process.env.DNSIMPLE_ACCOUNT_ID;
const HEADERS = { Authorization: `Bearer ${process.env.DNSIMPLE_TOKEN}`, Accept: 'application/json' };
const WINDOW_DAYS = 60;
const redis = createClient({ url: process.env.REDIS_URL });
sgMail.setApiKey(process.env.SENDGRID_API_KEY!);

type Domain = { id: number; name: string; state: string; auto_renew: boolean; expires_at: string | null };
type Page = { data: Domain[]; pagination: { current_page: number; total_pages: number } };

async function allDomains(): Promise<Domain[]> {
  const domains: Domain[] = [];
  for (let page = 1, total = 1; page <= total; page += 1) {
    const res = await fetch(`https://api.dnsimple.com/v2/${ACCOUNT}/domains?sort=expiration:asc&per_page=100&page=${page}`, { headers: HEADERS });
    const body = (await res.json()) as Page;
    domains.push(...body.data);
    total = body.pagination.total_pages;
  }
  return domains;
}

function daysLeft(domain: Domain): number {
  return Math.floor((Date.parse(domain.expires_at!) - Date.now()) / 86_400_000);
}

async function run(): Promise<void> {
  await redis.connect();
  const locked = await redis.set('domain-expiry:lock', String(process.pid), { NX: true, EX: 600 });
  if (!locked) {
    console.log('another report run is in progress');
    await redis.quit();
    return;
  }
  try {
    const expiring = (await allDomains()).filter((d) => d.expires_at && daysLeft(d) <= WINDOW_DAYS);
    const rows = expiring
      .map((d) => `<tr><td>${d.name}</td><td>${d.expires_at!.slice(0, 10)}</td><td>${daysLeft(d)}</td><td>${d.auto_renew ? 'yes' : '<b>NO</b>'}</td></tr>`)
      .join('');
    await sgMail.send({
      to: 'it-ops@fernhill.dev',
      from: 'reports@fernhill.dev',
      subject: `${expiring.length} domains expire within ${WINDOW_DAYS} days`,
      html: `<table><tr><th>Domain</th><th>Expires</th><th>Days</th><th>Auto-renew</th></tr>${rows}</table>`,
    });
  } finally {
    await redis.del('domain-expiry:lock');
    await redis.quit();
  }
}

run().catch((error) => {
  console.error(error);
  process.exit(1);
});
