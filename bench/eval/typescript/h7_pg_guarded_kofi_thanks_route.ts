// app/api/kofi/route.ts: Ko-fi webhook for the Pixel Moth indie game studio (Next.js route handler on
// Vercel). Ko-fi POSTs a form field `data` with the JSON event for each donation, membership payment or
// shop order. Each transaction is recorded in Postgres first (primary key on the Ko-fi transaction id);
// only the request that inserts the row sends the thank-you email and the Discord shout-out, so
// redeliveries are acknowledged without sending anything. A failed email removes the row so Ko-fi retries.
import { Pool } from 'pg';
import { Resend } from 'resend';

export const runtime = 'nodejs';

type KofiEvent = {
  verification_token: string; message_id: string; kofi_transaction_id: string; timestamp: string;
  type: 'Donation' | 'Subscription' | 'Commission' | 'Shop Order';
  is_public: boolean; from_name: string; message: string | null; amount: string; currency: string; email: string;
  is_subscription_payment: boolean; is_first_subscription_payment: boolean; tier_name: string | null;
};

const pool = new Pool({ connectionString: process.env.DATABASE_URL, max: 3 });
const resend = new Resend(process.env.RESEND_API_KEY);

async function shoutOut(e: KofiEvent): Promise<void> {
  const what = e.type === 'Subscription' ? `joined the ${e.tier_name ?? 'supporter'} tier` : `bought us ${e.amount} ${e.currency} of coffee`;
  const res = await fetch(process.env.DISCORD_SUPPORTERS_WEBHOOK!, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ content: `:sparkles: **${e.from_name}** ${what}!${e.message ? `\n> ${e.message}` : ''}` }),
  });
  if (!res.ok) throw new Error(`Discord ${res.status}`);
}

export async function POST(req: Request): Promise<Response> {
  const raw = (await req.formData()).get('data');
  if (typeof raw !== 'string') return new Response('missing data', { status: 400 });
  const e = JSON.parse(raw) as KofiEvent;
  if (e.verification_token !== process.env.KOFI_VERIFICATION_TOKEN) return new Response('forbidden', { status: 403 });

  const { rowCount } = await pool.query(
    `INSERT INTO kofi_transactions (transaction_id, message_id, type, amount, currency, supporter_email, received_at)
     VALUES ($1, $2, $3, $4::numeric, $5, $6, $7)
     ON CONFLICT (transaction_id) DO NOTHING`,
    [e.kofi_transaction_id, e.message_id, e.type, e.amount, e.currency, e.email, e.timestamp],
  );
  if (rowCount === 0) return new Response('duplicate', { status: 200 });

  const renewal = e.is_subscription_payment && !e.is_first_subscription_payment;
  try {
    if (!renewal) {
      const { error } = await resend.emails.send({
        from: 'Pixel Moth <hello@pixelmoth.games>',
        to: e.email,
        subject: e.type === 'Shop Order' ? 'Your Pixel Moth order' : 'Thank you for supporting Pixel Moth',
        html: `<p>Hi ${e.from_name},</p><p>Thank you! Every coffee goes into the next devlog build.</p>`,
      });
      if (error) throw new Error(`Resend: ${error.message}`);
    }
  } catch (err) {
    await pool.query('DELETE FROM kofi_transactions WHERE transaction_id = $1', [e.kofi_transaction_id]);
    console.error(`kofi ${e.kofi_transaction_id} not thanked`, err);
    return new Response('retry later', { status: 500 });
  }
  if (e.is_public && !renewal) await shoutOut(e).catch((err) => console.warn('discord shout-out failed', err));
  return new Response('ok', { status: 200 });
}
