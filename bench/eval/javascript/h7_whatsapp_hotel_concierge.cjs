// WhatsApp concierge for the Saltmarsh Inn (Express on Render, web service that sleeps when idle).
// Twilio calls POST /whatsapp for every guest message; the bot answers from the inn's house facts
// (reloaded from the Google Sheet every 30 minutes) and hands the guest to the front desk on request.
const express = require('express');
const twilio = require('twilio');
const OpenAI = require('openai');

const app = express();
app.use(express.urlencoded({ extended: false }));
const openai = new OpenAI();
const SHEET_CSV = `https://docs.google.com/spreadsheets/d/${process.env.FACTS_SHEET_ID}/export?format=csv`;

let houseFacts = '';
async function reloadFacts() {
  try {
    const res = await fetch(SHEET_CSV);
    if (res.ok) houseFacts = (await res.text()).trim();
  } catch (err) {
    console.warn('facts sheet not reloaded', err.message);
  }
}
reloadFacts();
setInterval(reloadFacts, 30 * 60 * 1000);

// At most 12 messages per guest per 10 minutes, per instance (protects the OpenAI bill from loops).
const recent = new Map();
function overLimit(phone) {
  const now = Date.now();
  const hits = (recent.get(phone) || []).filter((t) => now - t < 10 * 60 * 1000);
  hits.push(now);
  recent.set(phone, hits);
  return hits.length > 12;
}

async function handToFrontDesk(phone, profileName, text) {
  await fetch(process.env.SLACK_FRONT_DESK_WEBHOOK, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ text: `:bellhop_bell: ${profileName || phone} asks for a person on WhatsApp: "${text}"` }),
  });
}

app.post('/whatsapp', twilio.webhook({ url: `${process.env.PUBLIC_URL}/whatsapp` }), async (req, res) => {
  const phone = req.body.From; // "whatsapp:+44..."
  const text = (req.body.Body || '').trim();
  const twiml = new twilio.twiml.MessagingResponse();

  if (overLimit(phone)) {
    twiml.message('Thanks! Give us a moment - the front desk will pick this up.');
  } else if (/\b(human|person|reception|front desk)\b/i.test(text)) {
    await handToFrontDesk(phone, req.body.ProfileName, text);
    twiml.message('I have asked the front desk to message you here. They are usually quick!');
  } else {
    const completion = await openai.chat.completions.create({
      model: 'gpt-4o-mini',
      temperature: 0.4,
      max_tokens: 300,
      messages: [
        { role: 'system', content: `You are the Saltmarsh Inn's WhatsApp concierge. Answer briefly and warmly, only from these facts; if unsure, offer to fetch the front desk.\n\n${houseFacts}` },
        { role: 'user', content: text },
      ],
    });
    twiml.message(completion.choices[0].message.content || 'Sorry, could you say that again?');
  }
  res.type('text/xml').send(twiml.toString());
});

app.listen(Number(process.env.PORT) || 3000, () => console.log('concierge listening'));
