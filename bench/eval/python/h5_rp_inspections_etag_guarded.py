"""Refreshes our copy of the city's open-data tables (restaurant inspections, business licences)
in Postgres, for the Food Safety Map site.

Hourly Kubernetes CronJob: `python -m jobs.refresh_open_data`. Each export is requested with the
ETag from the last import (If-None-Match); a 304 means nothing to do. The ETags live in Redis
(redis.asyncio) for 30 days; a changed table is reloaded and announced once in #data-feeds.
"""

import asyncio
import io
import os

import aiohttp
import asyncpg
from redis import asyncio as aioredis

DATASETS = {
    "inspections": "https://data.cityofchicago.org/api/views/4ijn-s7e5/rows.csv?accessType=DOWNLOAD",
    "licences": "https://data.cityofchicago.org/api/views/r5kz-chrr/rows.csv?accessType=DOWNLOAD",
}
ETAG_TTL = 30 * 86400


async def refresh(name: str, url: str, http: aiohttp.ClientSession, r: aioredis.Redis, pg: asyncpg.Pool) -> int | None:
    etag_key = f"open-data:{name}:etag"
    headers = {}
    if etag := await r.get(etag_key):
        headers["If-None-Match"] = etag
    async with http.get(url, headers=headers) as resp:
        if resp.status == 304:
            return None
        resp.raise_for_status()
        body = await resp.read()
        new_etag = resp.headers.get("ETag")

    async with pg.acquire() as conn, conn.transaction():
        await conn.execute(f"TRUNCATE staging_{name}")
        await conn.copy_to_table(f"staging_{name}", source=io.BytesIO(body), format="csv", header=True)
        rows = await conn.fetchval(f"SELECT count(*) FROM staging_{name}")
        await conn.execute(f"SELECT swap_in_{name}()")
    if new_etag:
        await r.set(etag_key, new_etag, ex=ETAG_TTL)
    return rows


async def main() -> None:
    r = aioredis.from_url(os.environ["REDIS_URL"], decode_responses=True)
    pg = await asyncpg.create_pool(os.environ["DATABASE_URL"], max_size=2)
    timeout = aiohttp.ClientTimeout(total=600)
    try:
        async with aiohttp.ClientSession(timeout=timeout) as http:
            results = await asyncio.gather(*(refresh(n, u, http, r, pg) for n, u in DATASETS.items()))
            changed = {name: rows for name, rows in zip(DATASETS, results) if rows is not None}
            if changed:
                summary = ", ".join(f"{name} ({rows:,} rows)" for name, rows in changed.items())
                await http.post(os.environ["SLACK_DATA_FEEDS_WEBHOOK"], json={"text": f"Open data refreshed: {summary}"})
    finally:
        await pg.close()
        await r.aclose()


if __name__ == "__main__":
    asyncio.run(main())
