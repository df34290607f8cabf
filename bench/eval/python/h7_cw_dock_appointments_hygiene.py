"""Dock appointment change texts for Valley Fresh Co-op's truck drivers.

CodeWords FastAPI service. POST /connect saves the co-op's login for the cold store's dock
scheduling portal (Coldline DockView, a form-login ASP.NET site with no API); the CodeWords
scheduler calls POST /run every 20 minutes. Each run logs in (reusing the session while it
lasts), reads the appointment table of each warehouse and texts the driver (Twilio) when an
appointment has moved to another time or door.
"""

import time
from datetime import date

import httpx
from bs4 import BeautifulSoup
from codewords_client import logger, redis_client, run_service
from fastapi import FastAPI, HTTPException
from pydantic import BaseModel
from twilio.rest import Client

app = FastAPI(title="Dock appointment texts")
twilio = Client()  # TWILIO_ACCOUNT_SID / TWILIO_AUTH_TOKEN from the environment
PORTAL = "https://dockview.coldline-logistics.com"
WAREHOUSES = {"FRS-02": "Fresno cold store", "SAL-01": "Salinas cross-dock"}
FROM_NUMBER = "+15595550142"


class PortalLogin(BaseModel):
    username: str
    password: str
    carrier_code: str


def slot_key(warehouse: str, appointment_id: str) -> str:
    return f"dockview:{warehouse}:appt:{appointment_id}"


@app.post("/connect")
async def connect(login: PortalLogin) -> dict:
    async with redis_client() as (redis, ns):
        await redis.hset(f"{ns}:dockview:login", mapping=login.model_dump())
    return {"connected": login.carrier_code}


async def open_session(http: httpx.AsyncClient, redis, ns: str) -> None:
    if cookie := await redis.get(f"{ns}:dockview:session"):
        http.cookies.set(".ASPXAUTH", cookie)
        return
    login = await redis.hgetall(f"{ns}:dockview:login")
    resp = await http.post(f"{PORTAL}/Account/Login", data={
        "UserName": login["username"], "Password": login["password"], "CarrierCode": login["carrier_code"],
    })
    if ".ASPXAUTH" not in resp.cookies:
        raise HTTPException(status_code=502, detail="DockView login failed")
    await redis.set(f"{ns}:dockview:session", resp.cookies[".ASPXAUTH"], ex=20 * 60)


@app.post("/run")
async def run() -> dict:
    texted = 0
    async with redis_client() as (redis, ns), httpx.AsyncClient(timeout=30) as http:
        await open_session(http, redis, ns)
        sent_log = f"dock-texts:{date.today():%Y%m%d}"
        for warehouse, name in WAREHOUSES.items():
            resp = await http.get(f"{PORTAL}/Appointments/Table", params={"warehouse": warehouse, "days": 3})
            resp.raise_for_status()
            for row in BeautifulSoup(resp.text, "html.parser").select("table#appointments tbody tr"):
                appt_id, slot, door, phone = (td.get_text(strip=True) for td in row.select("td")[:4])
                previous = await redis.get(slot_key(warehouse, appt_id))
                await redis.set(slot_key(warehouse, appt_id), f"{slot}|{door}", ex=7 * 86400)
                if previous is None or previous == f"{slot}|{door}":
                    continue
                twilio.messages.create(
                    to=phone, from_=FROM_NUMBER,
                    body=f"Valley Fresh: your {name} appointment {appt_id} is now {slot}, door {door}.",
                )
                await redis.lpush(sent_log, f"{appt_id}:{slot}:{door}")
                await redis.zadd(f"{ns}:dockview:moves", {f"{warehouse}:{appt_id}": time.time()})
                texted += 1
    logger.info("dock run: %d drivers texted", texted)
    return {"texted": texted}


if __name__ == "__main__":
    run_service(app)
