"""Tells #ci-alerts about failed pipelines on the default branch of our GitLab projects.

Long-lived asyncio worker (docker compose service `ci-watch`), one pass every 10 minutes.
Redis (redis.asyncio) only keeps per-day failure counters for the Grafana dashboard.
"""

import asyncio
import os
from datetime import date

import aiohttp
import redis.asyncio as aioredis

GITLAB = os.environ.get("GITLAB_URL", "https://gitlab.com") + "/api/v4"
PROJECTS = os.environ["GITLAB_PROJECT_IDS"].split(",")
SLACK_WEBHOOK = os.environ["SLACK_CI_WEBHOOK"]


async def failed_pipelines(session: aiohttp.ClientSession, project: str) -> list[dict]:
    failed: list[dict] = []
    for page in (1, 2):
        async with session.get(
            f"{GITLAB}/projects/{project}/pipelines",
            params={"status": "failed", "ref": "main", "per_page": 50, "page": page},
        ) as resp:
            resp.raise_for_status()
            batch = await resp.json()
        failed.extend(batch)
        if len(batch) < 50:
            break
    return failed


def to_slack(project: str, pipeline: dict) -> dict:
    return {
        "text": f":red_circle: Pipeline #{pipeline['id']} failed on `main` of project {project} "
        f"({pipeline['sha'][:8]}, {pipeline['updated_at']})\n<{pipeline['web_url']}|Open pipeline>"
    }


async def run_once(session: aiohttp.ClientSession, stats: aioredis.Redis) -> None:
    for project in PROJECTS:
        for pipeline in await failed_pipelines(session, project):
            async with session.post(SLACK_WEBHOOK, json=to_slack(project, pipeline)) as posted:
                posted.raise_for_status()
            await stats.hincrby(f"ci-watch:failures:{date.today().isoformat()}", project, 1)


async def main() -> None:
    stats = aioredis.from_url(os.environ["REDIS_URL"], decode_responses=True)
    headers = {"PRIVATE-TOKEN": os.environ["GITLAB_TOKEN"]}
    async with aiohttp.ClientSession(headers=headers, timeout=aiohttp.ClientTimeout(total=30)) as session:
        while True:
            try:
                await run_once(session, stats)
            except aiohttp.ClientError as err:
                print(f"ci-watch pass failed: {err}")
            await asyncio.sleep(600)


if __name__ == "__main__":
    asyncio.run(main())
