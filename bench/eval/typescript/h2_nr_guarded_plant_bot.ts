// Telegram bot (Telegraf, long polling) for a plant-care club: members set their time zone with
// /timezone and get a watering reminder at 08:00 local time. Memory already guards both sites.
import { Telegraf } from 'telegraf';
import { createClient } from 'redis';

const bot = new Telegraf(process.env.TELEGRAM_BOT_TOKEN!);
const redis = createClient({ url: process.env.REDIS_URL });
const NINETY_DAYS = 90 * 24 * 3600;

bot.command('timezone', async (ctx) => {
  const zone = ctx.message.text.split(/\s+/)[1];
  if (!zone || !Intl.supportedValuesOf('timeZone').includes(zone)) {
    await ctx.reply('Send a zone like /timezone Europe/Lisbon');
    return;
  }
  const key = `plantclub:prefs:${ctx.from.id}`;
  await redis.multi().hSet(key, { timezone: zone, chatId: String(ctx.chat.id) }).expire(key, NINETY_DAYS).exec();
  await ctx.reply(`Saved. Reminders will follow ${zone}.`);
});

function localClock(zone: string): { hour: number; day: string } {
  const parts = new Intl.DateTimeFormat('en-GB', {
    timeZone: zone,
    hourCycle: 'h23',
    hour: '2-digit',
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
  }).formatToParts(new Date());
  const get = (type: string) => parts.find((p) => p.type === type)?.value ?? '';
  return { hour: Number(get('hour')), day: `${get('year')}-${get('month')}-${get('day')}` };
}

async function remindDue(): Promise<void> {
  for await (const key of redis.scanIterator({ MATCH: 'plantclub:prefs:*', COUNT: 200 })) {
    const prefs = await redis.hGetAll(key);
    if (!prefs.timezone || !prefs.chatId) continue;
    const { hour, day } = localClock(prefs.timezone);
    if (hour !== 8) continue;
    const first = await redis.set(`plantclub:reminded:${prefs.chatId}:${day}`, '1', { NX: true, EX: 2 * 86400 });
    if (first !== 'OK') continue;
    await bot.telegram.sendMessage(prefs.chatId, '🌱 Good morning! Time to check which plants need water.');
  }
}

async function main(): Promise<void> {
  await redis.connect();
  setInterval(() => remindDue().catch(console.error), 10 * 60 * 1000);
  await bot.launch();
}

main();
