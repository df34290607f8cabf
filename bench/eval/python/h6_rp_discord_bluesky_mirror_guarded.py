"""Mirrors the Riverside Roller Derby Bluesky account into the league Discord's #announcements.

discord.py bot (`python -m derby_bot`), in a container that is redeployed several times a week.
Every 5 minutes a task loop reads the account's latest posts from the public Bluesky AppView and
posts the ones newer than the last mirrored post, oldest first. The last mirrored post's
indexedAt is kept in Redis (30 days) and compared before anything is posted, so a restart or a
redeploy does not post the feed again.
"""

import asyncio
import os

import aiohttp
import discord
from discord.ext import commands, tasks
from redis.asyncio import Redis

AUTHOR_FEED = "https://public.api.bsky.app/xrpc/app.bsky.feed.getAuthorFeed"
HANDLE = "riversiderollerderby.bsky.social"
CHANNEL_ID = int(os.environ["ANNOUNCEMENTS_CHANNEL_ID"])
LAST_SEEN = "derby-bot:bsky:last-indexed-at"


class BlueskyMirror(commands.Cog):
    def __init__(self, bot: commands.Bot, redis: Redis, http: aiohttp.ClientSession):
        self.bot, self.redis, self.http = bot, redis, http
        self.poll.start()

    async def cog_unload(self) -> None:
        self.poll.cancel()

    @tasks.loop(minutes=5)
    async def poll(self) -> None:
        last_seen = await self.redis.get(LAST_SEEN)
        params = {"actor": HANDLE, "limit": 25, "filter": "posts_no_replies"}
        try:
            async with self.http.get(AUTHOR_FEED, params=params) as resp:
                resp.raise_for_status()
                feed = (await resp.json())["feed"]
        except aiohttp.ClientError as exc:
            print(f"bluesky poll failed, retrying next tick: {exc!r}")
            return
        posts = sorted((item["post"] for item in feed if "reason" not in item), key=lambda p: p["indexedAt"])
        if last_seen is None:
            posts = posts[-1:]  # first run ever: start from the newest post, not the back catalogue
        fresh = [p for p in posts if last_seen is None or p["indexedAt"] > last_seen]
        channel = self.bot.get_channel(CHANNEL_ID)
        for post in fresh:
            rkey = post["uri"].rsplit("/", 1)[-1]
            await channel.send(f"{post['record']['text']}\nhttps://bsky.app/profile/{HANDLE}/post/{rkey}")
            await self.redis.set(LAST_SEEN, post["indexedAt"], ex=30 * 86400)

    @poll.before_loop
    async def wait_for_login(self) -> None:
        await self.bot.wait_until_ready()


async def main() -> None:
    bot = commands.Bot(command_prefix="!", intents=discord.Intents.default())
    redis = Redis.from_url(os.environ["REDIS_URL"], decode_responses=True)
    async with bot, aiohttp.ClientSession(timeout=aiohttp.ClientTimeout(total=20)) as http:
        await bot.add_cog(BlueskyMirror(bot, redis, http))
        await bot.start(os.environ["DISCORD_TOKEN"])


if __name__ == "__main__":
    asyncio.run(main())

