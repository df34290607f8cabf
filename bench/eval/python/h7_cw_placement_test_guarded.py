"""Placement-test results for Lingua Viva (Spanish and Italian evening classes in Leeds).

CodeWords FastAPI service registered as the Tally form webhook (POST /tally). Claude grades the
writing sample against the CEFR descriptors at temperature 0; grades are cached for 30 days by a
hash of rubric, language and text, since students often resubmit the same answer. The student
gets one email with their level and class; Tally retries until it gets a 200, so a Lua script
claims the submission in this week's set (SADD, then EXPIRE) before the email is sent.
"""

import hashlib
import json
import os
from datetime import date

import httpx
from anthropic import AsyncAnthropic
from codewords_client import logger, redis_client, run_service
from fastapi import FastAPI, Request

app = FastAPI(title="Placement test results")
claude = AsyncAnthropic()
RUBRIC = "cefr-writing-2024-09"
CLASSES = {"A1": "Tuesday beginners", "A2": "Thursday elementary", "B1": "Monday intermediate",
           "B2": "Wednesday upper-intermediate", "C1": "Saturday conversation circle"}
CLAIM_ONCE = """
if redis.call('SADD', KEYS[1], ARGV[1]) == 1 then
  redis.call('EXPIRE', KEYS[1], ARGV[2])
  return 1
end
return 0
"""


async def grade(redis, ns: str, language: str, sample: str) -> dict:
    digest = hashlib.sha256(f"{RUBRIC}|{language}|{sample.strip()}".encode()).hexdigest()
    cache_key = f"{ns}:placement:grade:{digest}"
    if cached := await redis.get(cache_key):
        return json.loads(cached)
    message = await claude.messages.create(
        model="claude-sonnet-4-20250514", max_tokens=300, temperature=0,
        system=f"Grade this {language} writing sample on the CEFR scale ({RUBRIC}). "
               'Answer only JSON: {"level": "A1".."C1", "reason": "<one sentence>"}',
        messages=[{"role": "user", "content": sample}],
    )
    verdict = json.loads(message.content[0].text)
    week_key = f"{ns}:placement:graded:{date.today():%G-W%V}"
    async with redis.pipeline(transaction=False) as pipe:
        pipe.set(cache_key, json.dumps({"level": verdict["level"], "reason": verdict["reason"]}), ex=30 * 86400)
        pipe.hincrby(week_key, language, 1)
        pipe.expire(week_key, 60 * 86400)
        await pipe.execute()
    return verdict


@app.post("/tally")
async def tally_submission(request: Request) -> dict:
    submission = (await request.json())["data"]
    answers = {field["label"]: field["value"] for field in submission["fields"]}
    language, email = answers["Language"], answers["Email"]

    async with redis_client() as (redis, ns):
        verdict = await grade(redis, ns, language, answers["Writing sample"])
        claim_key = f"{ns}:placement:emailed:{date.today():%G-W%V}"
        if not await redis.eval(CLAIM_ONCE, 1, claim_key, submission["submissionId"], 14 * 86400):
            return {"duplicate": True}
        try:
            async with httpx.AsyncClient(timeout=15) as http:
                resp = await http.post("https://api.postmarkapp.com/email", headers={
                    "X-Postmark-Server-Token": os.environ["POSTMARK_TOKEN"], "Accept": "application/json",
                }, json={
                    "From": "ciao@linguaviva.co.uk", "To": email,
                    "Subject": f"Your {language} placement: {verdict['level']}",
                    "TextBody": f"{verdict['reason']}\n\nWe suggest: {CLASSES[verdict['level']]}.",
                })
                resp.raise_for_status()
        except httpx.HTTPError:
            await redis.srem(claim_key, submission["submissionId"])
            raise
    logger.info("placed %s at %s", submission["submissionId"], verdict["level"])
    return {"level": verdict["level"]}


if __name__ == "__main__":
    run_service(app)
