# Back-in-stock texts for Fernhill Yarns.
#
# FastAPI app on Fly.io. Shopify calls POST /webhooks/inventory for `inventory_levels/update`
# (every stock change at any location, including each sale and each recount), and retries a
# delivery that does not get a 200 within five seconds. When the item has stock, everyone on its
# waitlist (an Airtable table filled by the "notify me" form on the product page) gets an SMS.
import base64
import hashlib
import hmac
import json
import os

import httpx
from fastapi import FastAPI, Header, HTTPException, Request
from twilio.rest import Client

app = FastAPI()
SHOP = os.environ["SHOPIFY_SHOP"]  # fernhill-yarns.myshopify.com
WEBHOOK_SECRET = os.environ["SHOPIFY_WEBHOOK_SECRET"].encode()
AIRTABLE_URL = f"https://api.airtable.com/v0/{os.environ['AIRTABLE_BASE_ID']}/Waitlist"
twilio = Client(os.environ["TWILIO_ACCOUNT_SID"], os.environ["TWILIO_AUTH_TOKEN"])

VARIANT_QUERY = """
query ($id: ID!) {
  inventoryItem(id: $id) { variant { id displayName product { onlineStoreUrl } } }
}"""


def verify_hmac(body: bytes, signature: str | None) -> None:
    digest = base64.b64encode(hmac.new(WEBHOOK_SECRET, body, hashlib.sha256).digest()).decode()
    if not signature or not hmac.compare_digest(digest, signature):
        raise HTTPException(status_code=401, detail="invalid HMAC")


async def variant_for(client: httpx.AsyncClient, inventory_item_id: int) -> dict | None:
    resp = await client.post(
        f"https://{SHOP}/admin/api/2024-07/graphql.json",
        headers={"X-Shopify-Access-Token": os.environ["SHOPIFY_ADMIN_TOKEN"]},
        json={"query": VARIANT_QUERY, "variables": {"id": f"gid://shopify/InventoryItem/{inventory_item_id}"}},
    )
    resp.raise_for_status()
    item = resp.json()["data"]["inventoryItem"]
    return item["variant"] if item else None


async def waitlist(client: httpx.AsyncClient, variant_gid: str) -> list[dict]:
    people, params = [], {"filterByFormula": f"{{variant_gid}} = '{variant_gid}'", "pageSize": 100}
    headers = {"Authorization": f"Bearer {os.environ['AIRTABLE_TOKEN']}"}
    while True:
        resp = await client.get(AIRTABLE_URL, params=params, headers=headers)
        resp.raise_for_status()
        page = resp.json()
        people += [r["fields"] for r in page["records"] if r["fields"].get("phone")]
        if "offset" not in page:
            return people
        params["offset"] = page["offset"]


@app.post("/webhooks/inventory")
async def inventory_update(request: Request, x_shopify_hmac_sha256: str | None = Header(default=None)):
    body = await request.body()
    verify_hmac(body, x_shopify_hmac_sha256)
    level = json.loads(body)
    if (level.get("available") or 0) <= 0:
        return {"notified": 0}

    async with httpx.AsyncClient(timeout=10) as client:
        variant = await variant_for(client, level["inventory_item_id"])
        if variant is None or not variant["product"]["onlineStoreUrl"]:
            return {"notified": 0}
        people = await waitlist(client, variant["id"])

    for person in people:
        twilio.messages.create(
            to=person["phone"],
            from_=os.environ["TWILIO_FROM_NUMBER"],
            body=f"Hi {person.get('first_name', 'there')}! {variant['displayName']} is back in stock at "
                 f"Fernhill Yarns: {variant['product']['onlineStoreUrl']} (reply STOP to opt out)",
        )
    return {"notified": len(people)}
