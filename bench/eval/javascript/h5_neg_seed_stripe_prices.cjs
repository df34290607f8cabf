#!/usr/bin/env node
// One-off setup script, run by hand when the price book changes (never scheduled):
//   STRIPE_SECRET_KEY=sk_live_... node scripts/seed-stripe-prices.cjs pricing/2025.yaml [--dry-run]
// Creates the Stripe products and monthly/yearly prices listed in the YAML price book. A price whose
// lookup_key already exists with the same amount is left alone; a changed amount gets a new price that
// takes over the lookup_key. Prints one line per price.
const fs = require('node:fs');
const YAML = require('yaml');
const Stripe = require('stripe');

const [file, flag] = process.argv.slice(2);
if (!file) {
  console.error('usage: seed-stripe-prices.cjs <pricebook.yaml> [--dry-run]');
  process.exit(2);
}
const dryRun = flag === '--dry-run';
const stripe = new Stripe(process.env.STRIPE_SECRET_KEY);
const book = YAML.parse(fs.readFileSync(file, 'utf8')); // { currency: 'eur', plans: [{ id, name, prices: { month: 19, year: 190 } }] }

const productIds = new Map(); // plan id -> Stripe product id, for this run only

async function productFor(plan) {
  if (productIds.has(plan.id)) return productIds.get(plan.id);
  const found = await stripe.products.search({ query: `metadata['plan']:'${plan.id}' AND active:'true'` });
  const product = found.data[0] ?? (dryRun ? { id: '(new product)' } : await stripe.products.create({ name: plan.name, metadata: { plan: plan.id } }));
  productIds.set(plan.id, product.id);
  return product.id;
}

async function ensurePrice(plan, interval, unitAmount) {
  const lookupKey = `${plan.id}_${interval}_${book.currency}`;
  const { data } = await stripe.prices.list({ lookup_keys: [lookupKey], active: true, limit: 1 });
  const existing = data[0];
  if (existing && existing.unit_amount === unitAmount) return `${lookupKey}: unchanged`;

  const product = await productFor(plan);
  if (dryRun) return `${lookupKey}: would ${existing ? 'replace' : 'create'} at ${unitAmount} on ${product}`;
  await stripe.prices.create({
    product,
    currency: book.currency,
    unit_amount: unitAmount,
    recurring: { interval },
    lookup_key: lookupKey,
    transfer_lookup_key: true,
    tax_behavior: 'exclusive',
  });
  return `${lookupKey}: ${existing ? 'replaced' : 'created'} at ${unitAmount}`;
}

(async () => {
  for (const plan of book.plans) {
    for (const [interval, amount] of Object.entries(plan.prices)) {
      console.log(await ensurePrice(plan, interval, Math.round(amount * 100)));
    }
  }
})().catch((err) => {
  console.error(err.message);
  process.exit(1);
});
