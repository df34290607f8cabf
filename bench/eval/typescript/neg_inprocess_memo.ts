// Express service computing delivery estimates. The Map is a per-process memo of a pure
// calculation and the counters are per-instance metrics: neither needs to survive a restart.
import express from 'express';

const app = express();
app.use(express.json());

const HOLIDAYS = new Set(['2025-12-25', '2025-12-26', '2026-01-01']);
const businessDaysMemo = new Map<string, string>();
const requestCounts = new Map<string, number>();

function addBusinessDays(start: string, days: number): string {
  const memoKey = `${start}+${days}`;
  const known = businessDaysMemo.get(memoKey);
  if (known) return known;
  const date = new Date(`${start}T00:00:00Z`);
  let added = 0;
  while (added < days) {
    date.setUTCDate(date.getUTCDate() + 1);
    const iso = date.toISOString().slice(0, 10);
    if (date.getUTCDay() !== 0 && date.getUTCDay() !== 6 && !HOLIDAYS.has(iso)) added++;
  }
  const result = date.toISOString().slice(0, 10);
  businessDaysMemo.set(memoKey, result);
  return result;
}

app.post('/estimate', (req, res) => {
  const { orderDate, service } = req.body as { orderDate: string; service: 'standard' | 'express' };
  requestCounts.set(service, (requestCounts.get(service) ?? 0) + 1);
  res.json({ deliveryDate: addBusinessDays(orderDate, service === 'express' ? 1 : 4) });
});

app.get('/metrics', (_req, res) => res.json(Object.fromEntries(requestCounts)));

app.listen(3000);
