"""Mortgage pre-qualification assistant on the Northgate Lending website.

CodeWords FastAPI service; the site widget calls POST /chat for each visitor message with its
session id. The visitor's province and first-time-buyer flag are remembered per visitor (90 days)
so the widget does not ask again; the LLM answers each message on its own.
"""

from codewords_client import logger, redis_client, run_service
from fastapi import FastAPI, HTTPException
from openai import AsyncOpenAI
from pydantic import BaseModel

app = FastAPI(title="Mortgage assistant")
openai = AsyncOpenAI()
PROFILE_TTL = 90 * 86400
PROVINCES = {"ON", "BC", "AB", "QC", "MB", "SK", "NS", "NB", "NL", "PE"}


class ChatTurn(BaseModel):
    visitor_id: str
    session_id: str
    message: str
    province: str | None = None
    first_time_buyer: bool | None = None


def build_system_prompt(profile: dict) -> str:
    lines = [
        "You are a mortgage pre-qualification assistant for a Canadian lender.",
        "Explain stress tests, down payment minimums and CMHC insurance plainly.",
        "Never promise an approval or quote a rate; offer to book a call with a broker.",
    ]
    if profile.get("province"):
        lines.append(f"The visitor is buying in {profile['province']}; mention provincial land transfer tax.")
    if profile.get("first_time_buyer") == "1":
        lines.append("The visitor is a first-time buyer (FHSA and Home Buyers' Plan may apply).")
    return " ".join(lines)


async def load_profile(turn: ChatTurn) -> dict:
    async with redis_client() as (redis, ns):
        key = f"{ns}:mortgage:visitor:{turn.visitor_id}"
        updates = {}
        if turn.province:
            updates["province"] = turn.province.upper()
        if turn.first_time_buyer is not None:
            updates["first_time_buyer"] = "1" if turn.first_time_buyer else "0"
        if updates:
            await redis.hset(key, mapping=updates)
            await redis.expire(key, PROFILE_TTL)
        return await redis.hgetall(key)


@app.post("/chat")
async def chat(turn: ChatTurn) -> dict:
    if turn.province and turn.province.upper() not in PROVINCES:
        raise HTTPException(status_code=422, detail="unknown province")
    profile = await load_profile(turn)

    completion = await openai.chat.completions.create(
        model="gpt-4o",
        temperature=0.3,
        messages=[
            {"role": "system", "content": build_system_prompt(profile)},
            {"role": "user", "content": turn.message},
        ],
    )
    answer = completion.choices[0].message.content
    logger.info("session %s answered (%d chars)", turn.session_id, len(answer))
    return {"reply": answer, "profile": profile}


if __name__ == "__main__":
    run_service(app)
