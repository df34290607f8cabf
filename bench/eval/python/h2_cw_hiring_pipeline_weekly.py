"""Weekly hiring report: every active application in Greenhouse, by job and stage, posted to Teams.

CodeWords FastAPI service; a CodeWords schedule calls POST / every Monday at 08:00.
"""

import os
from collections import Counter, defaultdict

import httpx
from codewords_client import logger, run_service
from fastapi import FastAPI
from pydantic import BaseModel

app = FastAPI(title="Hiring pipeline weekly")
HARVEST = "https://harvest.greenhouse.io/v1"


class ReportRequest(BaseModel):
    teams_webhook_url: str
    department: str | None = None


def format_report(applications: list[dict]) -> str:
    by_job: dict[str, Counter] = defaultdict(Counter)
    for application in applications:
        job = application["jobs"][0]["name"] if application["jobs"] else "General application"
        stage = (application.get("current_stage") or {}).get("name", "Unstaged")
        by_job[job][stage] += 1

    lines = [f"**{len(applications)} active candidates in {len(by_job)} roles**"]
    for job, stages in sorted(by_job.items(), key=lambda item: -sum(item[1].values())):
        funnel = ", ".join(f"{stage}: {count}" for stage, count in stages.most_common())
        lines.append(f"- **{job}** ({sum(stages.values())}) — {funnel}")
    return "\n\n".join(lines)


@app.post("/")
async def weekly_report(request: ReportRequest) -> dict:
    url: str | None = f"{HARVEST}/applications"
    params: dict | None = {"status": "active", "per_page": 500}
    applications: list[dict] = []

    async with httpx.AsyncClient(timeout=30, auth=(os.environ["GREENHOUSE_API_KEY"], "")) as client:
        while url:
            response = await client.get(url, params=params)
            response.raise_for_status()
            applications.extend(response.json())
            url = response.links.get("next", {}).get("url")
            params = None  # the next link already carries the query

    if request.department:
        applications = [
            a for a in applications
            if any(job.get("department", {}).get("name") == request.department for job in a["jobs"])
        ]
    async with httpx.AsyncClient(timeout=15) as teams:
        await teams.post(request.teams_webhook_url, json={"text": format_report(applications)})
    logger.info("weekly hiring report: %d applications", len(applications))
    return {"applications": len(applications)}


if __name__ == "__main__":
    run_service(app)
