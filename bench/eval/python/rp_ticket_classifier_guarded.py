"""Classifies new support tickets with an LLM; results are already cached in Redis."""

import hashlib
import json
import os

import redis
from anthropic import Anthropic

r = redis.Redis.from_url(os.environ["REDIS_URL"], decode_responses=True)
claude = Anthropic()
CATEGORIES = ["billing", "bug", "feature-request", "account", "other"]


def classify(ticket_text: str) -> str:
    key = "triage:category:" + hashlib.sha256(ticket_text.encode()).hexdigest()
    cached = r.get(key)
    if cached:
        return cached
    message = claude.messages.create(
        model="claude-3-5-haiku-latest",
        max_tokens=10,
        temperature=0,
        system=f"Reply with one of: {', '.join(CATEGORIES)}.",
        messages=[{"role": "user", "content": ticket_text}],
    )
    category = message.content[0].text.strip()
    r.setex(key, 3600, category)
    return category


def main() -> None:
    tickets = json.load(open(os.environ.get("TICKETS_FILE", "tickets.json")))
    for ticket in tickets:
        print(ticket["id"], classify(ticket["body"]))


if __name__ == "__main__":
    main()
