"""Summarises the latest articles from a few feeds and posts each one to Slack."""

import os

import feedparser
import httpx
from codewords_client import logger, run_service
from fastapi import FastAPI
from openai import AsyncOpenAI
from pydantic import BaseModel

app = FastAPI(title="AI news digest")
llm = AsyncOpenAI()

FEEDS = [
    "https://hnrss.org/frontpage",
    "https://www.theverge.com/rss/ai-artificial-intelligence/index.xml",
]


class DigestRequest(BaseModel):
    slack_webhook_url: str
    max_per_feed: int = 5


async def summarise(title: str, body: str) -> str:
    response = await llm.chat.completions.create(
        model="gpt-4o-mini",
        temperature=0,
        messages=[
            {"role": "system", "content": "Summarise the article in two sentences for engineers."},
            {"role": "user", "content": f"{title}\n\n{body[:6000]}"},
        ],
    )
    return response.choices[0].message.content or ""


@app.post("/")
async def post_digest(request: DigestRequest) -> dict:
    posted = 0
    async with httpx.AsyncClient(timeout=20) as client:
        for feed_url in FEEDS:
            feed = feedparser.parse(feed_url)
            for entry in feed.entries[: request.max_per_feed]:
                summary = await summarise(entry.title, entry.get("summary", ""))
                await client.post(
                    request.slack_webhook_url,
                    json={"text": f"*<{entry.link}|{entry.title}>*\n{summary}"},
                )
                posted += 1
    logger.info("posted %d articles", posted)
    return {"posted": posted}


if __name__ == "__main__":
    run_service(app)
