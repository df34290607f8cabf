"""Food recall alerts for the Greenleaf grocery stores.

CodeWords FastAPI service; a CodeWords schedule calls POST / every 2 hours with the supplier
brands we stock and each store's Teams webhook. Recent openFDA food enforcement reports that
name one of our brands are turned into a short shelf-pull instruction (Claude, temperature 0,
cached in memory per recall number) and posted to every store channel.
"""

import hashlib

import httpx
from anthropic import AsyncAnthropic
from codewords_client import logger, redis_client, run_service
from fastapi import FastAPI
from pydantic import BaseModel

app = FastAPI(title="Recall floor alerts")
claude = AsyncAnthropic()
OPENFDA = "https://api.fda.gov/food/enforcement.json"


class Store(BaseModel):
    code: str
    teams_webhook: str


class RecallCheck(BaseModel):
    brands: list[str]
    stores: list[Store]


async def shelf_instruction(redis, ns: str, recall: dict) -> str:
    key = f"{ns}:recalls:instruction:{hashlib.sha1(recall['recall_number'].encode()).hexdigest()}"
    if cached := await redis.get(key):
        return cached
    message = await claude.messages.create(
        model="claude-3-5-haiku-latest",
        max_tokens=300,
        temperature=0,
        system="Write a 3-step instruction for grocery floor staff to pull a recalled product.",
        messages=[{"role": "user", "content": f"{recall['product_description']}\n"
                                              f"Codes: {recall.get('code_info', 'n/a')}\n"
                                              f"Reason: {recall['reason_for_recall']}"}],
    )
    text = message.content[0].text
    await redis.set(key, text, ex=7 * 86400)
    return text


@app.post("/")
async def check_recalls(request: RecallCheck) -> dict:
    query = " ".join(f'recalling_firm:"{brand}"' for brand in request.brands)
    async with httpx.AsyncClient(timeout=30) as client:
        response = await client.get(OPENFDA, params={"search": query, "sort": "report_date:desc", "limit": 25})
        if response.status_code == 404:  # openFDA answers 404 when nothing matches
            return {"recalls": 0, "posted": 0}
        response.raise_for_status()
        recalls = [r for r in response.json()["results"] if r["status"] == "Ongoing"]

        posted = 0
        async with redis_client() as (redis, ns):
            for recall in recalls:
                steps = await shelf_instruction(redis, ns, recall)
                card = {
                    "title": f"RECALL {recall['recall_number']} ({recall['classification']})",
                    "text": f"**{recall['product_description'][:200]}**\n\n{steps}",
                }
                for store in request.stores:
                    try:
                        await client.post(store.teams_webhook, json=card)
                        posted += 1
                    except httpx.HTTPError as exc:
                        logger.warning("store %s: %s", store.code, exc)
    logger.info("%d ongoing recalls, %d posts", len(recalls), posted)
    return {"recalls": len(recalls), "posted": posted}


if __name__ == "__main__":
    run_service(app)
