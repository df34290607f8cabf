"""Telegram bot webhook: answers with today's public holidays for the user's country."""

import os

import httpx
from codewords_client import run_service
from fastapi import FastAPI, Request

app = FastAPI(title="Holiday bot")
TELEGRAM_API = f"https://api.telegram.org/bot{os.environ['TELEGRAM_BOT_TOKEN']}"


async def reply(chat_id: int, text: str) -> None:
    async with httpx.AsyncClient(timeout=10) as client:
        await client.post(f"{TELEGRAM_API}/sendMessage", json={"chat_id": chat_id, "text": text})


@app.post("/telegram/webhook")
async def telegram_webhook(request: Request) -> dict:
    update = await request.json()
    message = update.get("message") or {}
    chat_id = message["chat"]["id"]
    text = (message.get("text") or "").strip()

    if text.startswith("/country"):
        country = text.removeprefix("/country").strip().upper() or "US"
        await reply(chat_id, f"Got it, I'll use {country} holidays.")
        return {"ok": True}

    country = "US"
    async with httpx.AsyncClient(timeout=10) as client:
        holidays = (await client.get(f"https://date.nager.at/api/v3/NextPublicHolidays/{country}")).json()
    upcoming = "\n".join(f"{h['date']}: {h['localName']}" for h in holidays[:5])
    await reply(chat_id, f"Next holidays in {country}:\n{upcoming}")
    return {"ok": True}


if __name__ == "__main__":
    run_service(app)
