#!/usr/bin/env python3
"""Cron job (every 10 min): emails the team when the status feed of our payment provider changes."""

import os
import smtplib
from email.message import EmailMessage

import redis
import requests

r = redis.Redis.from_url(os.environ.get("REDIS_URL", "redis://localhost:6379/0"), decode_responses=True)

FEED_URL = "https://status.stripe.com/history.rss"
TEAM = ["oncall@acme.dev", "payments@acme.dev"]
SEEN_KEY = "statuswatch:emailed"


def notify(address: str, body: str) -> None:
    msg = EmailMessage()
    msg["Subject"] = "Stripe status changed"
    msg["From"] = "statuswatch@acme.dev"
    msg["To"] = address
    msg.set_content(body)
    with smtplib.SMTP(os.environ["SMTP_HOST"], 587) as smtp:
        smtp.starttls()
        smtp.login(os.environ["SMTP_USER"], os.environ["SMTP_PASSWORD"])
        smtp.send_message(msg)


def main() -> None:
    feed = requests.get(FEED_URL, timeout=15)
    feed.raise_for_status()
    latest = feed.text.split("<item>", 1)[-1][:2000]

    for address in TEAM:
        if r.sismember(SEEN_KEY, f"{address}:{hash(latest)}"):
            continue
        notify(address, latest)
        r.sadd(SEEN_KEY, f"{address}:{hash(latest)}")
        r.expire(SEEN_KEY, 30 * 86400)


if __name__ == "__main__":
    main()
