// Weather bot on Telegram (ioredis, a webhook handler).
// Answers "/weather <city>". A user can say "/units imperial", but the bot forgets it with the
// next message. The forecast lookup is already cached in Redis, so it gets no suggestion.
import Redis from 'ioredis';

const redis = new Redis(process.env.REDIS_URL ?? 'redis://127.0.0.1:6379');

const TELEGRAM_API = `https://api.telegram.org/bot${process.env.TELEGRAM_BOT_TOKEN}`;
const FORECAST_API = 'https://api.open-meteo.example/v1/forecast';

interface TelegramUpdate {
  message: { chat: { id: number }; from: { id: number }; text: string };
}

async function reply(chatId: number, text: string): Promise<void> {
  await fetch(`${TELEGRAM_API}/sendMessage`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ chat_id: chatId, text }),
  });
}

async function forecast(city: string, units: string): Promise<string> {
  const cacheKey = `weather-bot:forecast:${city.toLowerCase()}:${units}`;
  const cached = await redis.get(cacheKey);
  if (cached) return cached;
  const response = await fetch(`${FORECAST_API}?city=${encodeURIComponent(city)}&units=${units}`);
  const summary = ((await response.json()) as { summary: string }).summary;
  await redis.set(cacheKey, summary, 'EX', 30 * 60);
  return summary;
}

export async function handleUpdate(update: TelegramUpdate): Promise<void> {
  const chatId = update.message.chat.id;
  const text = update.message.text.trim();
  let units = 'metric';
  if (text.startsWith('/units ')) {
    units = text.slice('/units '.length) === 'imperial' ? 'imperial' : 'metric';
    await reply(chatId, `OK, ${units} units from now on.`);
    return;
  }
  if (text.startsWith('/weather ')) {
    const city = text.slice('/weather '.length);
    await reply(chatId, `${city}: ${await forecast(city, units)}`);
  }
}
