"""Rules helper for the Meeple & Mug board game café Discord server.

Long-running discord.py bot (systemd unit `meeple-rules.service`, restarted on every deploy).
Guests at a table type `!rules <question>` in their table channel (the channel topic names the
game being played) or mention the bot; Claude answers from the café's house copy of the rulebook.
Follow-ups are the norm ("and with two players?", "what if the deck runs out?").
"""

import logging
import os
import pathlib

import anthropic
import discord
from discord.ext import commands

log = logging.getLogger("meeple-rules")
RULEBOOKS = pathlib.Path(os.environ.get("RULEBOOK_DIR", "/srv/meeple/rulebooks"))
MAX_REPLY = 1900  # Discord caps messages at 2000 characters

intents = discord.Intents.default()
intents.message_content = True
bot = commands.Bot(command_prefix="!", intents=intents)
claude = anthropic.AsyncAnthropic()


def rulebook_for(channel: discord.abc.Messageable) -> tuple[str, str]:
    game = (getattr(channel, "topic", None) or "").strip()
    path = RULEBOOKS / f"{game.lower().replace(' ', '-')}.md"
    return game, path.read_text(encoding="utf-8") if game and path.exists() else ""


async def answer_question(message: discord.Message, question: str) -> None:
    game, rules = rulebook_for(message.channel)
    system = ("You are the rules helper at Meeple & Mug, a board game café. Answer briefly and "
              "name the rulebook section you used. If the rulebook does not settle it, say so and "
              "suggest asking a staff member.")
    if rules:
        system += f"\n\nThe table is playing {game}. House rulebook:\n{rules[:60_000]}"

    async with message.channel.typing():
        try:
            response = await claude.messages.create(
                model="claude-3-5-sonnet-latest",
                max_tokens=700,
                system=system,
                messages=[{"role": "user", "content": f"{message.author.display_name}: {question}"}],
            )
        except anthropic.APIError as exc:
            log.warning("claude failed in #%s: %s", message.channel, exc)
            await message.reply("The rules helper is on a break, please wave at a staff member!")
            return

    text = "".join(block.text for block in response.content if block.type == "text")
    for start in range(0, len(text), MAX_REPLY):
        await message.reply(text[start:start + MAX_REPLY], mention_author=False)


@bot.command(name="rules")
async def rules_command(ctx: commands.Context, *, question: str) -> None:
    await answer_question(ctx.message, question)


@bot.event
async def on_message(message: discord.Message) -> None:
    if message.author.bot:
        return
    if bot.user in message.mentions and not message.content.startswith("!"):
        question = message.content.replace(bot.user.mention, "").strip()
        if question:
            await answer_question(message, question)
    await bot.process_commands(message)


if __name__ == "__main__":
    bot.run(os.environ["DISCORD_TOKEN"], log_handler=None)
