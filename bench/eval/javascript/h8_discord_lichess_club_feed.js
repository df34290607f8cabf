// #games feed for the Hackney Knights chess club Discord. discord.js v14 bot (one process on a
// Raspberry Pi, systemd restarts it after updates and power cuts). Every 15 minutes it asks Lichess for
// the rated games each member finished today and posts a result embed per game to the channel.
const { Client, EmbedBuilder, Events, GatewayIntentBits } = require('discord.js');

const MEMBERS = ['tal_fan_e8', 'hackneyrook', 'zugzwangzoe', 'pawnstorm77', 'londonsystem_len'];
const FEED_CHANNEL = process.env.GAMES_CHANNEL_ID;
const EVERY = 15 * 60 * 1000;

const client = new Client({ intents: [GatewayIntentBits.Guilds] });

function startOfToday() {
  const d = new Date();
  d.setHours(0, 0, 0, 0);
  return d.getTime();
}

async function finishedGames(username, since) {
  const url = new URL(`https://lichess.org/api/games/user/${username}`);
  url.search = new URLSearchParams({ since: String(since), rated: 'true', moves: 'false', max: '30' }).toString();
  const res = await fetch(url, {
    headers: { Accept: 'application/x-ndjson', Authorization: `Bearer ${process.env.LICHESS_TOKEN}` },
  });
  if (!res.ok) throw new Error(`lichess ${username}: ${res.status}`);
  const text = await res.text();
  return text.split('\n').filter(Boolean).map((line) => JSON.parse(line));
}

function resultEmbed(username, game) {
  const { white, black } = game.players;
  const side = white.user?.name?.toLowerCase() === username.toLowerCase() ? 'white' : 'black';
  const me = game.players[side];
  const outcome = !game.winner ? 'drew' : game.winner === side ? 'won' : 'lost';
  return new EmbedBuilder()
    .setTitle(`${username} ${outcome} (${game.speed})`)
    .setURL(`https://lichess.org/${game.id}`)
    .setDescription(`${white.user?.name ?? 'AI'} vs ${black.user?.name ?? 'AI'}, ${game.status}`)
    .setFooter({ text: `rating ${me.rating} (${me.ratingDiff >= 0 ? '+' : ''}${me.ratingDiff ?? 0})` })
    .setColor(outcome === 'won' ? 0x2ecc71 : outcome === 'lost' ? 0xe74c3c : 0x95a5a6);
}

async function pollGames(channel) {
  const since = startOfToday();
  for (const username of MEMBERS) {
    let games;
    try {
      games = await finishedGames(username, since);
    } catch (err) {
      console.warn(err.message);
      continue;
    }
    for (const game of games.reverse()) {
      await channel.send({ embeds: [resultEmbed(username, game)] });
    }
  }
}

client.once(Events.ClientReady, async (ready) => {
  console.log(`logged in as ${ready.user.tag}`);
  const channel = await ready.channels.fetch(FEED_CHANNEL);
  const tick = () => pollGames(channel).catch((err) => console.error('poll failed', err));
  tick();
  setInterval(tick, EVERY);
});

client.login(process.env.DISCORD_TOKEN);
