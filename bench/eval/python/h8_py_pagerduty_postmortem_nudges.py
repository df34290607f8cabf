"""Postmortem nudges for Quillpay's SRE rotation.

systemd timer on the ops box, every 20 minutes (`OnCalendar=*:0/20`), runs
`python -m sre_jobs.postmortem_nudges`. Reads the PagerDuty log since the start of the current
on-call week (Monday 09:00 UTC), and for each high-urgency incident resolved by a person emails
that responder (SendGrid template) asking for a postmortem doc within two working days.
"""

import logging
import os
from datetime import datetime, timedelta, timezone
from functools import lru_cache

import requests
from sendgrid import SendGridAPIClient
from sendgrid.helpers.mail import Mail

log = logging.getLogger("postmortem_nudges")

PD_API = "https://api.pagerduty.com"
pd = requests.Session()
pd.headers.update({
    "Authorization": f"Token token={os.environ['PAGERDUTY_API_TOKEN']}",
    "Accept": "application/vnd.pagerduty+json;version=2",
})
sendgrid = SendGridAPIClient(os.environ["SENDGRID_API_KEY"])
TEMPLATE_ID = "d-6f1c2a9e0b7d4c55a1e3f0b2c4d6e8fa"


def week_start(now: datetime) -> datetime:
    monday = (now - timedelta(days=now.weekday())).replace(hour=9, minute=0, second=0, microsecond=0)
    return monday if monday <= now else monday - timedelta(days=7)


def resolve_entries(since: datetime):
    offset = 0
    while True:
        resp = pd.get(f"{PD_API}/log_entries", params={
            "since": since.isoformat(), "is_overview": "true", "include[]": "incidents",
            "limit": 100, "offset": offset,
        }, timeout=30)
        resp.raise_for_status()
        body = resp.json()
        yield from (e for e in body["log_entries"] if e["type"] == "resolve_log_entry")
        if not body["more"]:
            return
        offset += body["limit"]


@lru_cache(maxsize=256)
def responder_email(user_id: str) -> str:
    resp = pd.get(f"{PD_API}/users/{user_id}", timeout=15)
    resp.raise_for_status()
    return resp.json()["user"]["email"]


def nudge(entry: dict) -> bool:
    incident = entry["incident"]
    if incident.get("urgency") != "high" or entry["agent"]["type"] != "user_reference":
        return False
    if "[drill]" in incident["title"].lower():
        return False
    message = Mail(from_email="sre-bot@quillpay.io", to_emails=responder_email(entry["agent"]["id"]))
    message.template_id = TEMPLATE_ID
    message.dynamic_template_data = {
        "incident_number": incident["incident_number"],
        "title": incident["title"],
        "resolved_at": entry["created_at"],
        "incident_url": incident["html_url"],
    }
    sendgrid.send(message)
    return True


def main() -> None:
    since = week_start(datetime.now(timezone.utc))
    sent = sum(nudge(entry) for entry in resolve_entries(since))
    log.info("postmortem nudges sent: %d", sent)


if __name__ == "__main__":
    logging.basicConfig(level=logging.INFO)
    main()
