"""Monday report of the open deals in the CRM, sent to the sales channel."""

import os
from collections import Counter

import httpx
from codewords_client import logger, run_service
from fastapi import FastAPI
from pydantic import BaseModel

app = FastAPI(title="Weekly pipeline report")
PIPEDRIVE = "https://api.pipedrive.com/v1"


class ReportRequest(BaseModel):
    slack_webhook_url: str
    min_value: float = 0


@app.post("/")
async def weekly_report(request: ReportRequest) -> dict:
    async with httpx.AsyncClient(timeout=30) as client:
        response = await client.get(
            f"{PIPEDRIVE}/deals",
            params={"status": "open", "limit": 500, "api_token": os.environ["PIPEDRIVE_TOKEN"]},
        )
        deals = [d for d in response.json()["data"] or [] if d["value"] >= request.min_value]

        by_stage = Counter(deal["stage_id"] for deal in deals)
        lines = [f"*Open deals: {len(deals)}* (total {sum(d['value'] for d in deals):,.0f} EUR)"]
        for deal in sorted(deals, key=lambda d: d["value"], reverse=True)[:20]:
            lines.append(f"• {deal['title']} — {deal['value']:,.0f} {deal['currency']} ({deal['owner_name']})")
        lines.append("By stage: " + ", ".join(f"{stage}: {count}" for stage, count in by_stage.items()))

        await client.post(request.slack_webhook_url, json={"text": "\n".join(lines)})
    logger.info("reported %d deals", len(deals))
    return {"deals": len(deals)}


if __name__ == "__main__":
    run_service(app)
