"""Keeps the last copy of competitors' pricing pages in memory (whole pages: too much)."""

import hashlib

import httpx
from codewords_client import logger, redis_client, run_service
from fastapi import FastAPI
from pydantic import BaseModel

app = FastAPI(title="Pricing page archive")


class ArchiveRequest(BaseModel):
    urls: list[str]


@app.post("/")
async def archive(request: ArchiveRequest) -> dict:
    changed = []
    async with redis_client() as (redis, ns):
        async with httpx.AsyncClient(timeout=20, follow_redirects=True) as client:
            for url in request.urls:
                key = f"{ns}:pricing-archive:{hashlib.sha1(url.encode()).hexdigest()}"
                response = await client.get(url)
                previous = await redis.get(key)
                if previous == response.text:
                    continue
                await redis.set(key, response.text, ex=14 * 86400)
                changed.append(url)
    logger.info("%d pages changed", len(changed))
    return {"changed": changed}


if __name__ == "__main__":
    run_service(app)
