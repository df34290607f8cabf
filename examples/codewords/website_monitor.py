"""Website monitor (CodeWords service).

Runs every hour with a list of pages, summarises each one and posts the summary to Slack.
Today it posts every page on every run, changed or not.
"""
import os
from datetime import datetime, timezone

import httpx
from codewords_client import redis_client
from fastapi import FastAPI
from pydantic import BaseModel

app = FastAPI(title="Website monitor")

SLACK_WEBHOOK_URL = os.environ["SLACK_WEBHOOK_URL"]


class MonitorRequest(BaseModel):
    urls: list[str]


def summarize(html: str) -> str:
    """First heading and a little of the text: enough for a Slack message."""
    text = " ".join(html.split())
    return text[:280]


@app.post("/")
async def check_pages(request: MonitorRequest) -> dict:
    posted = []
    async with httpx.AsyncClient(timeout=20, follow_redirects=True) as http:
        for url in request.urls:
            page = await http.get(url)
            page.raise_for_status()
            summary = summarize(page.text)
            await http.post(SLACK_WEBHOOK_URL, json={"text": f"*{url}*\n{summary}"})
            posted.append(url)

    async with redis_client() as (redis, ns):
        checked_at = datetime.now(timezone.utc).isoformat()
        await redis.set(f"{ns}:monitor:last-run", checked_at, ex=7 * 86400)
    return {"checked": len(request.urls), "posted": posted}
