// app/api/chat/route.ts — "Ask the brewer" chat on the Hop & Barley homebrew shop (Next.js App Router).
// The widget uses the AI SDK's useChat hook, which keeps the conversation in the browser and posts the
// whole message list with every turn; this route only streams the next reply. A tool looks up live
// stock and price in the shop's own catalogue API so recipes only suggest ingredients we can ship.
import { openai } from '@ai-sdk/openai';
import { convertToCoreMessages, streamText, tool, type Message } from 'ai';
import { z } from 'zod';

export const maxDuration = 30;

const CATALOGUE = process.env.CATALOGUE_API_URL ?? 'https://hopandbarley.co.uk/api/catalogue';

const SYSTEM = `You are the head brewer at Hop & Barley, a homebrew supply shop.
Help customers plan all-grain and extract recipes, fix off-flavours and choose yeast.
Use metric units. Only recommend ingredients that checkStock reports as in stock.`;

const checkStock = tool({
  description: 'Look up stock and price for an ingredient (malt, hop, yeast, adjunct) by name',
  parameters: z.object({ query: z.string().describe('ingredient name, e.g. "Citra" or "Maris Otter"') }),
  execute: async ({ query }) => {
    const res = await fetch(`${CATALOGUE}/search?${new URLSearchParams({ q: query, limit: '5' })}`, {
      headers: { 'x-api-key': process.env.CATALOGUE_API_KEY! },
    });
    if (!res.ok) return { error: `catalogue ${res.status}` };
    const { items } = (await res.json()) as { items: { sku: string; name: string; price: number; inStock: boolean }[] };
    return items.map(({ sku, name, price, inStock }) => ({ sku, name, price: `£${price.toFixed(2)}`, inStock }));
  },
});

export async function POST(req: Request) {
  const { id, messages }: { id: string; messages: Message[] } = await req.json();
  if (!Array.isArray(messages) || messages.length === 0) {
    return new Response('messages required', { status: 400 });
  }

  const result = streamText({
    model: openai('gpt-4o-mini'),
    system: SYSTEM,
    messages: convertToCoreMessages(messages.slice(-30)),
    tools: { checkStock },
    maxSteps: 3,
    temperature: 0.5,
    onFinish: ({ usage, finishReason }) => {
      console.log(JSON.stringify({ chat: id, turns: messages.length, finishReason, tokens: usage.totalTokens }));
    },
  });

  return result.toDataStreamResponse();
}
