"""@dockfinder@botsin.space: replies to mentions with live bike and dock counts for a station.

Started every 2 minutes by a systemd timer (dockfinder.timer -> `python -m dockfinder`). Reads the
latest mentions, looks the station up in the CityBikes feed and replies in the thread.
"""

import asyncio
import html
import os
import re

import aiohttp

INSTANCE = "https://botsin.space"
NETWORK_URL = "https://api.citybik.es/v2/networks/bay-wheels"
AUTH = {"Authorization": f"Bearer {os.environ['MASTODON_ACCESS_TOKEN']}"}
TAG = re.compile(r"<[^>]+>")


def plain_text(status_html: str) -> str:
    text = html.unescape(TAG.sub(" ", status_html))
    return re.sub(r"@\S+", "", text).strip().lower()


def find_station(stations: list[dict], query: str) -> dict | None:
    if not query:
        return None
    matches = [s for s in stations if query in s["name"].lower()]
    return min(matches, key=lambda s: len(s["name"])) if matches else None


async def get_json(session: aiohttp.ClientSession, url: str, **kwargs):
    async with session.get(url, **kwargs) as resp:
        resp.raise_for_status()
        return await resp.json()


async def reply(session: aiohttp.ClientSession, status: dict, text: str) -> None:
    async with session.post(
        f"{INSTANCE}/api/v1/statuses",
        headers=AUTH,
        data={"status": f"@{status['account']['acct']} {text}", "in_reply_to_id": status["id"],
              "visibility": "unlisted"},
    ) as resp:
        if resp.status >= 400:
            print("reply failed", status["id"], resp.status, await resp.text())


async def main() -> None:
    async with aiohttp.ClientSession(timeout=aiohttp.ClientTimeout(total=20)) as session:
        mentions, network = await asyncio.gather(
            get_json(session, f"{INSTANCE}/api/v1/notifications", headers=AUTH,
                     params=[("types[]", "mention"), ("limit", "30")]),
            get_json(session, NETWORK_URL),
        )
        stations = network["network"]["stations"]
        replies = []
        for notification in mentions:
            status = notification["status"]
            station = find_station(stations, plain_text(status["content"]))
            if station is None:
                text = "I couldn't find that station. Try part of its name, e.g. 'ferry building'."
            else:
                text = f"{station['name']}: {station['free_bikes']} bikes, {station['empty_slots']} free docks."
            replies.append(reply(session, status, text))
        await asyncio.gather(*replies)


if __name__ == "__main__":
    asyncio.run(main())
