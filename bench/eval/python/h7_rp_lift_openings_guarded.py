"""Lift-opening alerts for the Glacier Peak ski school instructors.

Cron on the school office's Raspberry Pi, in season only:
    */10 7-16 * 12,1-4 * /home/pi/lift-alerts/venv/bin/python lift_alerts.py
Reads the resort's lift-status feed and skips the run when the watched lifts look exactly as they
did last time (GETSET of a digest). Wind holds open and close the upper lifts several times a
day, so each lift is announced in #instructors only the first time it opens on a given day
(SETNX, then EXPIRE).
"""

import hashlib
import json
import os
import sys
from datetime import date

import redis
import requests
from slack_sdk import WebClient

FEED = "https://status.glacierpeak-resort.com/api/v2/lifts"
WATCHED = {"Summit Express", "Ptarmigan Quad", "Outback Double", "Nordic Gondola"}
r = redis.Redis(host="localhost", port=6379, db=0, decode_responses=True)
slack = WebClient(token=os.environ["SLACK_BOT_TOKEN"])


def unchanged_since_last_run(lifts: list[dict]) -> bool:
    digest = hashlib.sha256(json.dumps(lifts, sort_keys=True).encode()).hexdigest()
    previous = r.getset("lift-alerts:feed-digest", digest)
    r.expire("lift-alerts:feed-digest", 30 * 86400)
    return previous == digest


def announce_first_opening(lift: dict) -> None:
    key = f"lift-alerts:opened:{date.today().isoformat()}:{lift['id']}"
    if not r.setnx(key, lift["statusChangedAt"]):
        return
    r.expire(key, 36 * 3600)
    wait = f", {lift['waitMinutes']} min wait" if lift.get("waitMinutes") else ""
    slack.chat_postMessage(
        channel="#instructors",
        text=f":aerial_tramway: {lift['name']} is open (since {lift['statusChangedAt'][11:16]}{wait}).",
    )


def main() -> int:
    try:
        resp = requests.get(FEED, headers={"Accept": "application/json"}, timeout=15)
        resp.raise_for_status()
    except requests.RequestException as exc:
        print(f"lift feed unavailable: {exc}", file=sys.stderr)
        return 1
    lifts = [
        {k: lift.get(k) for k in ("id", "name", "status", "statusChangedAt", "waitMinutes")}
        for lift in resp.json()["lifts"] if lift["name"] in WATCHED
    ]
    if unchanged_since_last_run(lifts):
        return 0
    for lift in lifts:
        if lift["status"] == "OPEN":
            announce_first_opening(lift)
    return 0


if __name__ == "__main__":
    sys.exit(main())
