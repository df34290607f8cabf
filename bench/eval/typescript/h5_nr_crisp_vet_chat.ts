// Website chat bot for Riverside Vets (Crisp webhook -> POST /crisp, Express on Cloud Run, scales to
// zero). Answers visitors' questions with Mistral until a receptionist replies; "/pet cat" (or dog,
// rabbit...) tells the bot which animal the visitor has. node-redis marks conversations a human took over.
import express from 'express';
import Crisp from 'crisp-api';
import { Mistral } from '@mistralai/mistralai';
import { createClient } from 'redis';

const crisp = new Crisp();
crisp.authenticateTier('plugin', process.env.CRISP_IDENTIFIER!, process.env.CRISP_KEY!);
const mistral = new Mistral({ apiKey: process.env.MISTRAL_API_KEY! });
const redis = createClient({ url: process.env.REDIS_URL });
redis.on('error', (err) => console.error('redis', err));

const speciesBySession = new Map<string, string>();
const SPECIES = ['dog', 'cat', 'rabbit', 'guinea pig', 'bird', 'reptile'];
const BOT_NAME = 'Riverside assistant';

type CrispEvent = {
  event: string;
  data: {
    website_id: string; session_id: string; type: string; from: 'user' | 'operator'; content: string;
    user?: { nickname?: string };
  };
};

async function reply(websiteId: string, sessionId: string, content: string): Promise<void> {
  await crisp.website.sendMessageInConversation(websiteId, sessionId, {
    type: 'text', from: 'operator', origin: 'chat', content, user: { type: 'participant', nickname: BOT_NAME },
  });
}

const app = express();
app.use(express.json());

app.post('/crisp', async (req, res) => {
  res.sendStatus(200);
  const { event, data } = req.body as CrispEvent;
  if (event !== 'message:send' && event !== 'message:received') return;
  if (data.type !== 'text') return;

  const humanKey = `vetchat:human:${data.session_id}`;
  if (data.from === 'operator') {
    if (data.user?.nickname !== BOT_NAME) await redis.set(humanKey, '1', { EX: 4 * 3600 });
    return;
  }
  if (await redis.exists(humanKey)) return;

  const command = /^\/pet\s+(.+)$/i.exec(data.content.trim());
  if (command) {
    const species = command[1].toLowerCase();
    if (!SPECIES.includes(species)) return reply(data.website_id, data.session_id, `I know about: ${SPECIES.join(', ')}.`);
    speciesBySession.set(data.session_id, species);
    return reply(data.website_id, data.session_id, `Thanks! I'll answer with your ${species} in mind.`);
  }

  const species = speciesBySession.get(data.session_id) ?? 'pet';
  try {
    const result = await mistral.chat.complete({
      model: 'mistral-small-latest',
      messages: [
        {
          role: 'system',
          content: `You are the website assistant of Riverside Vets (Norwich, open Mon-Sat 8:00-19:00, emergencies 01603 555 210). The visitor's animal: ${species}. Never diagnose; suggest booking when unsure.`,
        },
        { role: 'user', content: data.content },
      ],
    });
    const answer = result.choices?.[0]?.message.content;
    await reply(data.website_id, data.session_id, typeof answer === 'string' ? answer : 'Sorry, could you rephrase that?');
  } catch (err) {
    console.error(`crisp ${data.session_id}`, err);
  }
});

redis.connect().then(() => app.listen(Number(process.env.PORT ?? 8080)));
