// Lantern Keep community bot (discord.js, ESM, `node bot.mjs` under pm2): every 10 minutes posts the
// game's latest Steam news to #patch-notes, and answers players in #help-desk threads with GPT.
import { Client, EmbedBuilder, Events, GatewayIntentBits } from 'discord.js';
import OpenAI from 'openai';

const APP_ID = 2183900;
const PATCH_CHANNEL = process.env.PATCH_NOTES_CHANNEL_ID;
const HELP_FORUM = process.env.HELP_DESK_FORUM_ID;
const openai = new OpenAI();
const client = new Client({
  intents: [GatewayIntentBits.Guilds, GatewayIntentBits.GuildMessages, GatewayIntentBits.MessageContent],
});

async function latestNews() {
  const url = `https://api.steampowered.com/ISteamNews/GetNewsForApp/v2/?appid=${APP_ID}&count=5&maxlength=400&format=json`;
  const res = await fetch(url);
  if (!res.ok) throw new Error(`Steam news ${res.status}`);
  const { appnews } = await res.json();
  return appnews.newsitems.filter((item) => item.feedlabel === 'Community Announcements');
}

async function postPatchNotes() {
  const channel = await client.channels.fetch(PATCH_CHANNEL);
  for (const item of await latestNews()) {
    const embed = new EmbedBuilder()
      .setTitle(item.title)
      .setURL(item.url)
      .setDescription(item.contents.replace(/\[\/?[^\]]+\]/g, ''))
      .setTimestamp(item.date * 1000)
      .setColor(0xe0a030);
    await channel.send({ embeds: [embed] });
  }
}

client.on(Events.MessageCreate, async (message) => {
  if (message.author.bot || !message.channel.isThread() || message.channel.parentId !== HELP_FORUM) return;
  await message.channel.sendTyping();
  try {
    const completion = await openai.chat.completions.create({
      model: 'gpt-4o-mini',
      messages: [
        { role: 'system', content: 'You are the Lantern Keep help bot. Answer questions about the game, its controls and known bugs. If unsure, say a moderator will follow up.' },
        { role: 'user', content: message.content },
      ],
    });
    await message.reply(completion.choices[0].message.content.slice(0, 1900));
  } catch (err) {
    console.error('help reply failed', err);
  }
});

client.once(Events.ClientReady, (ready) => {
  console.log(`logged in as ${ready.user.tag}`);
  const tick = () => postPatchNotes().catch((err) => console.error('patch notes failed', err));
  tick();
  setInterval(tick, 10 * 60 * 1000);
});

await client.login(process.env.DISCORD_TOKEN);
