// Twilio Messaging webhook for Keepsafe Self Storage (Express on Render, POST /sms).
// Tenants text the office number with questions (gate hours, insurance, late fees) and Claude
// answers from the facility handbook. Texting "LANG es" switches the replies to Spanish.
import express from 'express';
import twilio from 'twilio';
import Anthropic from '@anthropic-ai/sdk';
import { readFileSync } from 'node:fs';

const app = express();
app.use(express.urlencoded({ extended: false }));

const anthropic = new Anthropic();
const sms = twilio(process.env.TWILIO_ACCOUNT_SID, process.env.TWILIO_AUTH_TOKEN);
const HANDBOOK = readFileSync(process.env.HANDBOOK_PATH ?? 'handbook.md', 'utf8');
const LANGUAGES: Record<string, string> = { en: 'English', es: 'Spanish', pl: 'Polish' };
const OPT_OUT = new Set(['STOP', 'STOPALL', 'UNSUBSCRIBE', 'CANCEL', 'END', 'QUIT']);

function parseLanguage(body: string): { language: string; question: string } {
  const match = /^LANG\s+([a-z]{2})\b\s*(.*)$/is.exec(body.trim());
  const code = match?.[1].toLowerCase();
  if (match && code && LANGUAGES[code]) {
    return { language: LANGUAGES[code], question: match[2].trim() };
  }
  return { language: 'English', question: body.trim() };
}

async function answer(question: string, language: string): Promise<string> {
  const msg = await anthropic.messages.create({
    model: 'claude-3-5-haiku-latest',
    max_tokens: 300,
    system: `You answer text messages from tenants of Keepsafe Self Storage. Reply in ${language}, in under 300 characters, using only this handbook. If the handbook does not say, ask them to call 0161 555 0142.\n\n${HANDBOOK}`,
    messages: [{ role: 'user', content: question }],
  });
  const block = msg.content[0];
  return block?.type === 'text' ? block.text : 'Sorry, please call the office on 0161 555 0142.';
}

app.post('/sms', twilio.webhook({ validate: process.env.NODE_ENV === 'production' }), async (req, res) => {
  const { From: from, To: to, Body: body = '' } = req.body as Record<string, string>;
  res.type('text/xml').send('<Response/>'); // acknowledge at once; the reply goes out through the REST API

  if (!body.trim() || OPT_OUT.has(body.trim().toUpperCase())) return;

  const { language, question } = parseLanguage(body);
  if (!question) {
    await sms.messages.create({ from: to, to: from, body: `Got it, I'll reply in ${language}.` });
    return;
  }

  try {
    const reply = await answer(question, language);
    await sms.messages.create({ from: to, to: from, body: reply });
  } catch (err) {
    console.error(`reply to ${from} failed`, err);
  }
});

app.listen(Number(process.env.PORT ?? 3000), () => console.log('sms assistant up'));
