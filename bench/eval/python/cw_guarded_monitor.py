"""Release-notes monitor that already remembers what it saw (memory guards every site)."""

import hashlib

import httpx
from codewords_client import logger, redis_client, run_service
from fastapi import FastAPI
from pydantic import BaseModel

app = FastAPI(title="Release notes monitor")
THIRTY_DAYS = 30 * 86400


class WatchRequest(BaseModel):
    url: str
    recipients: list[str]
    sendgrid_key: str


@app.post("/")
async def watch(request: WatchRequest) -> dict:
    url_hash = hashlib.sha256(request.url.encode()).hexdigest()[:16]
    async with redis_client() as (redis, ns):
        async with httpx.AsyncClient(timeout=20) as client:
            page = await client.get(request.url)
            digest = hashlib.sha256(page.content).hexdigest()
            last_key = f"{ns}:release-monitor:page-hash:{url_hash}"
            if await redis.get(last_key) == digest:
                logger.info("unchanged: %s", request.url)
                return {"changed": False, "notified": 0}
            await redis.set(last_key, digest, ex=THIRTY_DAYS)

            notified = 0
            seen_key = f"{ns}:release-monitor:notified:{url_hash}:{digest[:12]}"
            for email in request.recipients:
                if not await redis.sadd(seen_key, email):
                    continue
                await client.post(
                    "https://api.sendgrid.com/v3/mail/send",
                    headers={"Authorization": f"Bearer {request.sendgrid_key}"},
                    json={
                        "personalizations": [{"to": [{"email": email}]}],
                        "from": {"email": "bot@releases.dev"},
                        "subject": "Release notes changed",
                        "content": [{"type": "text/plain", "value": request.url}],
                    },
                )
                notified += 1
            await redis.expire(seen_key, THIRTY_DAYS)
    return {"changed": True, "notified": notified}


if __name__ == "__main__":
    run_service(app)
