// Discord bot (discord.js v14, gateway connection): a Spanish conversation partner in the
// #practica channel. Learners pick a level with `!nivel B1`; every other message gets a reply
// from GPT at that level. Memory already guards both sites: the level lives in a per-user hash
// with an expiry, and each learner's last turns are kept with rPush / lTrim / expire.
const { Client, Events, GatewayIntentBits } = require('discord.js');
const { createClient } = require('redis');
const OpenAI = require('openai');

const discord = new Client({
  intents: [GatewayIntentBits.Guilds, GatewayIntentBits.GuildMessages, GatewayIntentBits.MessageContent],
});
const redis = createClient({ url: process.env.REDIS_URL });
const openai = new OpenAI();

const LEVELS = ['A1', 'A2', 'B1', 'B2', 'C1', 'C2'];
const MAX_TURNS = 12;
const DAY = 24 * 3600;

async function setLevel(message, level) {
  const key = `tutor:prefs:${message.author.id}`;
  await redis.multi().hSet(key, 'level', level).expire(key, 90 * DAY).exec();
  await message.reply(`¡Perfecto! A partir de ahora hablamos a nivel ${level}.`);
}

async function converse(message) {
  const historyKey = `tutor:history:${message.channelId}:${message.author.id}`;
  const [level, history] = await Promise.all([
    redis.hGet(`tutor:prefs:${message.author.id}`, 'level'),
    redis.lRange(historyKey, 0, -1),
  ]);

  const completion = await openai.chat.completions.create({
    model: 'gpt-4o-mini',
    messages: [
      {
        role: 'system',
        content: `Eres un compañero de conversación amable. Habla solo en español de nivel ${level ?? 'A2'} (MCER) y corrige como mucho un error por mensaje, al final y entre paréntesis.`,
      },
      ...history.map((turn) => JSON.parse(turn)),
      { role: 'user', content: message.content },
    ],
  });
  const answer = completion.choices[0].message.content ?? '…';

  await redis
    .multi()
    .rPush(historyKey, [
      JSON.stringify({ role: 'user', content: message.content }),
      JSON.stringify({ role: 'assistant', content: answer }),
    ])
    .lTrim(historyKey, -MAX_TURNS * 2, -1)
    .expire(historyKey, DAY)
    .exec();
  await message.reply(answer.slice(0, 2000));
}

discord.on(Events.MessageCreate, async (message) => {
  if (message.author.bot || message.channel.name !== 'practica') return;
  try {
    const [command, arg] = message.content.trim().split(/\s+/);
    if (command === '!nivel') {
      const level = (arg ?? '').toUpperCase();
      if (!LEVELS.includes(level)) return void (await message.reply(`Niveles: ${LEVELS.join(', ')}`));
      await setLevel(message, level);
      return;
    }
    await message.channel.sendTyping();
    await converse(message);
  } catch (error) {
    console.error('tutor failed', error);
    await message.reply('Uy, algo ha fallado. ¿Lo intentas otra vez?');
  }
});

(async () => {
  await redis.connect();
  await discord.login(process.env.DISCORD_TOKEN);
})();
