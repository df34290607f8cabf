// Hono service (Node, @hono/node-server) behind the CMS media library: POST /alt-text returns
// accessible alt text for a product photo. The editor calls it each time an image is opened.
import { serve } from '@hono/node-server';
import { Hono } from 'hono';
import OpenAI from 'openai';

const openai = new OpenAI();
const app = new Hono();

type AltTextRequest = { imageUrl: string; productName?: string; locale?: string };

const SYSTEM_PROMPT = [
  'You write alt text for product photos in an online furniture shop.',
  'One sentence, at most 125 characters, no "image of", mention colour and material when visible.',
].join(' ');

app.post('/alt-text', async (c) => {
  const { imageUrl, productName, locale = 'en' } = await c.req.json<AltTextRequest>();
  if (!imageUrl?.startsWith('https://')) {
    return c.json({ error: 'imageUrl must be an https URL' }, 400);
  }

  try {
    const completion = await openai.chat.completions.create({
      model: 'gpt-4o',
      temperature: 0,
      max_tokens: 60,
      messages: [
        { role: 'system', content: `${SYSTEM_PROMPT} Answer in ${locale}.` },
        {
          role: 'user',
          content: [
            { type: 'text', text: productName ? `Product: ${productName}` : 'Describe the product.' },
            { type: 'image_url', image_url: { url: imageUrl, detail: 'low' } },
          ],
        },
      ],
    });
    const altText = completion.choices[0].message.content?.trim() ?? '';
    return c.json({ altText, model: completion.model });
  } catch (error) {
    console.error('alt text failed', error);
    return c.json({ error: 'generation failed' }, 502);
  }
});

app.get('/healthz', (c) => c.text('ok'));

serve({ fetch: app.fetch, port: Number(process.env.PORT ?? 8787) });
