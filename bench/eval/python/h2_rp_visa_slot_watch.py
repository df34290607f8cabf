#!/usr/bin/env python3
"""Watches the consulate's booking page and tells subscribers on Telegram when visa slots open.

Cron: */5 * * * *  /opt/slot-watch/.venv/bin/python visa_slot_watch.py
Subscribers are added by the /subscribe command of the bot and kept in a Redis set.
"""

import os
import sys

import redis
import requests
from bs4 import BeautifulSoup

r = redis.Redis.from_url(os.environ["REDIS_URL"], decode_responses=True)
BOT_API = f"https://api.telegram.org/bot{os.environ['TELEGRAM_BOT_TOKEN']}"
BOOKING_URL = os.environ.get("BOOKING_URL", "https://appointments.consulate-lisbon.example/schengen/book")
NO_SLOTS = "no appointments are currently available"


def open_dates(html: str) -> list[str]:
    soup = BeautifulSoup(html, "html.parser")
    if NO_SLOTS in soup.get_text(" ").lower():
        return []
    return sorted(cell["data-date"] for cell in soup.select("td.day.available[data-date]"))


def main() -> int:
    resp = requests.get(BOOKING_URL, headers={"User-Agent": "Mozilla/5.0 (slot-watch)"}, timeout=20)
    if resp.status_code != 200:
        print(f"booking page returned HTTP {resp.status_code}", file=sys.stderr)
        return 1

    dates = open_dates(resp.text)
    if not dates:
        print("no slots")
        return 0

    text = f"Visa appointments available on {', '.join(dates[:8])}\nBook now: {BOOKING_URL}"
    failed = 0
    for chat_id in r.smembers("visa-watch:subscribers"):
        sent = requests.post(
            f"{BOT_API}/sendMessage",
            json={"chat_id": chat_id, "text": text, "disable_web_page_preview": True},
            timeout=10,
        )
        if not sent.ok:
            failed += 1
    print(f"alerted subscribers about {len(dates)} dates ({failed} failed)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
