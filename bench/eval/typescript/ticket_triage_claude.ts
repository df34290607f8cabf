// Runs every 15 minutes: tags open Freshdesk tickets with a category chosen by Claude.
import Anthropic from '@anthropic-ai/sdk';

const anthropic = new Anthropic();
const FRESHDESK = `https://${process.env.FRESHDESK_DOMAIN}.freshdesk.com/api/v2`;
const headers = { Authorization: `Basic ${Buffer.from(`${process.env.FRESHDESK_KEY}:X`).toString('base64')}`, 'Content-Type': 'application/json' };

type Ticket = { id: number; subject: string; description_text: string };

async function categorize(ticket: Ticket): Promise<string> {
  const message = await anthropic.messages.create({
    model: 'claude-3-5-haiku-latest',
    max_tokens: 5,
    temperature: 0,
    system: 'Classify the support ticket. Reply with exactly one word: billing, bug, howto or other.',
    messages: [{ role: 'user', content: `${ticket.subject}\n\n${ticket.description_text}` }],
  });
  const block = message.content[0];
  return block.type === 'text' ? block.text.trim().toLowerCase() : 'other';
}

async function main(): Promise<void> {
  const tickets: Ticket[] = await (await fetch(`${FRESHDESK}/tickets?filter=new_and_my_open&include=description`, { headers })).json();
  for (const ticket of tickets) {
    const category = await categorize(ticket);
    await fetch(`${FRESHDESK}/tickets/${ticket.id}`, { method: 'PUT', headers, body: JSON.stringify({ tags: [category] }) });
  }
}

main();
