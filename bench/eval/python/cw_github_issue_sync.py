"""Copies new GitHub issues of a repository into a Notion database, run every 15 minutes."""

import os
from datetime import datetime, timedelta, timezone

import httpx
from codewords_client import logger, run_service
from fastapi import FastAPI
from pydantic import BaseModel

app = FastAPI(title="GitHub issues to Notion")

GITHUB = "https://api.github.com"
NOTION = "https://api.notion.com/v1/pages"


class SyncRequest(BaseModel):
    repo: str  # owner/name
    notion_database_id: str


@app.post("/")
async def sync_issues(request: SyncRequest) -> dict:
    headers = {"Authorization": f"Bearer {os.environ['GITHUB_TOKEN']}"}
    notion_headers = {
        "Authorization": f"Bearer {os.environ['NOTION_TOKEN']}",
        "Notion-Version": "2022-06-28",
    }
    since = (datetime.now(timezone.utc) - timedelta(days=1)).isoformat()
    copied = 0
    async with httpx.AsyncClient(timeout=30) as client:
        page = 1
        while True:
            response = await client.get(
                f"{GITHUB}/repos/{request.repo}/issues",
                params={"since": since, "state": "all", "per_page": 100, "page": page},
                headers=headers,
            )
            issues = response.json()
            if not issues:
                break
            for issue in issues:
                await client.post(
                    NOTION,
                    headers=notion_headers,
                    json={
                        "parent": {"database_id": request.notion_database_id},
                        "properties": {
                            "Name": {"title": [{"text": {"content": issue["title"]}}]},
                            "URL": {"url": issue["html_url"]},
                        },
                    },
                )
                copied += 1
            page += 1
    logger.info("copied %d issues", copied)
    return {"copied": copied}


if __name__ == "__main__":
    run_service(app)
