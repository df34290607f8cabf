// Fastify chat endpoint: keeps the last turns per session in Redis already.
import Fastify from 'fastify';
import Redis from 'ioredis';
import OpenAI from 'openai';

const redis = new Redis(process.env.REDIS_URL!);
const openai = new OpenAI();
const server = Fastify({ logger: true });
const HISTORY_TURNS = 20;

type Turn = { role: 'user' | 'assistant'; content: string };

server.post<{ Body: { sessionId: string; message: string } }>('/chat', async (request) => {
  const { sessionId, message } = request.body;
  const key = `chat:history:${sessionId}`;
  const history: Turn[] = (await redis.lrange(key, -HISTORY_TURNS, -1)).map((raw) => JSON.parse(raw));

  const completion = await openai.chat.completions.create({
    model: 'gpt-4o-mini',
    messages: [{ role: 'system', content: 'You are a helpful booking assistant.' }, ...history, { role: 'user', content: message }],
  });
  const answer = completion.choices[0].message.content ?? '';

  await redis
    .multi()
    .rpush(key, JSON.stringify({ role: 'user', content: message }), JSON.stringify({ role: 'assistant', content: answer }))
    .ltrim(key, -HISTORY_TURNS, -1)
    .expire(key, 24 * 3600)
    .exec();
  return { answer };
});

server.listen({ port: 8080, host: '0.0.0.0' });
