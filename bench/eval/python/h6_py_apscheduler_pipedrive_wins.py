"""#wins announcer for Brightline Studio's sales team.

Long-running APScheduler process (BlockingScheduler) in the ops container, every 10 minutes.
Asks Pipedrive for the deals changed in the last 24 hours (the /recents endpoint) and posts each
won deal to #wins with its value, owner and organisation.
"""

import logging
import os
from datetime import datetime, timedelta, timezone

import requests
from apscheduler.schedulers.blocking import BlockingScheduler
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

log = logging.getLogger("wins")
PIPEDRIVE = f"https://{os.environ['PIPEDRIVE_COMPANY_DOMAIN']}.pipedrive.com/api/v1"


class WinsAnnouncer:
    def __init__(self, channel: str = "#wins", lookback: timedelta = timedelta(hours=24)):
        self.channel = channel
        self.lookback = lookback
        self.slack = WebClient(token=os.environ["SLACK_BOT_TOKEN"])
        self.session = requests.Session()
        self.session.params = {"api_token": os.environ["PIPEDRIVE_API_TOKEN"]}

    def changed_deals(self, since: datetime):
        start = 0
        while True:
            resp = self.session.get(f"{PIPEDRIVE}/recents", params={
                "since_timestamp": since.strftime("%Y-%m-%d %H:%M:%S"),
                "items": "deal", "start": start, "limit": 100,
            }, timeout=30)
            resp.raise_for_status()
            body = resp.json()
            yield from (item["data"] for item in body.get("data") or [] if item.get("data"))
            pagination = body.get("additional_data", {}).get("pagination", {})
            if not pagination.get("more_items_in_collection"):
                return
            start = pagination["next_start"]

    def announce(self, deal: dict) -> None:
        value = f"{deal['currency']} {deal['value']:,.0f}"
        org = deal.get("org_name") or "a new client"
        try:
            self.slack.chat_postMessage(
                channel=self.channel,
                text=f":tada: {deal['owner_name']} closed *{deal['title']}* with {org} ({value})",
                unfurl_links=False,
            )
        except SlackApiError as exc:
            log.warning("could not announce deal %s: %s", deal["id"], exc.response["error"])

    def run(self) -> None:
        since = datetime.now(timezone.utc) - self.lookback
        won = [deal for deal in self.changed_deals(since) if deal.get("status") == "won"]
        for deal in won:
            self.announce(deal)
        log.info("announced %d won deals", len(won))


if __name__ == "__main__":
    logging.basicConfig(level=logging.INFO)
    scheduler = BlockingScheduler(timezone="UTC")
    scheduler.add_job(WinsAnnouncer().run, "interval", minutes=10, next_run_time=datetime.now(timezone.utc))
    scheduler.start()
