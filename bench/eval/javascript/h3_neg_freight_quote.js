// Freight quote API (Express, POST /quotes): validates a parcel request and prices it from the
// carrier rate card bundled with the service. Pure computation, no network calls. The postcode to
// zone lookup is memoised in a small in-process LRU (a Map) so hot routes skip the table scan.
const express = require('express');
const rateCard = require('./rate-card.json'); // { zones: [{ from: '10', to: '75', zone: 3 }], prices: { 3: { base, perKg } } }

const SERVICE_MULTIPLIER = { economy: 1, standard: 1.25, express: 1.9 };
const VOLUMETRIC_DIVISOR = 5000; // cm³ per kg
const MAX_WEIGHT_KG = 31.5;

class LruCache {
  constructor(limit) {
    this.limit = limit;
    this.map = new Map();
    this.hits = 0;
    this.misses = 0;
  }

  get(key) {
    if (!this.map.has(key)) {
      this.misses += 1;
      return undefined;
    }
    const value = this.map.get(key);
    this.map.delete(key);
    this.map.set(key, value);
    this.hits += 1;
    return value;
  }

  set(key, value) {
    this.map.delete(key);
    this.map.set(key, value);
    if (this.map.size > this.limit) this.map.delete(this.map.keys().next().value);
  }
}

const zoneCache = new LruCache(1000);

function zoneFor(from, to) {
  const key = `${from.slice(0, 2)}>${to.slice(0, 2)}`;
  const cached = zoneCache.get(key);
  if (cached !== undefined) return cached;
  const row = rateCard.zones.find((z) => z.from === from.slice(0, 2) && z.to === to.slice(0, 2));
  const zone = row ? row.zone : null;
  zoneCache.set(key, zone);
  return zone;
}

function validate(body) {
  const errors = [];
  for (const field of ['from', 'to']) {
    if (typeof body[field] !== 'string' || !/^\d{5}$/.test(body[field])) errors.push(`${field} must be a 5-digit postcode`);
  }
  for (const field of ['weightKg', 'lengthCm', 'widthCm', 'heightCm']) {
    if (!(Number(body[field]) > 0)) errors.push(`${field} must be a positive number`);
  }
  if (Number(body.weightKg) > MAX_WEIGHT_KG) errors.push(`weightKg above ${MAX_WEIGHT_KG} needs a pallet quote`);
  if (body.service !== undefined && !(body.service in SERVICE_MULTIPLIER)) errors.push('unknown service');
  return errors;
}

const app = express();
app.use(express.json({ limit: '10kb' }));

app.post('/quotes', (req, res) => {
  const errors = validate(req.body);
  if (errors.length) return res.status(422).json({ errors });

  const { from, to, weightKg, lengthCm, widthCm, heightCm, service = 'standard' } = req.body;
  const zone = zoneFor(from, to);
  if (zone === null) return res.status(422).json({ errors: [`no service from ${from} to ${to}`] });

  const chargeableKg = Math.ceil(Math.max(weightKg, (lengthCm * widthCm * heightCm) / VOLUMETRIC_DIVISOR));
  const { base, perKg } = rateCard.prices[zone];
  const total = (base + perKg * chargeableKg) * SERVICE_MULTIPLIER[service];
  res.json({ zone, service, chargeableKg, total: Math.round(total * 100) / 100, currency: 'EUR' });
});

app.get('/healthz', (req, res) => {
  res.json({ ok: true, zoneCache: { size: zoneCache.map.size, hits: zoneCache.hits, misses: zoneCache.misses } });
});

app.listen(process.env.PORT || 3000, () => console.log('freight quotes listening'));
