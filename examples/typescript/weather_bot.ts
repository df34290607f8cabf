// Weather bot (ioredis, a serverless webhook handler behind a Telegram bot).
// The bot's adapter posts `/weather <city> [metric|imperial]` as a payload. Someone who asked for
// imperial once gets metric again next time: the choice is forgotten. The forecast lookup is
// already cached in Redis, so it gets no suggestion.
import Redis from 'ioredis';

const redis = new Redis(process.env.REDIS_URL ?? 'redis://127.0.0.1:6379');

const TELEGRAM_API = `https://api.telegram.org/bot${process.env.TELEGRAM_BOT_TOKEN}`;
const FORECAST_API = 'https://api.open-meteo.example/v1/forecast';

interface WeatherCommand {
  user_id: number;
  chat_id: number;
  city: string;
  units?: 'metric' | 'imperial';
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

export default async function handler(payload: WeatherCommand): Promise<void> {
  const units = payload.units ?? 'metric';
  await reply(payload.chat_id, `${payload.city}: ${await forecast(payload.city, units)}`);
}
