"""Onboarding drip: remembers who got which email — with several memory mistakes."""

import os

import httpx
from codewords_client import redis_client, run_service
from fastapi import FastAPI
from pydantic import BaseModel

app = FastAPI(title="Onboarding drip")


class Signup(BaseModel):
    user_id: str
    email: str
    hubspot_token: str


@app.post("/signup")
async def on_signup(signup: Signup) -> dict:
    async with redis_client() as (redis, ns):
        if await redis.sismember(f"{ns}:onboarding:welcomed", signup.user_id):
            return {"sent": False}

        async with httpx.AsyncClient(timeout=10) as client:
            await client.post(
                "https://api.postmarkapp.com/email",
                headers={"X-Postmark-Server-Token": os.environ["POSTMARK_TOKEN"]},
                json={"From": "hello@acme.dev", "To": signup.email, "Subject": "Welcome!", "TextBody": "Hi!"},
            )
        await redis.sadd(f"{ns}:onboarding:welcomed", signup.user_id)
        await redis.set(f"onboarding:last-signup", signup.user_id, ex=7 * 86400)
        await redis.set(f"{ns}:onboarding:crm-token:{signup.user_id}", signup.hubspot_token, ex=3600)
        await redis.hset("onboarding:stats", mapping={"last_email": signup.email})
    return {"sent": True}


if __name__ == "__main__":
    run_service(app)
