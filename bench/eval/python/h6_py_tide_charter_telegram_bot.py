"""Deckhand: Telegram assistant for Saltmarsh Charters (fishing trips out of Poole Quay).

Long-polling bot (python-telegram-bot v21) run by systemd on the booking VPS; it is restarted on
every deploy and keeps no persistence. Customers ask about trips, tides and what to bring;
GPT-4o-mini answers and may call the get_tides tool, which asks WorldTides (paid, one credit per
request) for the day's high and low waters at the quay. `/units ft` or `/units m` picks how
heights are shown.
"""

import json
import os

import httpx
from openai import AsyncOpenAI
from telegram import Update
from telegram.ext import Application, CommandHandler, ContextTypes, MessageHandler, filters

openai = AsyncOpenAI()
WORLDTIDES_KEY = os.environ["WORLDTIDES_KEY"]
POOLE_QUAY = {"lat": 50.7089, "lon": -1.9873}
SYSTEM = ("You are Deckhand, the assistant of Saltmarsh Charters in Poole. Trips leave the quay two "
          "hours before high water and last five hours. Be brief and friendly; call get_tides for "
          "any question about tides or departure times.")
TOOLS = [{
    "type": "function",
    "function": {
        "name": "get_tides",
        "description": "High and low waters at Poole Quay for one day.",
        "parameters": {"type": "object", "required": ["day"],
                       "properties": {"day": {"type": "string", "description": "YYYY-MM-DD"}}},
    },
}]


async def get_tides(day: str, units: str) -> str:
    async with httpx.AsyncClient(timeout=15) as client:
        resp = await client.get("https://www.worldtides.info/api/v3", params={
            "extremes": "", "date": day, "days": 1, "datum": "CD", "key": WORLDTIDES_KEY, **POOLE_QUAY,
        })
    resp.raise_for_status()
    factor = 3.281 if units == "ft" else 1.0
    return json.dumps([
        {"time": e["date"], "type": e["type"], "height": round(e["height"] * factor, 1), "units": units}
        for e in resp.json()["extremes"]
    ])


async def set_units(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    choice = (context.args[0] if context.args else "").lower()
    if choice not in ("m", "ft"):
        await update.message.reply_text("Use /units m or /units ft")
        return
    context.user_data["units"] = choice
    await update.message.reply_text(f"Tide heights will be shown in {choice}.")


async def answer(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    units = context.user_data.get("units", "m")
    messages = [{"role": "system", "content": SYSTEM},
                {"role": "user", "content": update.message.text}]
    await update.message.chat.send_action("typing")
    for _ in range(3):
        completion = await openai.chat.completions.create(
            model="gpt-4o-mini", messages=messages, tools=TOOLS, temperature=0.4,
        )
        reply = completion.choices[0].message
        if not reply.tool_calls:
            await update.message.reply_text(reply.content)
            return
        messages.append(reply)
        for call in reply.tool_calls:
            day = json.loads(call.function.arguments)["day"]
            messages.append({"role": "tool", "tool_call_id": call.id, "content": await get_tides(day, units)})
    await update.message.reply_text("Sorry, I couldn't work that out. Call us on 01202 000111.")


def main() -> None:
    app = Application.builder().token(os.environ["TELEGRAM_BOT_TOKEN"]).build()
    app.add_handler(CommandHandler("units", set_units))
    app.add_handler(MessageHandler(filters.TEXT & ~filters.COMMAND, answer))
    app.run_polling()


if __name__ == "__main__":
    main()
