"""Escalates poor Intercom CSAT ratings to the #cx-escalations Slack channel.

CodeWords FastAPI service; a CodeWords schedule calls POST / every 30 minutes. Searches this
week's conversations rated 1 or 2 and posts each one once (claimed in memory with SET NX).
"""

import os
from datetime import datetime, timedelta, timezone

import httpx
from codewords_client import logger, redis_client, run_service
from fastapi import FastAPI

app = FastAPI(title="Low CSAT escalations")
INTERCOM = "https://api.intercom.io"
HEADERS = {
    "Authorization": f"Bearer {os.environ['INTERCOM_TOKEN']}",
    "Intercom-Version": "2.11",
    "Accept": "application/json",
}
SLACK_WEBHOOK = os.environ["SLACK_CX_ESCALATIONS_WEBHOOK"]


def start_of_week() -> int:
    today = datetime.now(timezone.utc).replace(hour=0, minute=0, second=0, microsecond=0)
    return int((today - timedelta(days=today.weekday())).timestamp())


@app.post("/")
async def escalate() -> dict:
    async with (
        httpx.AsyncClient(base_url=INTERCOM, headers=HEADERS, timeout=30) as intercom,
        httpx.AsyncClient(timeout=10) as slack,
    ):

        async def rated_conversations():
            query = {
                "operator": "AND",
                "value": [
                    {"field": "updated_at", "operator": ">", "value": start_of_week()},
                    {"field": "conversation_rating.score", "operator": "<", "value": 3},
                ],
            }
            pagination = {"per_page": 50}
            while True:
                resp = await intercom.post("/conversations/search", json={"query": query, "pagination": pagination})
                resp.raise_for_status()
                body = resp.json()
                for conversation in body["conversations"]:
                    yield conversation
                next_page = (body.get("pages") or {}).get("next")
                if not next_page:
                    return
                pagination = {"per_page": 50, "starting_after": next_page["starting_after"]}

        posted = 0
        async with redis_client() as (redis, ns):
            async for conversation in rated_conversations():
                rating = conversation["conversation_rating"]
                claimed = await redis.set(f"{ns}:csat:escalated:{conversation['id']}", 1, nx=True, ex=30 * 86400)
                if not claimed:
                    continue
                await slack.post(SLACK_WEBHOOK, json={
                    "text": f":rotating_light: CSAT {rating['score']}/5 from {conversation['source']['author'].get('email', 'a customer')}",
                    "blocks": [{"type": "section", "text": {"type": "mrkdwn", "text":
                        f"> {rating.get('remark') or '(no comment)'}\n<https://app.intercom.com/a/inbox/_/inbox/conversation/{conversation['id']}|Open in Intercom>"}}],
                })
                posted += 1
    logger.info("posted %d low ratings", posted)
    return {"posted": posted}


if __name__ == "__main__":
    run_service(app)
