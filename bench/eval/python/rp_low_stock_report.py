"""Daily low-stock report for the warehouse team (scheduled with the `schedule` package)."""

import os
import time
from datetime import datetime

import redis
import requests
import schedule

r = redis.Redis(host=os.environ.get("REDIS_HOST", "localhost"), port=6379, decode_responses=True)
SHOPIFY = f"https://{os.environ['SHOP']}.myshopify.com/admin/api/2024-04"
SLACK_WEBHOOK = os.environ["SLACK_WEBHOOK_URL"]


def daily_report() -> None:
    response = requests.get(
        f"{SHOPIFY}/inventory_levels.json",
        params={"location_ids": os.environ["LOCATION_ID"], "limit": 250},
        headers={"X-Shopify-Access-Token": os.environ["SHOPIFY_TOKEN"]},
        timeout=30,
    )
    levels = response.json()["inventory_levels"]
    low = [level for level in levels if level["available"] is not None and level["available"] < 5]

    lines = [f"*Low stock* ({len(low)} items)"]
    lines += [f"• item {level['inventory_item_id']}: {level['available']} left" for level in low]
    requests.post(SLACK_WEBHOOK, json={"text": "\n".join(lines)}, timeout=10)
    r.set("inventory-report:last-run", datetime.utcnow().isoformat())


schedule.every().day.at("07:00").do(daily_report)

if __name__ == "__main__":
    while True:
        schedule.run_pending()
        time.sleep(30)
