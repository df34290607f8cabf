"""Meeting-room door displays: mirrors today's Google Calendar bookings to each room's e-ink panel.

CodeWords FastAPI service; a CodeWords schedule calls POST / every 5 minutes during office hours.
A panel is only redrawn when its room's bookings changed since the last run.
"""

import os
from datetime import datetime, time, timezone

import httpx
from codewords_client import logger, redis_client, run_service
from fastapi import FastAPI

app = FastAPI(title="Room display sync")
ROOMS = {
    "atlas": "c_188a2f0e1b@resource.calendar.google.com",
    "borealis": "c_1889c7d44e@resource.calendar.google.com",
    "cobalt": "c_1884f0aa93@resource.calendar.google.com",
}
PANEL_API = "https://panels.visionect.example/api/devices"


async def google_access_token(client: httpx.AsyncClient, redis, ns: str) -> str:
    token = await redis.get(f"{ns}:gcal:access-token")
    if token:
        return token
    grant = (await client.post("https://oauth2.googleapis.com/token", data={
        "grant_type": "refresh_token",
        "client_id": os.environ["GOOGLE_CLIENT_ID"],
        "client_secret": os.environ["GOOGLE_CLIENT_SECRET"],
        "refresh_token": os.environ["GOOGLE_REFRESH_TOKEN"],
    })).json()
    await redis.set(f"{ns}:gcal:access-token", grant["access_token"], ex=grant["expires_in"] - 120)
    return grant["access_token"]


def panel_payload(room: str, events: list[dict]) -> dict:
    slots = [
        {"start": e["start"].get("dateTime", ""), "end": e["end"].get("dateTime", ""),
         "title": e.get("summary", "Busy") if e.get("visibility") != "private" else "Private"}
        for e in events
    ]
    return {"template": "room-day", "room": room.title(), "slots": slots}


@app.post("/")
async def sync_rooms() -> dict:
    today = datetime.now(timezone.utc).date()
    window = {
        "timeMin": datetime.combine(today, time.min, timezone.utc).isoformat(),
        "timeMax": datetime.combine(today, time.max, timezone.utc).isoformat(),
        "singleEvents": "true",
        "orderBy": "startTime",
    }
    redrawn = []
    async with redis_client() as (redis, ns), httpx.AsyncClient(timeout=20) as client:
        token = await google_access_token(client, redis, ns)
        for room, calendar_id in ROOMS.items():
            resp = await client.get(
                f"https://www.googleapis.com/calendar/v3/calendars/{calendar_id}/events",
                params=window,
                headers={"Authorization": f"Bearer {token}"},
            )
            if resp.status_code != 200:
                logger.error("calendar %s: HTTP %s", room, resp.status_code)
                continue
            if await redis.get(f"{ns}:rooms:{room}:events") == resp.text:
                continue
            await client.put(f"{PANEL_API}/{room}/content", json=panel_payload(room, resp.json()["items"]))
            await redis.set(f"{ns}:rooms:{room}:events", resp.text, ex=86400)
            await redis.hincrby("rooms:redraws", room, 1)
            redrawn.append(room)
    logger.info("redrawn: %s", ", ".join(redrawn) or "none")
    return {"redrawn": redrawn}


if __name__ == "__main__":
    run_service(app)
