// Solar quote requests -> HubSpot for Brightside Solar. Long-running worker on Railway (node-cron,
// every 10 minutes). Reads the website's Jotform quote submissions from the last 7 days (so a weekend
// outage loses nothing) and upserts each lead into HubSpot by email with lead status NEW and the
// owner for the lead's county. HubSpot owners are looked up once a day and kept in Redis.
import Redis from 'ioredis';
import cron from 'node-cron';

type Answer = { name: string; answer?: string | Record<string, string> };
type Submission = { id: string; created_at: string; answers: Record<string, Answer> };

const redis = new Redis(process.env.REDIS_URL!);
const FORM_ID = process.env.JOTFORM_QUOTE_FORM_ID!;
const HUBSPOT = { Authorization: `Bearer ${process.env.HUBSPOT_TOKEN}`, 'Content-Type': 'application/json' };
const COUNTY_OWNER_EMAIL: Record<string, string> = { Kent: 'dan@brightside.solar', Surrey: 'amira@brightside.solar' };

async function ownerIds(): Promise<Record<string, string>> {
  const cached = await redis.get('solar-leads:owners');
  if (cached) return JSON.parse(cached);
  const res = await fetch('https://api.hubapi.com/crm/v3/owners?limit=100', { headers: HUBSPOT });
  if (!res.ok) throw new Error(`HubSpot owners ${res.status}`);
  const { results } = (await res.json()) as { results: { id: string; email: string }[] };
  const byEmail = Object.fromEntries(results.map((o) => [o.email, o.id]));
  await redis.set('solar-leads:owners', JSON.stringify(byEmail), 'EX', 86400);
  return byEmail;
}

const field = (s: Submission, name: string) => {
  const a = Object.values(s.answers).find((x) => x.name === name)?.answer;
  return typeof a === 'object' ? Object.values(a).join(' ').trim() : a ?? '';
};

async function syncLeads(): Promise<void> {
  const since = new Date(Date.now() - 7 * 86400_000).toISOString().slice(0, 19).replace('T', ' ');
  const owners = await ownerIds();
  let upserted = 0;
  for (let offset = 0; ; offset += 100) {
    const params = new URLSearchParams({
      apiKey: process.env.JOTFORM_API_KEY!, offset: String(offset), limit: '100',
      filter: JSON.stringify({ 'created_at:gt': since }), orderby: 'created_at',
    });
    const res = await fetch(`https://eu-api.jotform.com/form/${FORM_ID}/submissions?${params}`);
    if (!res.ok) throw new Error(`Jotform ${res.status}`);
    const { content } = (await res.json()) as { content: Submission[] };
    const inputs = content.filter((s) => field(s, 'email')).map((s) => ({
      idProperty: 'email',
      id: field(s, 'email').toLowerCase(),
      properties: {
        firstname: field(s, 'name').split(' ')[0], phone: field(s, 'phone'), zip: field(s, 'postcode'),
        monthly_bill: field(s, 'monthlyBill'), hs_lead_status: 'NEW',
        hubspot_owner_id: owners[COUNTY_OWNER_EMAIL[field(s, 'county')] ?? ''] ?? '',
      },
    }));
    if (inputs.length) {
      const up = await fetch('https://api.hubapi.com/crm/v3/objects/contacts/batch/upsert', {
        method: 'POST', headers: HUBSPOT, body: JSON.stringify({ inputs }),
      });
      if (!up.ok) console.warn(`HubSpot upsert ${up.status}: ${await up.text()}`);
      else upserted += inputs.length;
    }
    if (content.length < 100) break;
  }
  await redis.set('solar-leads:last-run', JSON.stringify({ at: new Date().toISOString(), upserted }), 'EX', 7 * 86400);
}

cron.schedule('*/10 * * * *', () => {
  syncLeads().catch((err) => console.error('solar lead sync failed', err));
});
