// api/cron/thank-buyers.mjs: Vercel cron route of the Lantern Zines shop (vercel.json:
// { "path": "/api/cron/thank-buyers", "schedule": "0 * * * *" }). Every hour it lists Gumroad
// sales made since yesterday and sends each buyer a personal thank-you email through Resend,
// with a download reminder and a discount code for the next issue.
import { Resend } from 'resend';

const resend = new Resend(process.env.RESEND_API_KEY);
const FROM = 'Mira at Lantern Zines <mira@lanternzines.com>';

function yesterday() {
  const d = new Date(Date.now() - 24 * 3600 * 1000);
  return d.toISOString().slice(0, 10); // Gumroad's `after` takes a YYYY-MM-DD date
}

async function* salesSince(after) {
  let pageKey;
  do {
    const params = new URLSearchParams({ access_token: process.env.GUMROAD_TOKEN, after });
    if (pageKey) params.set('page_key', pageKey);
    const res = await fetch(`https://api.gumroad.com/v2/sales?${params}`);
    const body = await res.json();
    if (!body.success) throw new Error(`Gumroad: ${body.message ?? res.status}`);
    yield* body.sales;
    pageKey = body.next_page_key;
  } while (pageKey);
}

function thankYouHtml(sale) {
  const name = sale.full_name?.split(' ')[0] || 'friend';
  return `<p>Hi ${name},</p>
<p>Thank you for picking up <b>${sale.product_name}</b>! Your download link is in your Gumroad library
any time you need it.</p>
<p>Use <b>NEXTISSUE15</b> for 15% off the next one.</p><p>— Mira</p>`;
}

export default async function handler(req, res) {
  if (req.headers.authorization !== `Bearer ${process.env.CRON_SECRET}`) {
    return res.status(401).end('unauthorized');
  }
  const after = yesterday();
  let sent = 0;
  for await (const sale of salesSince(after)) {
    if (sale.refunded || sale.chargedback || !sale.email) continue;
    const { error } = await resend.emails.send({
      from: FROM,
      to: sale.email,
      subject: `Thanks for buying ${sale.product_name}`,
      html: thankYouHtml(sale),
    });
    if (error) console.error(`thank-you for sale ${sale.id} failed`, error);
    else sent += 1;
  }
  res.status(200).json({ after, sent });
}
