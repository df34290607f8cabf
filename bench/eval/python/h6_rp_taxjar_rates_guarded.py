"""Sales-tax estimate for the Lumen Lighting checkout.

FastAPI app, long-running (gunicorn -k uvicorn.workers.UvicornWorker checkout_tax:app -w 4).
The cart page calls GET /tax-estimate once the shopper has typed a shipping ZIP. TaxJar bills
per rates call, so each ZIP's combined rate is cached twice: in the worker (lru_cache, keyed by
the day so it refreshes after midnight) and in Redis for a day, shared by all workers and deploys.
"""

import os
from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from functools import lru_cache

import redis
import requests
from fastapi import FastAPI, HTTPException, Query

app = FastAPI(title="Checkout tax estimate")
r = redis.Redis.from_url(os.environ["REDIS_URL"], decode_responses=True)
taxjar = requests.Session()
taxjar.headers["Authorization"] = f"Bearer {os.environ['TAXJAR_API_KEY']}"

NEXUS_STATES = {"CA", "IL", "NY", "TX", "WA"}
SHIPPING_TAXABLE = {"IL", "NY", "TX", "WA"}


@lru_cache(maxsize=4096)
def combined_rate(zip_code: str, state: str, day: str) -> Decimal:
    key = f"checkout:taxrate:{state}:{zip_code}"
    if (cached := r.get(key)) is not None:
        return Decimal(cached)
    resp = taxjar.get(f"https://api.taxjar.com/v2/rates/{zip_code}",
                      params={"country": "US", "state": state}, timeout=5)
    if resp.status_code == 404:
        raise HTTPException(status_code=422, detail=f"Unknown ZIP {zip_code}")
    resp.raise_for_status()
    rate = str(resp.json()["rate"]["combined_rate"])
    r.set(key, rate, ex=86400)
    return Decimal(rate)


@app.get("/tax-estimate")
def tax_estimate(
    zip_code: str = Query(pattern=r"^\d{5}$"),
    state: str = Query(min_length=2, max_length=2),
    subtotal: Decimal = Query(gt=0),
    shipping: Decimal = Query(default=Decimal("0"), ge=0),
) -> dict:
    state = state.upper()
    if state not in NEXUS_STATES:
        return {"rate": "0", "tax": "0.00", "collected": False}
    rate = combined_rate(zip_code, state, date.today().isoformat())
    taxable = subtotal + (shipping if state in SHIPPING_TAXABLE else Decimal("0"))
    tax = (taxable * rate).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
    return {"rate": str(rate), "tax": str(tax), "collected": True}
