// Go-live announcements for the Northbound Esports creator roster. A small worker on Fly.io asks
// Twitch every 2 minutes which roster channels are live and posts each new stream once to that
// creator's Discord. The stream is claimed in Redis (SET NX EX) before it is announced; the claim
// is released when Discord refuses the post, so the next tick tries again.
import { createClient } from 'redis';

type Creator = { login: string; webhook: string; role?: string };
type Stream = { id: string; user_login: string; user_name: string; game_name: string; title: string; thumbnail_url: string };

const ROSTER: Creator[] = [
  { login: 'mirawolfe', webhook: process.env.DISCORD_MIRA_WEBHOOK!, role: '1187720450931310632' },
  { login: 'tobyplaysbadly', webhook: process.env.DISCORD_TOBY_WEBHOOK! },
  { login: 'northbound_gg', webhook: process.env.DISCORD_TEAM_WEBHOOK!, role: '1187720450931310101' },
];
const redis = createClient({ url: process.env.REDIS_URL });
let appToken: { value: string; expiresAt: number } | null = null;

async function twitchToken(): Promise<string> {
  if (appToken && appToken.expiresAt > Date.now() + 60_000) return appToken.value;
  const params = new URLSearchParams({
    client_id: process.env.TWITCH_CLIENT_ID!,
    client_secret: process.env.TWITCH_CLIENT_SECRET!,
    grant_type: 'client_credentials',
  });
  const res = await fetch(`https://id.twitch.tv/oauth2/token?${params}`, { method: 'POST' });
  const body = (await res.json()) as { access_token: string; expires_in: number };
  appToken = { value: body.access_token, expiresAt: Date.now() + body.expires_in * 1000 };
  return appToken.value;
}

async function liveStreams(): Promise<Stream[]> {
  const query = ROSTER.map((c) => `user_login=${encodeURIComponent(c.login)}`).join('&');
  const res = await fetch(`https://api.twitch.tv/helix/streams?${query}`, {
    headers: { 'Client-Id': process.env.TWITCH_CLIENT_ID!, Authorization: `Bearer ${await twitchToken()}` },
  });
  if (!res.ok) throw new Error(`helix/streams ${res.status}`);
  return ((await res.json()) as { data: Stream[] }).data;
}

const claimKey = (stream: Stream) => `golive:announced:${stream.id}`;

async function claim(stream: Stream): Promise<boolean> {
  return (await redis.set(claimKey(stream), stream.user_login, { NX: true, EX: 2 * 86400 })) === 'OK';
}

async function tick(): Promise<void> {
  for (const stream of await liveStreams()) {
    const creator = ROSTER.find((c) => c.login === stream.user_login.toLowerCase());
    if (!creator || !(await claim(stream))) continue;
    try {
      const res = await fetch(creator.webhook, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify({
          content: creator.role ? `<@&${creator.role}> ${stream.user_name} is live!` : `${stream.user_name} is live!`,
          embeds: [{
            title: stream.title,
            url: `https://twitch.tv/${stream.user_login}`,
            description: stream.game_name,
            image: { url: stream.thumbnail_url.replace('{width}x{height}', '1280x720') },
          }],
        }),
      });
      if (!res.ok) throw new Error(`discord ${res.status}`);
    } catch (err) {
      await redis.del(claimKey(stream));
      console.error(`announce ${stream.user_login} failed`, err);
    }
  }
}

redis.connect().then(() => {
  tick().catch(console.error);
  setInterval(() => tick().catch(console.error), 2 * 60 * 1000);
});
