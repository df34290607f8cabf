"""Delivery route planner for Petal & Stem florists.

CodeWords FastAPI service. The shop's order system calls POST /plan at 08:30 and again whenever a
same-day order comes in, with the day's delivery addresses; it geocodes each stop with the
Google Geocoding API (billed per request) and returns a nearest-first order and a Maps link for
the driver. Most stops are regulars: the two hospitals, the funeral homes, office receptions.
"""

import asyncio
import math
import os
from urllib.parse import quote

import httpx
from codewords_client import logger, run_service
from fastapi import FastAPI, HTTPException
from pydantic import BaseModel

app = FastAPI(title="Petal & Stem route planner")
GEOCODE_URL = "https://maps.googleapis.com/maps/api/geocode/json"
SHOP = (45.5231, -122.6765)


class Stop(BaseModel):
    order_id: str
    address: str


class PlanRequest(BaseModel):
    stops: list[Stop]


def km(a: tuple[float, float], b: tuple[float, float]) -> float:
    dlat, dlon = math.radians(b[0] - a[0]), math.radians(b[1] - a[1])
    h = math.sin(dlat / 2) ** 2 + math.cos(math.radians(a[0])) * math.cos(math.radians(b[0])) * math.sin(dlon / 2) ** 2
    return 12742 * math.asin(math.sqrt(h))


async def geocode(http: httpx.AsyncClient, address: str) -> tuple[float, float] | None:
    resp = await http.get(GEOCODE_URL, params={
        "address": address, "region": "us", "key": os.environ["GOOGLE_MAPS_KEY"],
    })
    resp.raise_for_status()
    data = resp.json()
    if data["status"] != "OK":
        logger.warning("geocode %s: %s", address, data["status"])
        return None
    loc = data["results"][0]["geometry"]["location"]
    return loc["lat"], loc["lng"]


@app.post("/plan")
async def plan(request: PlanRequest) -> dict:
    async with httpx.AsyncClient(timeout=15) as http:
        points = await asyncio.gather(*(geocode(http, stop.address) for stop in request.stops))
    located = {stop.order_id: (stop, p) for stop, p in zip(request.stops, points) if p}
    if not located:
        raise HTTPException(422, "no stop could be geocoded")

    route, here = [], SHOP
    while located:
        order_id = min(located, key=lambda oid: km(here, located[oid][1]))
        stop, here = located.pop(order_id)
        route.append(stop)
    maps = "https://www.google.com/maps/dir/" + "/".join(quote(s.address) for s in route)
    unplaced = [s.order_id for s, p in zip(request.stops, points) if not p]
    return {"route": [s.order_id for s in route], "maps_url": maps, "unplaced": unplaced}


if __name__ == "__main__":
    run_service(app)
