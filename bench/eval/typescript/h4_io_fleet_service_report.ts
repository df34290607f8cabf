// Mondays 07:00 (GitHub Actions schedule -> `node dist/jobs/fleetServiceReport.js`): emails each depot
// manager the overdue service reminders for their vehicles, from Fleetio. The Redis client is created
// by the job runner and passed in; it holds a run lock and the last run's totals.
import Redis from 'ioredis';
import nodemailer, { type Transporter } from 'nodemailer';

type Reminder = {
  id: number;
  vehicle_name: string;
  vehicle_group_name: string;
  service_task_name: string;
  next_due_at: string | null;
  next_due_meter_value: number | null;
};

const DEPOT_MANAGERS: Record<string, string> = {
  'North Depot': 'r.okafor@tidewaylogistics.co.uk',
  'Thames Gateway': 'j.whitlock@tidewaylogistics.co.uk',
  Midlands: 'p.sandhu@tidewaylogistics.co.uk',
};

async function overdueReminders(): Promise<Reminder[]> {
  const all: Reminder[] = [];
  let cursor: string | null = null;
  do {
    const params = new URLSearchParams({ 'filter[service_reminder_status]': 'overdue', per_page: '100' });
    if (cursor) params.set('start_cursor', cursor);
    const res = await fetch(`https://secure.fleetio.com/api/v1/service_reminders?${params}`, {
      headers: { Authorization: `Token ${process.env.FLEETIO_API_KEY}`, 'Account-Token': process.env.FLEETIO_ACCOUNT! },
    });
    if (!res.ok) throw new Error(`Fleetio ${res.status}`);
    const page = (await res.json()) as { records: Reminder[]; next_cursor: string | null };
    all.push(...page.records);
    cursor = page.next_cursor;
  } while (cursor);
  return all;
}

export async function fleetServiceReport(redis: Redis, mailer: Transporter): Promise<void> {
  if (!(await redis.set('fleet-report:lock', '1', 'EX', 900, 'NX'))) return;

  const byDepot = new Map<string, Reminder[]>();
  for (const reminder of await overdueReminders()) {
    const list = byDepot.get(reminder.vehicle_group_name) ?? [];
    list.push(reminder);
    byDepot.set(reminder.vehicle_group_name, list);
  }

  for (const [depot, manager] of Object.entries(DEPOT_MANAGERS)) {
    const overdue = byDepot.get(depot) ?? [];
    if (overdue.length === 0) continue;
    const lines = overdue.map((r) => `- ${r.vehicle_name}: ${r.service_task_name} (due ${r.next_due_at?.slice(0, 10) ?? `at ${r.next_due_meter_value} mi`})`);
    await mailer.sendMail({
      from: 'fleet-bot@tidewaylogistics.co.uk',
      to: manager,
      subject: `${overdue.length} overdue services at ${depot}`,
      text: lines.join('\n'),
    });
  }
  await redis.hset('fleet-report:last-run', { at: new Date().toISOString(), depots: byDepot.size });
}

if (require.main === module) {
  const redis = new Redis(process.env.REDIS_URL!);
  const mailer = nodemailer.createTransport(process.env.SMTP_URL);
  fleetServiceReport(redis, mailer)
    .catch((err) => { console.error(err); process.exitCode = 1; })
    .finally(() => redis.quit());
}
