"""Telegram bot: next buses at your home stop, from the TfL Unified API.

  /home 490008660N   sets your home stop
  /next              next arrivals at your home stop (or /next <stop id> for another one)

Runs with long polling as a systemd service on the Raspberry Pi (python tfl_arrivals_bot.py).
"""

import os

import httpx
from telegram import Update
from telegram.ext import Application, CommandHandler, ContextTypes

TFL_ARRIVALS = "https://api.tfl.gov.uk/StopPoint/{stop}/Arrivals"
DEFAULT_STOP = "490008660N"  # Oxford Circus


async def set_home(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    if not context.args:
        await update.message.reply_text("Usage: /home <stop id>, e.g. /home 490008660N")
        return
    context.user_data["home_stop"] = context.args[0].upper()
    await update.message.reply_text(f"Home stop set to {context.user_data['home_stop']}.")


async def next_buses(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    stop = context.args[0].upper() if context.args else context.user_data.get("home_stop", DEFAULT_STOP)
    async with httpx.AsyncClient(timeout=10) as client:
        resp = await client.get(TFL_ARRIVALS.format(stop=stop), params={"app_key": os.environ["TFL_APP_KEY"]})
    if resp.status_code == 404:
        await update.message.reply_text(f"Unknown stop {stop}.")
        return

    arrivals = sorted(resp.json(), key=lambda a: a["timeToStation"])[:6]
    if not arrivals:
        await update.message.reply_text("No buses due in the next 30 minutes.")
        return
    lines = [f"{a['lineName']} → {a['destinationName']}: {a['timeToStation'] // 60} min" for a in arrivals]
    await update.message.reply_text(f"{arrivals[0]['stationName']}\n" + "\n".join(lines))


def main() -> None:
    app = Application.builder().token(os.environ["TELEGRAM_BOT_TOKEN"]).build()
    app.add_handler(CommandHandler("home", set_home))
    app.add_handler(CommandHandler("next", next_buses))
    app.run_polling()


if __name__ == "__main__":
    main()
