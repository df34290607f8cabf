"""Large card spend review for Tallgrass Studio's finance team.

Kubernetes CronJob, every 15 minutes (schedule "*/15 * * * *"), image tallgrass/finance-jobs:
    python -m finance_jobs.ramp_large_spend
Lists this month's Ramp card transactions and posts each one of $500 or more to #finance-review
with the cardholder, merchant and memo so a controller can approve or query it. Redis (the
cluster's shared instance) only holds a lock so two pods never run at once.
"""

import os
import sys
from datetime import datetime, timezone

import redis
import requests
from slack_sdk import WebClient

RAMP = "https://api.ramp.com/developer/v1"
THRESHOLD = 500.00
REVIEW_CHANNEL = "#finance-review"


class Ramp:
    def __init__(self, client_id: str, client_secret: str) -> None:
        token = requests.post(f"{RAMP}/token", auth=(client_id, client_secret), data={
            "grant_type": "client_credentials", "scope": "transactions:read",
        }, timeout=20)
        token.raise_for_status()
        self.http = requests.Session()
        self.http.headers["Authorization"] = f"Bearer {token.json()['access_token']}"

    def transactions(self, from_date: datetime):
        url, params = f"{RAMP}/transactions", {"from_date": from_date.isoformat(), "page_size": 100}
        while url:
            resp = self.http.get(url, params=params, timeout=30)
            resp.raise_for_status()
            page = resp.json()
            yield from page["data"]
            url, params = page["page"].get("next"), None  # "next" is a full URL with the query


def review_message(txn: dict) -> str:
    holder = txn.get("card_holder") or {}
    return (f":mag: *${txn['amount']:,.2f}* at *{txn.get('merchant_name') or 'unknown merchant'}* "
            f"by {holder.get('first_name', '')} {holder.get('last_name', '')} "
            f"({holder.get('department_name') or 'no department'})\n"
            f"> {txn.get('memo') or '_no memo_'}  ·  <https://app.ramp.com/business-overview/transactions/{txn['id']}|open in Ramp>")


def main() -> int:
    r = redis.Redis.from_url(os.environ["REDIS_URL"], decode_responses=True)
    lock = r.lock("finance-jobs:ramp-large-spend", timeout=600, blocking=False)
    if not lock.acquire():
        print("another run holds the lock; exiting")
        return 0
    try:
        ramp = Ramp(os.environ["RAMP_CLIENT_ID"], os.environ["RAMP_CLIENT_SECRET"])
        slack = WebClient(token=os.environ["SLACK_BOT_TOKEN"])
        month_start = datetime.now(timezone.utc).replace(day=1, hour=0, minute=0, second=0, microsecond=0)
        posted = 0
        for txn in ramp.transactions(month_start):
            if txn["amount"] < THRESHOLD or txn.get("state") == "DECLINED":
                continue
            slack.chat_postMessage(channel=REVIEW_CHANNEL, text=review_message(txn), unfurl_links=False)
            posted += 1
        print(f"posted {posted} transactions for review")
    finally:
        lock.release()
    return 0


if __name__ == "__main__":
    sys.exit(main())
