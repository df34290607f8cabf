"""Scores "Book a demo" requests for Palletline, a warehouse-slotting SaaS.

CodeWords FastAPI service. Tally posts every submission of the demo form to POST /tally (it
retries on errors, so each response is claimed first). The work email is verified with Hunter,
the person and company come from Apollo's people/match (both paid per lookup), GPT-4o-mini gives
an ICP score, the lead is created in Pipedrive and hot leads are posted to #sales-hot.
"""

import json
import os

import httpx
from codewords_client import logger, redis_client, run_service
from fastapi import FastAPI, Request
from openai import AsyncOpenAI

app = FastAPI(title="Demo lead scoring")
llm = AsyncOpenAI()
WEEK = 7 * 86400
ICP = "3PL or retailer with its own warehouses, 200+ employees, Europe or North America."


async def pipedrive_token(client: httpx.AsyncClient, redis, ns: str) -> str:
    if cached := await redis.get(f"{ns}:leads:pipedrive:access"):
        return cached
    resp = await client.post("https://oauth.pipedrive.com/oauth/token", auth=(
        os.environ["PIPEDRIVE_CLIENT_ID"], os.environ["PIPEDRIVE_CLIENT_SECRET"]),
        data={"grant_type": "refresh_token", "refresh_token": os.environ["PIPEDRIVE_REFRESH_TOKEN"]})
    resp.raise_for_status()
    token = resp.json()
    await redis.set(f"{ns}:leads:pipedrive:access", token["access_token"], ex=token["expires_in"] - 60)
    return token["access_token"]


async def enrich(client: httpx.AsyncClient, redis, ns: str, email: str) -> tuple[str, dict]:
    status = await redis.get(f"hunter:{email}")
    if status is None:
        hunter = await client.get("https://api.hunter.io/v2/email-verifier",
                                  params={"email": email, "api_key": os.environ["HUNTER_API_KEY"]})
        status = hunter.json()["data"]["status"]
        await redis.set(f"hunter:{email}", status, ex=30 * 86400)
    raw = await redis.get(f"{ns}:leads:apollo:{email}")
    if raw is None:
        apollo = await client.post("https://api.apollo.io/api/v1/people/match", json={"email": email},
                                   headers={"x-api-key": os.environ["APOLLO_API_KEY"]})
        raw = apollo.text
        await redis.set(f"{ns}:leads:apollo:{email}", raw, ex=WEEK)
    return status, json.loads(raw).get("person") or {}


async def icp_score(redis, ns: str, email: str, person: dict) -> int:
    if (score := await redis.hget(f"{ns}:leads:scores", email)) is not None:
        return int(score)
    org = person.get("organization") or {}
    completion = await llm.chat.completions.create(model="gpt-4o-mini", temperature=0, messages=[
        {"role": "system", "content": f"Score 0-100 how well this lead fits our ICP: {ICP} Reply with the number only."},
        {"role": "user", "content": json.dumps({"title": person.get("title"), "company": org.get("name"),
                                                "employees": org.get("estimated_num_employees"), "country": org.get("country")})}])
    score = int(completion.choices[0].message.content.strip())
    await redis.hset(f"{ns}:leads:scores", email, score)
    return score


@app.post("/tally")
async def tally(request: Request) -> dict:
    payload = await request.json()
    fields = {f["label"]: f["value"] for f in payload["data"]["fields"]}
    email = fields["Work email"].strip().lower()
    async with redis_client() as (redis, ns), httpx.AsyncClient(timeout=20) as client:
        if not await redis.set(f"{ns}:leads:response:{payload['data']['responseId']}", "1", nx=True, ex=WEEK):
            return {"duplicate": True}
        status, person = await enrich(client, redis, ns, email)
        score = await icp_score(redis, ns, email, person) if status != "invalid" else 0
        token = await pipedrive_token(client, redis, ns)
        api = f"{os.environ['PIPEDRIVE_API_DOMAIN']}/api/v1"  # e.g. https://palletline.pipedrive.com
        person_id = (await client.post(f"{api}/persons", headers={"Authorization": f"Bearer {token}"}, json={
            "name": fields.get("Name") or email, "email": [{"value": email, "primary": True}]})).json()["data"]["id"]
        await client.post(f"{api}/leads", headers={"Authorization": f"Bearer {token}"},
                          json={"title": f"Demo request: {email} (ICP {score})", "person_id": person_id})
        if score >= 70:
            await client.post(os.environ["SLACK_SALES_HOT_WEBHOOK"], json={
                "text": f":fire: {email} ({person.get('title')}, {(person.get('organization') or {}).get('name')}) ICP {score}"})
    logger.info("lead %s scored %d (%s)", email, score, status)
    return {"score": score}


if __name__ == "__main__":
    run_service(app)
