// Overdue-return texts for Anvil Tool Hire (4 depots). BullMQ worker process (ECS service): a job
// scheduler enqueues an "overdue-sweep" job at the top of every opening hour; the worker lists the
// rentals past their due-back time from the hire system's Postgres and texts each customer a
// reminder with the depot's number and the late fee so far. Redis here is only BullMQ's queue.
import { Queue, Worker, type Job } from 'bullmq';
import IORedis from 'ioredis';
import { Pool } from 'pg';
import twilio from 'twilio';

const connection = new IORedis(process.env.REDIS_URL!, { maxRetriesPerRequest: null });
const pool = new Pool({ connectionString: process.env.HIRE_DATABASE_URL });
const QUEUE = 'depot-jobs';

interface OverdueRental {
  rental_id: number;
  customer_name: string;
  mobile: string;
  item_name: string;
  depot_name: string;
  depot_phone: string;
  hours_late: number;
  daily_rate_pence: number;
}

class OverdueReminder {
  private readonly sms = twilio(process.env.TWILIO_ACCOUNT_SID, process.env.TWILIO_AUTH_TOKEN);

  async overdue(): Promise<OverdueRental[]> {
    const { rows } = await pool.query<OverdueRental>(
      `SELECT r.id AS rental_id, c.name AS customer_name, c.mobile, i.name AS item_name,
              d.name AS depot_name, d.phone AS depot_phone,
              floor(extract(epoch FROM now() - r.due_back) / 3600)::int AS hours_late, i.daily_rate_pence
         FROM rentals r JOIN customers c ON c.id = r.customer_id
         JOIN items i ON i.id = r.item_id JOIN depots d ON d.id = r.depot_id
        WHERE r.returned_at IS NULL AND r.due_back < now() AND c.mobile IS NOT NULL`,
    );
    return rows;
  }

  private lateFee(rental: OverdueRental): string {
    const days = Math.ceil(rental.hours_late / 24);
    return `£${((days * rental.daily_rate_pence) / 100).toFixed(2)}`;
  }

  async remind(rental: OverdueRental): Promise<void> {
    await this.sms.messages.create({
      messagingServiceSid: process.env.TWILIO_MESSAGING_SERVICE_SID,
      to: rental.mobile,
      body:
        `Hi ${rental.customer_name.split(' ')[0]}, the ${rental.item_name} from Anvil ${rental.depot_name} ` +
        `was due back ${rental.hours_late}h ago (late fee so far ${this.lateFee(rental)}). ` +
        `Need longer? Call ${rental.depot_phone}.`,
    });
  }
}

const reminder = new OverdueReminder();

async function processJob(job: Job): Promise<{ texted: number }> {
  if (job.name !== 'overdue-sweep') return { texted: 0 };
  const rentals = await reminder.overdue();
  let texted = 0;
  for (const rental of rentals) {
    await reminder.remind(rental);
    texted += 1;
    await job.updateProgress(Math.round((texted / rentals.length) * 100));
  }
  return { texted };
}

await new Queue(QUEUE, { connection }).upsertJobScheduler(
  'overdue-sweep',
  { pattern: '0 8-17 * * 1-6', tz: 'Europe/London' },
  { name: 'overdue-sweep' },
);
const worker = new Worker(QUEUE, processJob, { connection, concurrency: 1 });
worker.on('failed', (job, err) => console.error(`job ${job?.id} failed`, err));
