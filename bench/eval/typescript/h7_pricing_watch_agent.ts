// Competitor pricing watch for Tidewater Analytics (product marketing).
// GitHub Actions runs `npx tsx scripts/pricing-watch.ts` every 6 hours (cron: '0 */6 * * *').
// For each competitor a small GPT-4o agent reads the public pricing page through the fetch_page
// tool and reports the plans and prices to #pm-competitors through the post_update tool.
import got from 'got';
import { convert } from 'html-to-text';
import OpenAI from 'openai';
import type { ChatCompletionMessageParam, ChatCompletionTool } from 'openai/resources/chat/completions';

const openai = new OpenAI();
const COMPETITORS = [
  { name: 'Metricfox', url: 'https://metricfox.io/pricing' },
  { name: 'Chartwell', url: 'https://www.chartwell.app/plans' },
  { name: 'Lumen BI', url: 'https://lumenbi.com/pricing' },
];

const tools: ChatCompletionTool[] = [
  {
    type: 'function',
    function: { name: 'fetch_page', description: 'Fetch a web page as plain text.', parameters: { type: 'object', properties: { url: { type: 'string' } }, required: ['url'] } },
  },
  {
    type: 'function',
    function: {
      name: 'post_update',
      description: 'Post the pricing summary of one competitor to the product-marketing channel.',
      parameters: { type: 'object', properties: { competitor: { type: 'string' }, summary: { type: 'string' } }, required: ['competitor', 'summary'] },
    },
  },
];

const handlers: Record<string, (args: any) => Promise<string>> = {
  async fetch_page({ url }) {
    const html = await got(url, { headers: { 'user-agent': 'Mozilla/5.0 (pricing-watch; +https://tidewater.ai)' }, timeout: { request: 20_000 } }).text();
    return convert(html, { wordwrap: false, selectors: [{ selector: 'a', options: { ignoreHref: true } }] }).slice(0, 12_000);
  },
  async post_update({ competitor, summary }) {
    const res = await fetch(process.env.SLACK_PM_WEBHOOK!, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ text: `*${competitor} pricing*\n${summary}` }),
    });
    return res.ok ? 'posted' : `slack error ${res.status}`;
  },
};

async function watch(competitor: { name: string; url: string }): Promise<void> {
  const messages: ChatCompletionMessageParam[] = [
    { role: 'system', content: 'You track SaaS competitors. Fetch the pricing page, then post one update listing every plan with its monthly price, seat limits and notable feature gates.' },
    { role: 'user', content: `Competitor: ${competitor.name}\nPricing page: ${competitor.url}` },
  ];
  for (let turn = 0; turn < 5; turn++) {
    const completion = await openai.chat.completions.create({ model: 'gpt-4o', messages, tools, temperature: 0.2 });
    const reply = completion.choices[0].message;
    messages.push(reply);
    if (!reply.tool_calls?.length) return;
    for (const call of reply.tool_calls) {
      const output = await handlers[call.function.name](JSON.parse(call.function.arguments));
      messages.push({ role: 'tool', tool_call_id: call.id, content: output });
    }
  }
}

for (const competitor of COMPETITORS) {
  try {
    await watch(competitor);
  } catch (err) {
    console.error(`pricing watch failed for ${competitor.name}`, err);
    process.exitCode = 1;
  }
}
