"""Meta Ads pacing alerts for the agency's client ad accounts.

CodeWords FastAPI service. The onboarding form calls POST /connect once per client with the ad
account id and the long-lived access token the client granted us; a CodeWords schedule calls
POST /check every hour. A campaign that has already spent more than 120% of its daily budget is
flagged in #paid-social (once a day per campaign). Today's insights are kept for the Friday recap.
"""

import os
from datetime import date

import httpx
from codewords_client import logger, redis_client, run_service
from fastapi import FastAPI
from pydantic import BaseModel

app = FastAPI(title="Ad pacing alerts")
GRAPH = "https://graph.facebook.com/v19.0"
SLACK_WEBHOOK = os.environ["SLACK_PAID_SOCIAL_WEBHOOK"]
OVERSPEND = 1.2


class Connection(BaseModel):
    ad_account_id: str
    client_name: str
    access_token: str


@app.post("/connect")
async def connect(conn: Connection) -> dict:
    async with redis_client() as (redis, ns):
        await redis.hset(f"{ns}:pacing:account:{conn.ad_account_id}", mapping={
            "client": conn.client_name,
            "token": conn.access_token,
        })
        await redis.sadd("pacing:accounts", conn.ad_account_id)
    logger.info("connected %s (act_%s)", conn.client_name, conn.ad_account_id)
    return {"connected": conn.ad_account_id}


async def daily_budgets(client: httpx.AsyncClient, account_id: str, token: str) -> dict[str, float]:
    resp = await client.get(f"{GRAPH}/act_{account_id}/campaigns", params={
        "effective_status": '["ACTIVE"]', "fields": "id,daily_budget", "limit": 200, "access_token": token,
    })
    resp.raise_for_status()
    return {c["id"]: int(c["daily_budget"]) / 100 for c in resp.json()["data"] if c.get("daily_budget")}


@app.post("/check")
async def check() -> dict:
    today = date.today().isoformat()
    flagged = []
    async with redis_client() as (redis, ns), httpx.AsyncClient(timeout=30) as client:
        for account_id in await redis.smembers("pacing:accounts"):
            account = await redis.hgetall(f"{ns}:pacing:account:{account_id}")
            budgets = await daily_budgets(client, account_id, account["token"])
            insights = await client.get(f"{GRAPH}/act_{account_id}/insights", params={
                "level": "campaign", "date_preset": "today",
                "fields": "campaign_id,campaign_name,spend", "access_token": account["token"],
            })
            insights.raise_for_status()
            await redis.set(f"{ns}:pacing:{account_id}:insights:{today}", insights.text, ex=8 * 86400)

            for row in insights.json()["data"]:
                budget = budgets.get(row["campaign_id"])
                if not budget or float(row["spend"]) < budget * OVERSPEND:
                    continue
                if not await redis.sadd(f"{ns}:pacing:{account_id}:flagged", f"{today}:{row['campaign_id']}"):
                    continue
                await client.post(SLACK_WEBHOOK, json={
                    "text": f":money_with_wings: {account['client']} / {row['campaign_name']}: "
                            f"${float(row['spend']):,.2f} spent of ${budget:,.2f} daily budget",
                })
                flagged.append(row["campaign_id"])
    return {"flagged": flagged}


if __name__ == "__main__":
    run_service(app)
