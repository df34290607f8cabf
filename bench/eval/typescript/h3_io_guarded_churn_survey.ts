// Worker (long-running container, node-cron every 10 minutes): reads new Paddle Billing events and
// emails a short exit survey to each customer whose subscription was canceled. Memory already
// guards both sites: the event cursor is stored between runs, and each survey is claimed with
// SET NX EX before it is sent.
import cron from 'node-cron';
import Redis from 'ioredis';
import { Resend } from 'resend';

const redis = new Redis(process.env.REDIS_URL!);
const resend = new Resend(process.env.RESEND_API_KEY);
const PADDLE = 'https://api.paddle.com';
const CURSOR_KEY = 'churn-survey:events:after';
const THIRTY_DAYS = 30 * 24 * 3600;

interface PaddleEvent {
  event_id: string;
  event_type: string;
  occurred_at: string;
  data: { id: string; customer_id: string; canceled_at: string | null };
}

interface EventPage {
  data: PaddleEvent[];
  meta: { pagination: { has_more: boolean; per_page: number } };
}

async function paddle<T>(path: string): Promise<T> {
  const res = await fetch(`${PADDLE}${path}`, {
    headers: { authorization: `Bearer ${process.env.PADDLE_API_KEY}` },
  });
  if (!res.ok) throw new Error(`Paddle ${path}: HTTP ${res.status}`);
  return (await res.json()) as T;
}

async function sendSurvey(event: PaddleEvent): Promise<void> {
  const claim = await redis.set(`churn-survey:sent:${event.data.id}`, event.event_id, 'EX', THIRTY_DAYS, 'NX');
  if (claim !== 'OK') return;

  const { data: customer } = await paddle<{ data: { email: string; name: string | null } }>(
    `/customers/${event.data.customer_id}`,
  );
  await resend.emails.send({
    from: 'Marta at Inkwell <marta@inkwell.studio>',
    to: customer.email,
    subject: 'One question before you go',
    html: `<p>Hi ${customer.name ?? 'there'},</p><p>Sorry to see you cancel. Would you tell us why in
      <a href="https://inkwell.studio/exit-survey?s=${event.data.id}">one click</a>?</p><p>Marta</p>`,
  });
}

async function drainEvents(): Promise<number> {
  let after = await redis.get(CURSOR_KEY);
  let handled = 0;
  for (;;) {
    const query = new URLSearchParams({ per_page: '100', ...(after ? { after } : {}) });
    const page = await paddle<EventPage>(`/events?${query}`);
    for (const event of page.data) {
      if (event.event_type === 'subscription.canceled') await sendSurvey(event);
      after = event.event_id;
      handled += 1;
    }
    if (after) await redis.set(CURSOR_KEY, after, 'EX', THIRTY_DAYS);
    if (!page.meta.pagination.has_more) return handled;
  }
}

cron.schedule('*/10 * * * *', () => {
  drainEvents()
    .then((n) => console.log(`churn-survey: ${n} events handled`))
    .catch((error) => console.error('churn-survey failed', error));
});
