// Signup enrichment for Quillpad (team note-taking SaaS). Worker on Render (node-cron, hourly):
// reads today's new Stripe customers (every trial creates one), looks up each work-email domain in
// Clearbit's Company API (paid per call), has GPT score the company against our ICP and writes
// the result onto the Stripe customer's metadata; accounts scoring 80+ go to #sales-signups.
// Redis only keeps the worker from overlapping itself when a run is slow.
import Redis from 'ioredis';
import cron from 'node-cron';
import OpenAI from 'openai';
import Stripe from 'stripe';

const redis = new Redis(process.env.REDIS_URL!);
const stripe = new Stripe(process.env.STRIPE_SECRET_KEY!);
const openai = new OpenAI();
const FREEMAIL = new Set(['gmail.com', 'outlook.com', 'hotmail.com', 'yahoo.com', 'icloud.com', 'proton.me']);

type Company = { name: string; domain: string; category?: { industry?: string }; metrics?: { employees?: number; raised?: number }; geo?: { country?: string } };

async function companyFor(domain: string): Promise<Company | null> {
  const res = await fetch(`https://company.clearbit.com/v2/companies/find?domain=${encodeURIComponent(domain)}`, {
    headers: { Authorization: `Bearer ${process.env.CLEARBIT_KEY}` },
  });
  if (res.status === 404 || res.status === 202) return null; // unknown, or queued for lookup
  if (!res.ok) throw new Error(`Clearbit ${res.status}`);
  return (await res.json()) as Company;
}

async function icpScore(company: Company): Promise<number> {
  const completion = await openai.chat.completions.create({
    model: 'gpt-4o-mini',
    temperature: 0,
    response_format: { type: 'json_object' },
    messages: [
      { role: 'system', content: 'Score 0-100 how well a company fits: knowledge-heavy teams of 50-2000 people (agencies, consultancies, software). Answer {"score": n}.' },
      { role: 'user', content: JSON.stringify({ name: company.name, industry: company.category?.industry, employees: company.metrics?.employees, country: company.geo?.country }) },
    ],
  });
  return JSON.parse(completion.choices[0].message.content ?? '{}').score ?? 0;
}

async function enrichSignups(): Promise<void> {
  if (!(await redis.set('signup-enrich:lock', String(process.pid), 'EX', 3000, 'NX'))) return;
  try {
    const startOfToday = Math.floor(new Date().setUTCHours(0, 0, 0, 0) / 1000);
    for await (const customer of stripe.customers.list({ created: { gte: startOfToday }, limit: 100 })) {
      const domain = customer.email?.split('@')[1]?.toLowerCase();
      if (!domain || FREEMAIL.has(domain)) continue;
      const company = await companyFor(domain);
      if (!company) continue;
      const score = await icpScore(company);
      await stripe.customers.update(customer.id, {
        metadata: { company: company.name, employees: String(company.metrics?.employees ?? ''), icp_score: String(score) },
      });
      if (score >= 80) {
        await fetch(process.env.SLACK_SALES_SIGNUPS_WEBHOOK!, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ text: `:sparkles: ${customer.email} started a trial. ${company.name} (${company.metrics?.employees ?? '?'} people), ICP ${score}` }),
        });
      }
    }
  } finally {
    await redis.del('signup-enrich:lock');
  }
}

cron.schedule('5 * * * *', () => {
  enrichSignups().catch((err) => console.error('signup enrichment failed', err));
});
