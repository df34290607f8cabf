# /// script
# requires-python = "==3.11.*"
# dependencies = [
#   "codewords-client==0.3.1",
#   "fastapi==0.115.8",
#   "httpx==0.28.1",
#   "beautifulsoup4==4.12.3",
# ]
# ///
"""Watches a web page for a keyword and posts to Slack when it shows up."""

import os

import httpx
from bs4 import BeautifulSoup
from codewords_client import logger, run_service
from fastapi import FastAPI
from pydantic import BaseModel, Field

app = FastAPI(title="Page keyword monitor", description="Checks a page on a schedule and alerts Slack.")


class MonitorRequest(BaseModel):
    url: str = Field(..., description="Page to watch")
    keyword: str = Field(..., description="Text to look for")
    slack_webhook_url: str = Field(..., description="Incoming webhook to alert")


class MonitorResponse(BaseModel):
    found: bool
    alerted: bool


@app.post("/", response_model=MonitorResponse)
async def check_page(request: MonitorRequest) -> MonitorResponse:
    async with httpx.AsyncClient(timeout=20, follow_redirects=True) as client:
        response = await client.get(request.url)
        response.raise_for_status()

    text = BeautifulSoup(response.text, "html.parser").get_text(" ", strip=True)
    found = request.keyword.lower() in text.lower()
    logger.info("checked %s: keyword %s", request.url, "found" if found else "absent")
    if not found:
        return MonitorResponse(found=False, alerted=False)

    async with httpx.AsyncClient(timeout=10) as client:
        await client.post(
            request.slack_webhook_url,
            json={"text": f":mag: '{request.keyword}' appeared on {request.url}"},
        )
    return MonitorResponse(found=True, alerted=True)


if __name__ == "__main__":
    run_service(app)
