"""Thank-you notes for new GitHub Sponsors of the tilemaker-rs project.

FastAPI app behind Caddy on the maintainers' VPS; GitHub sends the `sponsorship` webhook to
POST /github/sponsorship. On `created` the sponsor gets a thank-you email (Postmark) and the
maintainers' Discord gets a post. GitHub redelivers on timeouts and sponsors sometimes cancel
and come back, so a Lua script claims the sponsor for a year (SET NX EX) and bumps the monthly
per-tier counter (with its own expiry) in one round trip; a failed send releases the claim.
"""

import hashlib
import hmac
import os
from datetime import date

import httpx
from fastapi import FastAPI, Header, HTTPException, Request
from redis.asyncio import Redis

app = FastAPI()
redis = Redis.from_url(os.environ["REDIS_URL"], decode_responses=True)
SECRET = os.environ["GITHUB_WEBHOOK_SECRET"].encode()
YEAR = 365 * 86400

CLAIM_SPONSOR = redis.register_script("""
if redis.call('SET', KEYS[1], ARGV[1], 'NX', 'EX', ARGV[2]) then
  redis.call('HINCRBY', KEYS[2], ARGV[1], 1)
  redis.call('EXPIRE', KEYS[2], ARGV[3])
  return 1
end
return 0
""")


def check_signature(body: bytes, signature: str | None) -> None:
    expected = "sha256=" + hmac.new(SECRET, body, hashlib.sha256).hexdigest()
    if not signature or not hmac.compare_digest(expected, signature):
        raise HTTPException(status_code=401, detail="bad signature")


async def thank(client: httpx.AsyncClient, sponsor: dict, tier: dict) -> None:
    profile = (await client.get(f"https://api.github.com/users/{sponsor['login']}")).json()
    if profile.get("email"):
        await client.post("https://api.postmarkapp.com/email/withTemplate", headers={
            "X-Postmark-Server-Token": os.environ["POSTMARK_TOKEN"], "Accept": "application/json",
        }, json={"From": "maintainers@tilemaker.dev", "To": profile["email"], "TemplateAlias": "sponsor-thanks",
                 "TemplateModel": {"name": profile.get("name") or sponsor["login"], "tier": tier["name"]}})
    resp = await client.post(os.environ["DISCORD_MAINTAINERS_WEBHOOK"], json={
        "content": f":heart: **{sponsor['login']}** is now sponsoring us ({tier['name']})",
    })
    resp.raise_for_status()


@app.post("/github/sponsorship")
async def sponsorship(request: Request, x_hub_signature_256: str | None = Header(default=None),
                      x_github_event: str = Header(default="")) -> dict:
    body = await request.body()
    check_signature(body, x_hub_signature_256)
    if x_github_event != "sponsorship":
        return {"ignored": x_github_event}
    payload = await request.json()
    if payload["action"] != "created":
        return {"ignored": payload["action"]}

    sponsor, tier = payload["sponsorship"]["sponsor"], payload["sponsorship"]["tier"]
    thanked_key = f"tilemaker:sponsors:thanked:{sponsor['id']}"
    month_key = f"tilemaker:sponsors:new:{date.today():%Y-%m}"
    if not await CLAIM_SPONSOR(keys=[thanked_key, month_key], args=[tier["name"], YEAR, 62 * 86400]):
        return {"thanked": False}
    try:
        async with httpx.AsyncClient(timeout=10) as client:
            await thank(client, sponsor, tier)
    except httpx.HTTPError:
        await redis.delete(thanked_key)
        raise
    return {"thanked": True}
