# /// script
# requires-python = "==3.11.*"
# dependencies = ["codewords-client==0.3.1", "fastapi==0.115.8", "httpx==0.28.1"]
# ///
"""Emails every subscriber whose watched product dropped below their target price."""

from typing import List

import httpx
from codewords_client import logger, run_service
from fastapi import FastAPI
from pydantic import BaseModel

app = FastAPI(title="Price drop alerts")

RESEND_API = "https://api.resend.com/emails"


class Subscription(BaseModel):
    email: str
    product_id: str
    target_price: float


class AlertRequest(BaseModel):
    catalog_api: str
    subscriptions: List[Subscription]
    resend_api_key: str


@app.post("/")
async def send_price_alerts(request: AlertRequest) -> dict:
    sent = 0
    async with httpx.AsyncClient(timeout=15) as client:
        prices = (await client.get(f"{request.catalog_api}/prices")).json()
        for sub in request.subscriptions:
            price = prices.get(sub.product_id)
            if price is None or price > sub.target_price:
                continue
            await client.post(
                RESEND_API,
                headers={"Authorization": f"Bearer {request.resend_api_key}"},
                json={
                    "from": "alerts@shop-watch.dev",
                    "to": sub.email,
                    "subject": f"Price drop: {sub.product_id} is now {price:.2f}",
                    "text": f"Your target was {sub.target_price:.2f}.",
                },
            )
            sent += 1
    logger.info("sent %d alerts", sent)
    return {"sent": sent}


if __name__ == "__main__":
    run_service(app)
