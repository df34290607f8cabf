"""Shipping-cost quote API. Keeps a per-process rate limit and memoises pure calculations."""

import time
from collections import defaultdict, deque
from functools import lru_cache

from fastapi import FastAPI, HTTPException, Request
from pydantic import BaseModel

app = FastAPI(title="Shipping quotes")

# In-process on purpose: a rough per-instance guard, not shared state.
_recent_requests: dict[str, deque] = defaultdict(deque)
WINDOW_SECONDS = 60
MAX_PER_WINDOW = 30

ZONES = {"DE": 1, "FR": 2, "IT": 2, "US": 4, "JP": 5}


class Parcel(BaseModel):
    country: str
    weight_kg: float


@lru_cache(maxsize=1024)
def base_rate(zone: int, weight_band: int) -> float:
    return round(4.9 + zone * 1.75 + weight_band * 0.8, 2)


def check_rate_limit(client_ip: str) -> None:
    now = time.monotonic()
    window = _recent_requests[client_ip]
    while window and now - window[0] > WINDOW_SECONDS:
        window.popleft()
    if len(window) >= MAX_PER_WINDOW:
        raise HTTPException(status_code=429, detail="Too many requests")
    window.append(now)


@app.post("/quote")
def quote(parcel: Parcel, request: Request) -> dict:
    check_rate_limit(request.client.host if request.client else "unknown")
    zone = ZONES.get(parcel.country.upper())
    if zone is None:
        raise HTTPException(status_code=400, detail="We do not ship there yet")
    return {"price_eur": base_rate(zone, int(parcel.weight_kg // 2))}
