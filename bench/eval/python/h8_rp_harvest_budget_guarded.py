"""Harvest time sync and budget alerts for Northlight Creative.

systemd timer `harvest-sync.timer` (OnCalendar=hourly) runs:  python harvest_sync.py
1. Copies time entries changed since the last run into the billing database (upsert by id),
   resuming from the updated_since cursor kept in Redis.
2. Posts to #account-leads the first time an active project passes 80% of its budget.
"""

import os
from datetime import datetime, timedelta, timezone

import redis
import requests

HARVEST = "https://api.harvestapp.com/v2"
BILLING = os.environ.get("BILLING_API", "http://billing.internal:8080")
CURSOR_KEY = "harvest-sync:time-entries:updated-since"
THIRTY_DAYS = 30 * 86400

CONFIG = {
    "budget_alert_ratio": 0.8,
    "slack_webhook": os.environ["SLACK_ACCOUNT_LEADS_WEBHOOK"],
    "first_run_lookback": timedelta(days=2),
}


class HarvestSync:
    def __init__(self) -> None:
        self.r = redis.Redis.from_url(os.environ.get("REDIS_URL", "redis://localhost:6379/2"), decode_responses=True)
        self.http = requests.Session()
        self.http.headers.update({
            "Authorization": f"Bearer {os.environ['HARVEST_TOKEN']}",
            "Harvest-Account-Id": os.environ["HARVEST_ACCOUNT_ID"],
            "User-Agent": "Northlight harvest-sync (ops@northlight.studio)",
        })

    def sync_entries(self) -> int:
        since = self.r.get(CURSOR_KEY) or (
            datetime.now(timezone.utc) - CONFIG["first_run_lookback"]).strftime("%Y-%m-%dT%H:%M:%SZ")
        newest, copied, page = since, 0, 1
        while page:
            resp = self.http.get(f"{HARVEST}/time_entries", params={"updated_since": since, "page": page, "per_page": 2000})
            resp.raise_for_status()
            body = resp.json()
            for entry in body["time_entries"]:
                requests.put(f"{BILLING}/time-entries/{entry['id']}", json={
                    "project_id": entry["project"]["id"], "user_id": entry["user"]["id"],
                    "spent_date": entry["spent_date"], "hours": entry["hours"], "billable": entry["billable"],
                }, timeout=10).raise_for_status()
                newest, copied = max(newest, entry["updated_at"]), copied + 1
            page = body["next_page"]
        self.r.set(CURSOR_KEY, newest, ex=THIRTY_DAYS)
        return copied

    def budget_alerts(self) -> int:
        resp = self.http.get(f"{HARVEST}/reports/project_budget", params={"is_active": "true"})
        resp.raise_for_status()
        alerted = 0
        for project in resp.json()["results"]:
            if not project.get("budget") or project["budget_spent"] < CONFIG["budget_alert_ratio"] * project["budget"]:
                continue
            claimed = self.r.set(f"harvest-sync:budget-80:{project['project_id']}", project["budget_spent"],
                                 nx=True, ex=90 * 86400)
            if not claimed:
                continue
            pct = 100 * project["budget_spent"] / project["budget"]
            requests.post(CONFIG["slack_webhook"], json={
                "text": f":warning: *{project['client_name']} / {project['project_name']}* is at {pct:.0f}% "
                        f"of budget ({project['budget_spent']:.1f} of {project['budget']:.1f}).",
            }, timeout=10)
            alerted += 1
        return alerted


if __name__ == "__main__":
    job = HarvestSync()
    print(f"copied {job.sync_entries()} entries, {job.budget_alerts()} budget alerts")
