"""Room and time changes for starred sessions at DevOpsDays Lisboa, pushed to the app's attendees.

Worker started by systemd for the conference week (`python -m pushes.schedule_changes`), looping
every 5 minutes. The Sessionize schedule is read with the ETag of the last read (304: nothing to
do); each session's slot is compared with the one stored last time, and everyone who starred a
moved session gets one OneSignal push per move (HSETNX on a pushed hash, with EXPIRE).
"""

import asyncio
import os

import asyncpg
import httpx
import redis.asyncio as aioredis

SCHEDULE = f"https://sessionize.com/api/v2/{os.environ['SESSIONIZE_EVENT']}/view/Sessions"
ONESIGNAL = "https://api.onesignal.com/notifications"
PREFIX = "ddlx:schedule"
TTL = 21 * 86400


def slot_of(session: dict) -> str:
    return f"{session['startsAt']}|{session['room']}"


async def push_move(http: httpx.AsyncClient, attendees: list[str], session: dict) -> None:
    resp = await http.post(ONESIGNAL, headers={"Authorization": f"Key {os.environ['ONESIGNAL_API_KEY']}"}, json={
        "app_id": os.environ["ONESIGNAL_APP_ID"],
        "target_channel": "push",
        "include_aliases": {"external_id": attendees},
        "headings": {"en": "Session moved"},
        "contents": {"en": f"{session['title']} is now at {session['startsAt'][11:16]} in {session['room']}."},
    })
    resp.raise_for_status()


async def sync_once(http: httpx.AsyncClient, r: aioredis.Redis, pg: asyncpg.Pool) -> int:
    headers = {"If-None-Match": etag} if (etag := await r.get(f"{PREFIX}:etag")) else {}
    resp = await http.get(SCHEDULE, headers=headers)
    if resp.status_code == 304:
        return 0
    resp.raise_for_status()
    sessions = [s for group in resp.json() for s in group["sessions"] if not s["isServiceSession"]]
    previous = await r.hgetall(f"{PREFIX}:slots")

    pushed = 0
    for session in sessions:
        slot = slot_of(session)
        if previous.get(session["id"]) in (None, slot):
            continue
        rows = await pg.fetch("SELECT attendee_id FROM starred_sessions WHERE session_id = $1", session["id"])
        fresh = [row["attendee_id"] for row in rows
                 if await r.hsetnx(f"{PREFIX}:pushed", f"{session['id']}|{slot}|{row['attendee_id']}", 1)]
        await r.expire(f"{PREFIX}:pushed", TTL)
        if fresh:
            await push_move(http, fresh, session)
            pushed += len(fresh)

    async with r.pipeline(transaction=True) as pipe:
        pipe.delete(f"{PREFIX}:slots")
        pipe.hset(f"{PREFIX}:slots", mapping={s["id"]: slot_of(s) for s in sessions})
        pipe.expire(f"{PREFIX}:slots", TTL)
        if new_etag := resp.headers.get("ETag"):
            pipe.set(f"{PREFIX}:etag", new_etag, ex=TTL)
        await pipe.execute()
    return pushed


async def main() -> None:
    r = aioredis.from_url(os.environ["REDIS_URL"], decode_responses=True)
    pg = await asyncpg.create_pool(os.environ["APP_DATABASE_URL"], max_size=2)
    async with httpx.AsyncClient(timeout=20) as http:
        while True:
            try:
                if pushed := await sync_once(http, r, pg):
                    print(f"pushed {pushed} session-move notifications")
            except httpx.HTTPError as exc:
                print(f"schedule sync failed: {exc}")
            await asyncio.sleep(300)


if __name__ == "__main__":
    asyncio.run(main())
