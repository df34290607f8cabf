"""Nudges clients about tickets waiting for their review, for the Forge & Pixel web agency.

CodeWords FastAPI service. The Atlassian connect flow calls POST /authorize once per client with
the Jira cloud id, the OAuth refresh token and the client's shared Slack channel; a CodeWords
schedule calls POST /nudge on weekdays at 09:00. Each issue that has sat in "Client review" for
more than three days is posted once to the client's channel.
"""

import json
import os
from datetime import date, datetime, timedelta, timezone

import httpx
from codewords_client import logger, redis_client, run_service
from fastapi import FastAPI
from pydantic import BaseModel

app = FastAPI(title="Client review nudges")
JQL = 'status = "Client review" AND updated <= -3d ORDER BY updated ASC'
SLACK_TOKEN = os.environ["SLACK_BOT_TOKEN"]


class Authorization(BaseModel):
    cloud_id: str
    refresh_token: str
    slack_channel: str


@app.post("/authorize")
async def authorize(auth: Authorization) -> dict:
    async with redis_client() as (redis, ns):
        await redis.set(f"{ns}:jira:{auth.cloud_id}:refresh-token", auth.refresh_token)
        await redis.hset(f"{ns}:jira:sites", auth.cloud_id, auth.slack_channel)
    return {"authorized": auth.cloud_id}


async def access_token(client: httpx.AsyncClient, redis, ns: str, cloud_id: str) -> str:
    refresh = await redis.get(f"{ns}:jira:{cloud_id}:refresh-token")
    resp = await client.post("https://auth.atlassian.com/oauth/token", json={
        "grant_type": "refresh_token", "client_id": os.environ["ATLASSIAN_CLIENT_ID"],
        "client_secret": os.environ["ATLASSIAN_CLIENT_SECRET"], "refresh_token": refresh,
    })
    resp.raise_for_status()
    tokens = resp.json()
    # Atlassian rotates the refresh token on every use: keep the new one for the next run.
    await redis.set(f"{ns}:jira:{cloud_id}:refresh-token", tokens["refresh_token"], ex=60 * 86400)
    return tokens["access_token"]


@app.post("/nudge")
async def nudge() -> dict:
    posted = 0
    async with redis_client() as (redis, ns), httpx.AsyncClient(timeout=30) as client:
        if not await redis.set(f"review-nudge:lock:{date.today()}", "1", nx=True, ex=3600):
            return {"skipped": "already running today"}
        for cloud_id, channel in (await redis.hgetall(f"{ns}:jira:sites")).items():
            token = await access_token(client, redis, ns, cloud_id)
            resp = await client.get(f"https://api.atlassian.com/ex/jira/{cloud_id}/rest/api/3/search", params={
                "jql": JQL, "maxResults": 50,
            }, headers={"Authorization": f"Bearer {token}", "Accept": "application/json"})
            resp.raise_for_status()
            for issue in resp.json()["issues"]:
                if await redis.hexists(f"{ns}:jira:{cloud_id}:nudged", issue["key"]):
                    continue
                waiting = datetime.now(timezone.utc) - datetime.fromisoformat(issue["fields"]["updated"])
                await client.post("https://slack.com/api/chat.postMessage", headers={"Authorization": f"Bearer {SLACK_TOKEN}"},
                                  json={"channel": channel, "text": f"{issue['key']} \"{issue['fields']['summary']}\" has "
                                        f"been waiting for your review for {waiting.days} days. Could you take a look?"})
                await redis.hset(f"{ns}:jira:{cloud_id}:nudged", issue["key"], json.dumps(issue))
                posted += 1
    logger.info("posted %d review nudges", posted)
    return {"posted": posted}


if __name__ == "__main__":
    run_service(app)
