"""'Invoice paid' notices for the account managers at Fieldnote Studio (design agency).

CodeWords FastAPI service registered as the Xero webhook (Invoices, custom connection). When an
invoice turns PAID, the client's account manager gets a Slack DM. Xero redelivers a batch until it
gets a 200 and sends several UPDATE events per invoice, so each batch is recorded by its signature
and each paid invoice is announced once.
"""

import base64
import hashlib
import hmac
import os

import httpx
from codewords_client import logger, redis_client, run_service
from fastapi import FastAPI, HTTPException, Request
from slack_sdk.web.async_client import AsyncWebClient

app = FastAPI(title="Xero paid invoices")
slack = AsyncWebClient(token=os.environ["SLACK_BOT_TOKEN"])
ACCOUNT_MANAGERS = {"Northwind Foods": "U04QF1M2K7P", "Halcyon Rail": "U05B7T3Z9LL"}
DEFAULT_MANAGER = "U03ZK0R1A4E"


def key(ns: str, *parts: str) -> str:
    return ":".join((ns, "xero-paid", *parts))


async def access_token(client: httpx.AsyncClient, redis, ns: str) -> str:
    if cached := await redis.get(key(ns, "token")):
        return cached
    resp = await client.post("https://identity.xero.com/connect/token",
                             data={"grant_type": "client_credentials", "scope": "accounting.transactions.read"},
                             auth=(os.environ["XERO_CLIENT_ID"], os.environ["XERO_CLIENT_SECRET"]))
    resp.raise_for_status()
    grant = resp.json()
    await redis.set(key(ns, "token"), grant["access_token"], ex=grant["expires_in"] - 60)
    return grant["access_token"]


@app.post("/xero")
async def xero_webhook(request: Request) -> dict:
    raw = await request.body()
    signature = base64.b64encode(hmac.new(os.environ["XERO_WEBHOOK_KEY"].encode(), raw, hashlib.sha256).digest())
    if not hmac.compare_digest(signature.decode(), request.headers.get("x-xero-signature", "")):
        raise HTTPException(status_code=401)
    events = [e for e in (await request.json())["events"] if e["eventCategory"] == "INVOICE"]

    announced = 0
    async with redis_client() as (redis, ns), httpx.AsyncClient(timeout=20) as client:
        if not await redis.set(key(ns, "batch", hashlib.sha256(raw).hexdigest()), 1, nx=True, ex=2 * 86400):
            return {"duplicate": True}
        for event in events:
            token = await access_token(client, redis, ns)
            resp = await client.get(event["resourceUrl"], headers={"Authorization": f"Bearer {token}",
                                                                   "Accept": "application/json"})
            resp.raise_for_status()
            invoice = resp.json()["Invoices"][0]
            if invoice["Status"] != "PAID":
                continue
            if not await redis.sadd(key(ns, "announced"), invoice["InvoiceID"]):
                continue
            contact = invoice["Contact"]["Name"]
            await slack.chat_postMessage(
                channel=ACCOUNT_MANAGERS.get(contact, DEFAULT_MANAGER),
                text=f":tada: {contact} paid {invoice['InvoiceNumber']} "
                     f"({invoice['CurrencyCode']} {invoice['Total']:,.2f}).",
            )
            async with redis.pipeline(transaction=False) as pipe:
                pipe.hincrbyfloat(key(ns, "paid-total", contact), invoice["CurrencyCode"], invoice["Total"])
                pipe.expire(key(ns, "paid-total", contact), 400 * 86400)
                await pipe.execute()
            announced += 1
    logger.info("%d invoice events, %d announced", len(events), announced)
    return {"announced": announced}


if __name__ == "__main__":
    run_service(app)
