"""Sends the joining instructions to each new attendee of DevSummit, once.

Worker in the `events` deployment, run by a Kubernetes CronJob every 10 minutes:
    python -m workers.eventbrite_welcome

Memory (redis-py): the `changed` timestamp of the newest attendee processed, so the next run asks
Eventbrite only for attendees changed since then, and one SET NX EX key per attendee emailed.
Both expire after 30 days.
"""

import json
import os
from datetime import datetime, timedelta, timezone

import redis
import requests

EVENT_ID = os.environ["EVENTBRITE_EVENT_ID"]
ATTENDEES_URL = f"https://www.eventbriteapi.com/v3/events/{EVENT_ID}/attendees/"
MAILGUN_URL = f"https://api.mailgun.net/v3/{os.environ['MAILGUN_DOMAIN']}/messages"
PREFIX = f"eventbrite-welcome:{EVENT_ID}"
TTL = 30 * 24 * 3600


class WelcomeWorker:
    def __init__(self) -> None:
        self.r = redis.Redis.from_url(os.environ["REDIS_URL"], decode_responses=True)
        self.eventbrite = requests.Session()
        self.eventbrite.headers["Authorization"] = f"Bearer {os.environ['EVENTBRITE_TOKEN']}"

    def changed_since(self) -> str:
        stored = self.r.get(f"{PREFIX}:cursor")
        if stored:
            return stored
        return (datetime.now(timezone.utc) - timedelta(days=1)).strftime("%Y-%m-%dT%H:%M:%SZ")

    def attendees(self, since: str):
        params = {"changed_since": since, "status": "attending"}
        while True:
            page = self.eventbrite.get(ATTENDEES_URL, params=params, timeout=30)
            page.raise_for_status()
            body = page.json()
            yield from body["attendees"]
            if not body["pagination"]["has_more_items"]:
                return
            params["continuation"] = body["pagination"]["continuation"]

    def welcome(self, attendee: dict) -> bool:
        key = f"{PREFIX}:welcomed:{attendee['id']}"
        if not self.r.set(key, "1", nx=True, ex=TTL):
            return False
        profile = attendee["profile"]
        resp = requests.post(
            MAILGUN_URL,
            auth=("api", os.environ["MAILGUN_API_KEY"]),
            data={
                "from": "DevSummit <hello@devsummit.events>",
                "to": profile["email"],
                "subject": "Your DevSummit joining instructions",
                "template": "joining-instructions",
                "h:X-Mailgun-Variables": json.dumps(
                    {"first_name": profile.get("first_name", ""), "ticket": attendee["ticket_class_name"]}
                ),
            },
            timeout=15,
        )
        if not resp.ok:
            self.r.delete(key)  # let the next run retry this attendee
            resp.raise_for_status()
        return True

    def run(self) -> int:
        since = self.changed_since()
        newest, sent = since, 0
        for attendee in self.attendees(since):
            newest = max(newest, attendee["changed"])
            sent += self.welcome(attendee)
        self.r.set(f"{PREFIX}:cursor", newest, ex=TTL)
        return sent


if __name__ == "__main__":
    print(f"welcomed {WelcomeWorker().run()} attendees")
