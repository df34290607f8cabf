"""Failed-MFA watch for our Okta org: posts every failed MFA challenge to #sec-alerts and pages the
on-call engineer when one account fails five times within the hour.

Cron on the security jump host: */15 * * * * /usr/bin/python3 /opt/secops/okta_mfa_watch.py
Redis (redis-py, db 2) keeps a per-user failure counter that expires after an hour.
"""

import os
import sys
from datetime import datetime, timedelta, timezone

import redis
import requests

OKTA = f"https://{os.environ['OKTA_DOMAIN']}"
LOOKBACK = timedelta(hours=1)  # wider than the schedule, so a late or failed run misses nothing
FILTER = 'eventType eq "user.authentication.auth_via_mfa" and outcome.result eq "FAILURE"'
SLACK_WEBHOOK = os.environ["SLACK_SEC_ALERTS_WEBHOOK"]
PAGE_THRESHOLD = 5

r = redis.Redis(host=os.environ.get("REDIS_HOST", "127.0.0.1"), port=6379, db=2, decode_responses=True)
okta = requests.Session()
okta.headers.update({"Authorization": f"SSWS {os.environ['OKTA_API_TOKEN']}", "Accept": "application/json"})


def failed_mfa_events():
    now = datetime.now(timezone.utc)
    params = {
        "since": (now - LOOKBACK).strftime("%Y-%m-%dT%H:%M:%S.000Z"),
        "until": now.strftime("%Y-%m-%dT%H:%M:%S.000Z"),  # bounded query, so the "next" links end
        "filter": FILTER,
        "limit": 1000,
    }
    url = f"{OKTA}/api/v1/logs"
    while url:
        resp = okta.get(url, params=params, timeout=30)
        resp.raise_for_status()
        yield from resp.json()
        url, params = resp.links.get("next", {}).get("url"), None


def page_on_call(user: str, failures: int) -> None:
    requests.post("https://events.pagerduty.com/v2/enqueue", timeout=10, json={
        "routing_key": os.environ["PAGERDUTY_ROUTING_KEY"],
        "event_action": "trigger",
        "payload": {"summary": f"{failures} failed MFA challenges for {user} in the last hour",
                    "source": "okta", "severity": "warning"},
    })


def main() -> int:
    posted = 0
    for event in failed_mfa_events():
        user = event["actor"]["alternateId"]
        client = event.get("client") or {}
        city = (client.get("geographicalContext") or {}).get("city") or "unknown location"
        requests.post(SLACK_WEBHOOK, timeout=10, json={
            "text": f":warning: Failed MFA for {user} from {client.get('ipAddress')} ({city}) at {event['published']}",
        })
        posted += 1
        counter = f"okta-mfa:failures:{user}"
        failures = r.incr(counter)
        r.expire(counter, 3600, nx=True)
        if failures == PAGE_THRESHOLD:
            page_on_call(user, failures)
    print(f"{posted} failed MFA events posted")
    return 0


if __name__ == "__main__":
    sys.exit(main())
