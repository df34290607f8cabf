// Discord bot for the community server: answers questions with GPT, and lets members pick a reply language.
import { Client, Events, GatewayIntentBits } from 'discord.js';
import OpenAI from 'openai';

const discord = new Client({ intents: [GatewayIntentBits.Guilds, GatewayIntentBits.GuildMessages, GatewayIntentBits.MessageContent] });
const openai = new OpenAI({ apiKey: process.env.OPENAI_API_KEY });

discord.on(Events.MessageCreate, async (message) => {
  if (message.author.bot || !message.mentions.has(discord.user!)) return;
  const content = message.content.replace(/<@!?\d+>/g, '').trim();

  if (content.startsWith('!language ')) {
    const language = content.slice('!language '.length).trim();
    await message.reply(`Okay, I will answer in ${language}.`);
    return;
  }

  const completion = await openai.chat.completions.create({
    model: 'gpt-4o-mini',
    messages: [
      { role: 'system', content: 'You help members of the Acme developer community. Keep answers short.' },
      { role: 'user', content },
    ],
  });
  await message.reply(completion.choices[0].message.content ?? 'Sorry, I have no answer.');
});

discord.login(process.env.DISCORD_TOKEN);
