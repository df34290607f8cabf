// Spoke & Chain web chat (Express, POST /api/assistant): answers sizing and service questions with
// Claude, using the supplier catalogue for specs (cached in Redis for an hour) and the visitor's
// chosen store for workshop hours. Runs on Render as a long-lived web service.
import express from 'express';
import { createClient } from 'redis';
import Anthropic from '@anthropic-ai/sdk';

const STORES: Record<string, { name: string; workshop: string }> = {
  leith: { name: 'Leith', workshop: 'Tue-Sat 09:00-17:30' },
  bruntsfield: { name: 'Bruntsfield', workshop: 'Mon-Fri 08:30-18:00' },
  portobello: { name: 'Portobello', workshop: 'Wed-Sun 10:00-16:00' },
};

const client = createClient({ url: process.env.REDIS_URL });
client.on('error', (err) => console.error('redis', err));
const anthropic = new Anthropic();
const app = express();
app.use(express.json());

async function catalogueSpecs(sku: string): Promise<Record<string, string> | null> {
  const key = `assistant:specs:${sku}`;
  const cached = await client.get(key);
  if (cached) return JSON.parse(cached);
  const res = await fetch(`https://api.cyclesupply.example/v2/products/${encodeURIComponent(sku)}`, {
    headers: { 'x-api-key': process.env.CYCLESUPPLY_KEY! },
  });
  if (res.status === 404) return null;
  const { specifications } = (await res.json()) as { specifications: Record<string, string> };
  await client.set(key, JSON.stringify(specifications), { EX: 3600 });
  return specifications;
}

app.post('/api/assistant', async (req, res) => {
  const { visitorId, conversationId, message, sku } = req.body as {
    visitorId: string; conversationId: string; message: string; sku?: string;
  };
  if (!visitorId || !conversationId || !message) return res.status(400).json({ error: 'visitorId, conversationId and message are required' });

  const storeId = typeof req.body.preferredStore === 'string' ? req.body.preferredStore : 'leith';
  const store = STORES[storeId] ?? STORES.leith;
  const specs = sku ? await catalogueSpecs(sku) : null;

  try {
    const answer = await anthropic.messages.create({
      model: 'claude-3-5-sonnet-latest',
      max_tokens: 600,
      system: [
        `You help customers of Spoke & Chain, an Edinburgh bike shop. Their store is ${store.name}; workshop hours ${store.workshop}.`,
        specs ? `Specs of the bike they are viewing: ${JSON.stringify(specs)}` : '',
      ].join('\n'),
      messages: [{ role: 'user', content: message }],
    });
    const text = answer.content.flatMap((block) => (block.type === 'text' ? [block.text] : [])).join('');
    res.json({ conversationId, reply: text });
  } catch (err) {
    console.error(`assistant ${visitorId}/${conversationId}`, err);
    res.status(502).json({ error: 'The assistant is unavailable, please try again.' });
  }
});

async function start(): Promise<void> {
  await client.connect();
  app.listen(Number(process.env.PORT ?? 3000), () => console.log('assistant up'));
}

start();
