"""Texts tomorrow's guests their check-in instructions (Hostaway reservations -> Twilio SMS).

CodeWords FastAPI service for Saltmarsh Stays; a CodeWords schedule calls POST /run every 15
minutes from 09:00 to 20:00. Memory: the Hostaway token, the last arrivals answer (so an
unchanged list is skipped) and the reservations already texted.
"""

import os
from datetime import date, timedelta

import httpx
from codewords_client import logger, redis_client, run_service
from fastapi import FastAPI
from twilio.base.exceptions import TwilioRestException
from twilio.rest import Client

app = FastAPI(title="Check-in instructions")
HOSTAWAY = "https://api.hostaway.com/v1"
twilio = Client(os.environ["TWILIO_ACCOUNT_SID"], os.environ["TWILIO_AUTH_TOKEN"])
SEND_STATUSES = {"new", "modified"}


async def hostaway_token(redis, ns: str, http: httpx.AsyncClient) -> str:
    cached = await redis.get(f"{ns}:hostaway:token")
    if cached:
        return cached
    resp = await http.post(f"{HOSTAWAY}/accessTokens", data={
        "grant_type": "client_credentials",
        "client_id": os.environ["HOSTAWAY_ACCOUNT_ID"],
        "client_secret": os.environ["HOSTAWAY_API_KEY"],
        "scope": "general",
    })
    resp.raise_for_status()
    grant = resp.json()
    await redis.set(f"{ns}:hostaway:token", grant["access_token"], ex=grant["expires_in"])
    return grant["access_token"]


def instructions(res: dict) -> str:
    code = res.get("doorCode") or "in the key safe by the door (code sent separately)"
    return (f"Hi {res['guestFirstName']}, see you tomorrow at {res['listingName']}! "
            f"Check-in is from 16:00; your door code is {code}. Parking: the gravel bay on the left.")


@app.post("/run")
async def run() -> dict:
    tomorrow = (date.today() + timedelta(days=1)).isoformat()
    async with redis_client() as (redis, ns), httpx.AsyncClient(timeout=30) as http:
        token = await hostaway_token(redis, ns, http)
        resp = await http.get(
            f"{HOSTAWAY}/reservations",
            params={"arrivalStartDate": tomorrow, "arrivalEndDate": tomorrow, "limit": 200},
            headers={"Authorization": f"Bearer {token}", "Cache-control": "no-cache"},
        )
        resp.raise_for_status()
        snapshot_key = f"{ns}:hostaway:arrivals:{tomorrow}"
        if await redis.get(snapshot_key) == resp.text:
            return {"sent": 0, "unchanged": True}
        await redis.set(snapshot_key, resp.text, ex=2 * 86400)

        sent = 0
        for res in resp.json()["result"]:
            if res.get("status") not in SEND_STATUSES or not res.get("phone"):
                continue
            if await redis.sismember(f"{ns}:checkin:texted", res["id"]):
                continue
            try:
                twilio.messages.create(to=res["phone"], from_=os.environ["TWILIO_FROM"], body=instructions(res))
            except TwilioRestException as exc:
                logger.warning("sms to reservation %s failed: %s", res["id"], exc.msg)
                continue
            await redis.sadd(f"{ns}:checkin:texted", res["id"])
            await redis.incr("checkin:sms-count")
            sent += 1
    return {"sent": sent}


if __name__ == "__main__":
    run_service(app)
