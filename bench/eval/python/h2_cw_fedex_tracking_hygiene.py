"""Parcel tracker: texts the customer when the FedEx status of their parcel changes.

CodeWords FastAPI service; a CodeWords schedule calls POST / every 30 minutes with the open
shipments from the shop. Memory holds the OAuth token, the last tracking result per parcel and
the parcels already delivered.
"""

import json
import os

import httpx
from codewords_client import logger, redis_client, run_service
from fastapi import FastAPI
from pydantic import BaseModel

app = FastAPI(title="FedEx status texts")
FEDEX = "https://apis.fedex.com"
TWILIO_SID = os.environ["TWILIO_ACCOUNT_SID"]
TWILIO_URL = f"https://api.twilio.com/2010-04-01/Accounts/{TWILIO_SID}/Messages.json"


class Shipment(BaseModel):
    tracking_number: str
    phone: str


class TrackRequest(BaseModel):
    shipments: list[Shipment]


def latest_status(track: dict) -> dict:
    return track["output"]["completeTrackResults"][0]["trackResults"][0]["latestStatusDetail"]


async def fedex_token(client: httpx.AsyncClient, redis, ns: str) -> str:
    if cached := await redis.get(f"{ns}:fedex:access-token"):
        return cached
    grant = (await client.post(
        f"{FEDEX}/oauth/token",
        data={
            "grant_type": "client_credentials",
            "client_id": os.environ["FEDEX_API_KEY"],
            "client_secret": os.environ["FEDEX_SECRET_KEY"],
        },
    )).json()
    await redis.set(f"{ns}:fedex:access-token", grant["access_token"], ex=grant["expires_in"] - 60)
    return grant["access_token"]


@app.post("/")
async def track(request: TrackRequest) -> dict:
    texted = 0
    async with redis_client() as (redis, ns), httpx.AsyncClient(timeout=20) as client:
        token = await fedex_token(client, redis, ns)
        for shipment in request.shipments:
            number = shipment.tracking_number
            if await redis.sismember("fedex:delivered", number):
                continue
            result = (await client.post(
                f"{FEDEX}/track/v1/trackingnumbers",
                headers={"Authorization": f"Bearer {token}"},
                json={"includeDetailedScans": False,
                      "trackingInfo": [{"trackingNumberInfo": {"trackingNumber": number}}]},
            )).json()
            status = latest_status(result)
            previous = await redis.get(f"{ns}:fedex:last:{number}")
            if previous and latest_status(json.loads(previous))["code"] == status["code"]:
                continue

            await client.post(
                TWILIO_URL,
                auth=(TWILIO_SID, os.environ["TWILIO_AUTH_TOKEN"]),
                data={"From": os.environ["TWILIO_FROM"], "To": shipment.phone,
                      "Body": f"Your parcel {number}: {status['description']}"},
            )
            texted += 1
            await redis.set(f"{ns}:fedex:last:{number}", json.dumps(result), ex=14 * 86400)
            if status["code"] == "DL":
                await redis.sadd("fedex:delivered", number)
    logger.info("texted %d customers", texted)
    return {"texted": texted}


if __name__ == "__main__":
    run_service(app)
