// Cron (node-cron, Monday 08:00): emails each subscriber the week's top posts.
import cron from 'node-cron';
import nodemailer from 'nodemailer';
import Redis from 'ioredis';

const redis = new Redis(process.env.REDIS_URL!);
const transport = nodemailer.createTransport({
  host: process.env.SMTP_HOST,
  port: 587,
  auth: { user: process.env.SMTP_USER, pass: process.env.SMTP_PASS },
});

interface Subscriber {
  email: string;
  name: string;
}

async function loadSubscribers(): Promise<Subscriber[]> {
  const res = await fetch(`${process.env.CMS_URL}/api/subscribers?status=active`);
  return (await res.json()) as Subscriber[];
}

async function sendWeeklyDigest(): Promise<void> {
  const posts = await (await fetch(`${process.env.CMS_URL}/api/posts/top?days=7`)).json();
  const html = posts.map((p: { title: string; url: string }) => `<li><a href="${p.url}">${p.title}</a></li>`).join('');
  for (const subscriber of await loadSubscribers()) {
    await transport.sendMail({
      from: 'Weekly <digest@acme.dev>',
      to: subscriber.email,
      subject: `Your weekly digest, ${subscriber.name}`,
      html: `<ul>${html}</ul>`,
    });
  }
  await redis.set('digest:last-sent-at', new Date().toISOString());
}

cron.schedule('0 8 * * 1', () => {
  sendWeeklyDigest().catch((error) => console.error('digest failed', error));
});
