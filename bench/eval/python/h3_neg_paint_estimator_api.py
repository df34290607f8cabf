"""Paint estimator for the store's website: litres and cans needed to paint a room.

FastAPI route (uvicorn paint_estimator:app), called by the calculator widget on product pages.
Pure computation from the request and a coverage table shipped with the app; no outbound calls.
Partner API keys get a rough per-process daily quota that resets when the worker restarts.
"""

import json
import math
from datetime import date
from functools import lru_cache
from pathlib import Path

from fastapi import FastAPI, Header, HTTPException
from pydantic import BaseModel, Field

app = FastAPI(title="Paint estimator")
COVERAGE_FILE = Path(__file__).with_name("coverage.json")
CAN_SIZES = (10.0, 5.0, 2.5, 1.0)
DAILY_QUOTA = 5_000
_usage: dict[tuple[str, date], int] = {}


class Room(BaseModel):
    length_m: float = Field(gt=0)
    width_m: float = Field(gt=0)
    height_m: float = Field(default=2.5, gt=0)
    doors: int = Field(default=1, ge=0)
    windows: int = Field(default=1, ge=0)
    coats: int = Field(default=2, ge=1, le=4)
    finish: str = "matt"


@lru_cache(maxsize=1)
def coverage_table() -> dict[str, float]:
    """Square metres per litre by finish, e.g. {"matt": 12.0, "satin": 11.0, "gloss": 10.0}."""
    return json.loads(COVERAGE_FILE.read_text())


@lru_cache(maxsize=4096)
def cans_for(litres: float) -> tuple[tuple[str, int], ...]:
    remaining, cans = litres, {}
    for size in CAN_SIZES:
        count = int(remaining // size)
        if count:
            cans[f"{size:g}L"] = count
            remaining -= count * size
    if remaining > 0:
        cans["1L"] = cans.get("1L", 0) + 1
    return tuple(cans.items())


def charge_quota(api_key: str) -> None:
    bucket = (api_key, date.today())
    _usage[bucket] = _usage.get(bucket, 0) + 1
    if _usage[bucket] > DAILY_QUOTA:
        raise HTTPException(status_code=429, detail="Daily quota exceeded")


@app.post("/estimate")
def estimate(room: Room, x_api_key: str = Header(default="public")) -> dict:
    charge_quota(x_api_key)
    per_litre = coverage_table().get(room.finish)
    if per_litre is None:
        raise HTTPException(status_code=422, detail=f"Unknown finish {room.finish!r}")
    walls = 2 * (room.length_m + room.width_m) * room.height_m
    paintable = max(walls - room.doors * 1.9 - room.windows * 1.5, 0.0)
    litres = math.ceil(paintable * room.coats / per_litre * 2) / 2  # round up to half a litre
    return {"paintable_m2": round(paintable, 1), "litres": litres, "cans": dict(cans_for(litres))}
