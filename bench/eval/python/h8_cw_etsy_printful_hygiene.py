"""Etsy -> Printful order forwarding for the Hollow Oak Prints shop.

CodeWords FastAPI service; a CodeWords schedule calls POST /forward every 15 minutes.
Reads paid, unshipped Etsy receipts created since the last run and creates the matching Printful
order for each receipt that was not forwarded yet. Etsy rotates the refresh token on every
refresh, so the latest tokens are kept in memory between runs.
"""

import json
import os
import time

import httpx
from codewords_client import logger, redis_client, run_service
from fastapi import FastAPI

app = FastAPI(title="Hollow Oak Etsy -> Printful")
KEYSTRING = os.environ["ETSY_KEYSTRING"]
ETSY = f"https://openapi.etsy.com/v3/application/shops/{os.environ['ETSY_SHOP_ID']}"
PRINTFUL = {"Authorization": f"Bearer {os.environ['PRINTFUL_TOKEN']}", "X-PF-Store-Id": os.environ["PRINTFUL_STORE_ID"]}
WEEK = 7 * 86400


async def etsy_access_token(http: httpx.AsyncClient, redis, ns: str) -> str:
    stored = await redis.get(f"{ns}:etsy:oauth")
    tokens = json.loads(stored) if stored else {"refresh_token": os.environ["ETSY_REFRESH_TOKEN"], "expires_at": 0}
    if tokens["expires_at"] > time.time() + 60:
        return tokens["access_token"]
    resp = await http.post("https://api.etsy.com/v3/public/oauth/token", data={
        "grant_type": "refresh_token", "client_id": KEYSTRING, "refresh_token": tokens["refresh_token"],
    })
    resp.raise_for_status()
    fresh = resp.json()
    tokens = {"access_token": fresh["access_token"], "refresh_token": fresh["refresh_token"],
              "expires_at": time.time() + fresh["expires_in"]}
    await redis.set(f"{ns}:etsy:oauth", json.dumps(tokens))
    return tokens["access_token"]


def printful_order(receipt: dict) -> dict:
    return {
        "external_id": str(receipt["receipt_id"]),
        "recipient": {"name": receipt["name"], "address1": receipt["first_line"], "address2": receipt.get("second_line"),
                      "city": receipt["city"], "state_code": receipt.get("state"), "zip": receipt["zip"],
                      "country_code": receipt["country_iso"]},
        "items": [{"external_variant_id": t["sku"], "quantity": t["quantity"]} for t in receipt["transactions"]],
    }


@app.post("/forward")
async def forward() -> dict:
    forwarded = 0
    async with redis_client() as (redis, ns), httpx.AsyncClient(timeout=30) as http:
        token = await etsy_access_token(http, redis, ns)
        since = int(await redis.get(f"{ns}:etsy:min_created") or time.time() - 86400)
        resp = await http.get(f"{ETSY}/receipts", headers={"x-api-key": KEYSTRING, "Authorization": f"Bearer {token}"},
                              params={"min_created": since, "was_paid": "true", "was_shipped": "false", "limit": 100})
        resp.raise_for_status()
        receipts = resp.json()["results"]

        for receipt in receipts:
            receipt_id = str(receipt["receipt_id"])
            if await redis.sismember("printful:forwarded", receipt_id):
                continue
            order = await http.post("https://api.printful.com/orders", headers=PRINTFUL,
                                    params={"confirm": "true"}, json=printful_order(receipt))
            if order.status_code != 200:
                logger.error("printful rejected receipt %s: %s", receipt_id, order.text[:300])
                continue
            await redis.set(f"{ns}:printful:order:{receipt_id}", order.text, ex=WEEK)
            await redis.sadd("printful:forwarded", receipt_id)
            await redis.hincrby(f"{ns}:printful:stats", "orders", 1)
            forwarded += 1

        newest = max((r["created_timestamp"] for r in receipts), default=since)
        await redis.set(f"{ns}:etsy:min_created", newest, ex=30 * 86400)
    logger.info("forwarded %d of %d receipts", forwarded, len(receipts))
    return {"receipts": len(receipts), "forwarded": forwarded}


if __name__ == "__main__":
    run_service(app)
