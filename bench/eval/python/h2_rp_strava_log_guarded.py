"""Copies my new Strava activities into the training-log Google Sheet; long rides get a shout-out
in the club's Discord. Cron: */15 * * * *

Memory (redis-py): the start time of the newest activity already copied (cursor) and the
activities already announced. Both expire after 30 days.
"""

import os
import time
from datetime import datetime

import gspread
import redis
import requests

r = redis.Redis(host=os.environ.get("REDIS_HOST", "localhost"), port=6379, decode_responses=True)
CURSOR_KEY = "strava-log:after"
THIRTY_DAYS = 30 * 86400
LONG_RIDE_M = 100_000


def access_token() -> str:
    grant = requests.post(
        "https://www.strava.com/oauth/token",
        data={
            "client_id": os.environ["STRAVA_CLIENT_ID"],
            "client_secret": os.environ["STRAVA_CLIENT_SECRET"],
            "grant_type": "refresh_token",
            "refresh_token": os.environ["STRAVA_REFRESH_TOKEN"],
        },
        timeout=15,
    )
    grant.raise_for_status()
    return grant.json()["access_token"]


def sync() -> int:
    after = int(r.get(CURSOR_KEY) or time.time() - 7 * 86400)
    headers = {"Authorization": f"Bearer {access_token()}"}
    sheet = gspread.service_account().open_by_key(os.environ["TRAINING_SHEET_ID"]).sheet1
    newest, copied, page = after, 0, 1
    while True:
        activities = requests.get(
            "https://www.strava.com/api/v3/athlete/activities",
            params={"after": after, "page": page, "per_page": 100},
            headers=headers,
            timeout=30,
        ).json()
        if not activities:
            break
        for activity in activities:
            started = int(datetime.fromisoformat(activity["start_date"].replace("Z", "+00:00")).timestamp())
            newest = max(newest, started)
            km = round(activity["distance"] / 1000, 1)
            sheet.append_row([activity["id"], activity["name"], activity["sport_type"], km, activity["start_date_local"]])
            copied += 1
            if activity["distance"] >= LONG_RIDE_M and r.set(
                f"strava-log:announced:{activity['id']}", "1", nx=True, ex=THIRTY_DAYS
            ):
                requests.post(
                    os.environ["DISCORD_WEBHOOK_URL"],
                    json={"content": f"🚴 {km} km today: **{activity['name']}**"},
                    timeout=10,
                )
        page += 1
    r.set(CURSOR_KEY, newest, ex=THIRTY_DAYS)
    return copied


if __name__ == "__main__":
    print(f"copied {sync()} activities")
