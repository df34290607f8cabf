"""Public-tender watch for Brackley & Moss Civil Engineering's bid team.

Cron on the bid team's VM: 0 7-19 * * 1-5 /opt/tenders/venv/bin/python tender_watch.py
Reads the open-opportunities page of each council procurement portal we bid on; when a page has
changed since the last run, the tenders not posted yet go to the Bids channel in Microsoft Teams
through Graph (delegated token of the bids@ account; Entra rotates the refresh token on use).
"""

import asyncio
import os
import time

import aiohttp
from bs4 import BeautifulSoup
from redis.asyncio import Redis

PORTALS = {
    "kent": "https://procurement.kent.gov.uk/opportunities?cpv=45000000&status=open",
    "essex": "https://www.essexprocurement.org.uk/tenders/current?category=civil-engineering",
    "herts": "https://supplyhertfordshire.org.uk/notices?type=tender&sector=highways",
}
TOKEN_URL = f"https://login.microsoftonline.com/{os.environ['AZURE_TENANT_ID']}/oauth2/v2.0/token"
CHANNEL_URL = (f"https://graph.microsoft.com/v1.0/teams/{os.environ['BIDS_TEAM_ID']}"
               f"/channels/{os.environ['BIDS_CHANNEL_ID']}/messages")


async def graph_token(http: aiohttp.ClientSession, r: Redis) -> str:
    if token := await r.get("tenders:graph:access-token"):
        return token
    refresh = await r.get("tenders:graph:refresh-token") or os.environ["GRAPH_BOOTSTRAP_REFRESH_TOKEN"]
    async with http.post(TOKEN_URL, data={
        "client_id": os.environ["AZURE_CLIENT_ID"], "client_secret": os.environ["AZURE_CLIENT_SECRET"],
        "grant_type": "refresh_token", "refresh_token": refresh, "scope": "ChannelMessage.Send offline_access",
    }) as resp:
        resp.raise_for_status()
        grant = await resp.json()
    await r.set("tenders:graph:access-token", grant["access_token"], ex=grant["expires_in"] - 300)
    await r.set("tenders:graph:refresh-token", grant["refresh_token"])
    return grant["access_token"]


async def new_tenders(name: str, url: str, http: aiohttp.ClientSession, r: Redis) -> list[dict]:
    async with http.get(url, headers={"User-Agent": "BrackleyMoss-BidWatch/1.4"}) as resp:
        resp.raise_for_status()
        html = await resp.text()
    page_key = f"tenders:page:{name}"
    if await r.get(page_key) == html:
        return []
    await r.set(page_key, html, ex=30 * 86400)

    found = []
    for card in BeautifulSoup(html, "html.parser").select("div.opportunity"):
        if await r.sadd(f"tenders:posted:{name}", card["data-ref"]):
            found.append({"portal": name, "ref": card["data-ref"], "title": card.h3.get_text(strip=True),
                          "closes": card.select_one(".closing-date").get_text(strip=True),
                          "link": card.a["href"]})
    await r.expire(f"tenders:posted:{name}", 180 * 86400)
    return found


async def main() -> None:
    r = Redis.from_url(os.environ["REDIS_URL"], decode_responses=True)
    async with aiohttp.ClientSession(timeout=aiohttp.ClientTimeout(total=60)) as http:
        batches = [await new_tenders(name, url, http, r) for name, url in PORTALS.items()]
        tenders = [t for batch in batches for t in batch]
        if tenders:
            token = await graph_token(http, r)
            for t in tenders:
                html = (f"<b>{t['portal'].title()}</b>: <a href='{t['link']}'>{t['title']}</a> "
                        f"(ref {t['ref']}, closes {t['closes']})")
                async with http.post(CHANNEL_URL, headers={"Authorization": f"Bearer {token}"},
                                     json={"body": {"contentType": "html", "content": html}}) as resp:
                    resp.raise_for_status()
        await r.hset("tenders:last-run", mapping={"at": int(time.time()), "posted": len(tenders)})
    await r.aclose()


if __name__ == "__main__":
    asyncio.run(main())
