"""Failed-payment follow-up for Loomcraft subscriptions.

Cron on the ops box: */10 * * * * /opt/loomcraft/venv/bin/python -m jobs.chargebee_dunning
Reads Chargebee payment_failed events from the last hour, emails the customer a card-update
link through Postmark and notes the attempt on the customer in Chargebee.
"""

import asyncio
import os
import time
from collections.abc import AsyncIterator

import httpx

SITE = os.environ["CHARGEBEE_SITE"]
AUTH = (os.environ["CHARGEBEE_API_KEY"], "")
POSTMARK_TOKEN = os.environ["POSTMARK_SERVER_TOKEN"]
LOOKBACK_SECONDS = 3600


async def failed_payments(cb: httpx.AsyncClient, since: int) -> AsyncIterator[dict]:
    params = {"event_type[is]": "payment_failed", "occurred_at[after]": since, "limit": 100}
    while True:
        resp = await cb.get("/events", params=params)
        resp.raise_for_status()
        body = resp.json()
        for entry in body["list"]:
            yield entry["event"]["content"]
        if "next_offset" not in body:
            return
        params["offset"] = body["next_offset"]


async def update_card_link(cb: httpx.AsyncClient, customer_id: str) -> str | None:
    resp = await cb.post("/hosted_pages/manage_payment_sources", data={"customer[id]": customer_id})
    if resp.status_code != 200:
        return None
    return resp.json()["hosted_page"]["url"]


async def email_customer(pm: httpx.AsyncClient, customer: dict, invoice: dict, link: str) -> bool:
    amount = invoice["amount_due"] / 100
    resp = await pm.post("https://api.postmarkapp.com/email/withTemplate", json={
        "From": "billing@loomcraft.io",
        "To": customer["email"],
        "TemplateAlias": "payment-failed",
        "TemplateModel": {"first_name": customer.get("first_name") or "there", "amount": f"{amount:.2f}",
                          "currency": invoice["currency_code"], "update_url": link},
    }, headers={"X-Postmark-Server-Token": POSTMARK_TOKEN, "Accept": "application/json"})
    return resp.status_code == 200


async def main() -> None:
    since = int(time.time()) - LOOKBACK_SECONDS
    emailed = skipped = 0
    async with httpx.AsyncClient(base_url=f"https://{SITE}.chargebee.com/api/v2", auth=AUTH, timeout=30) as cb, \
            httpx.AsyncClient(timeout=15) as pm:
        async for content in failed_payments(cb, since):
            customer, invoice = content["customer"], content.get("invoice")
            if not invoice or not customer.get("email"):
                skipped += 1
                continue
            link = await update_card_link(cb, customer["id"])
            if link is None:
                skipped += 1
                continue
            if await email_customer(pm, customer, invoice, link):
                emailed += 1
                await cb.post("/comments", data={
                    "entity_type": "customer",
                    "entity_id": customer["id"],
                    "notes": f"Dunning email sent for invoice {invoice['id']}",
                })
    print(f"dunning: emailed={emailed} skipped={skipped}")


if __name__ == "__main__":
    asyncio.run(main())
