"""Maths homework tutor for the Tally app: a Socratic chat that never just gives the answer.

CodeWords FastAPI service; the app calls POST / with each student message.
Memory: the last 20 turns per session (RPUSH + LTRIM + EXPIRE, 24 hours) and the student's year
group (a hash per student, 90 days), so students do not have to repeat it every session.
"""

import json

from codewords_client import logger, redis_client, run_service
from fastapi import FastAPI
from openai import AsyncOpenAI
from pydantic import BaseModel

app = FastAPI(title="Homework tutor")
llm = AsyncOpenAI()
MAX_TURNS = 20
DAY = 86400


class TutorMessage(BaseModel):
    student_id: str
    session_id: str
    text: str
    year_group: int | None = None


def system_prompt(year_group: str | None) -> str:
    level = f"a UK Year {year_group} pupil" if year_group else "a secondary-school pupil"
    return (
        f"You are a patient maths tutor for {level}. Ask one guiding question at a time, "
        "check their working step by step, and never state the final answer outright."
    )


@app.post("/")
async def tutor(msg: TutorMessage) -> dict:
    async with redis_client() as (redis, ns):
        prefs_key = f"{ns}:tutor:student:{msg.student_id}"
        if msg.year_group is not None:
            await redis.hset(prefs_key, "year_group", msg.year_group)
            await redis.expire(prefs_key, 90 * DAY)
        year_group = await redis.hget(prefs_key, "year_group")

        history_key = f"{ns}:tutor:session:{msg.session_id}:turns"
        history = [json.loads(turn) for turn in await redis.lrange(history_key, -MAX_TURNS, -1)]
        completion = await llm.chat.completions.create(
            model="gpt-4o-mini",
            temperature=0.4,
            messages=[
                {"role": "system", "content": system_prompt(year_group)},
                *history,
                {"role": "user", "content": msg.text},
            ],
        )
        reply = completion.choices[0].message.content
        async with redis.pipeline(transaction=True) as pipe:
            pipe.rpush(
                history_key,
                json.dumps({"role": "user", "content": msg.text}),
                json.dumps({"role": "assistant", "content": reply}),
            )
            pipe.ltrim(history_key, -MAX_TURNS, -1)
            pipe.expire(history_key, DAY)
            await pipe.execute()
    logger.info("tutor replied in session %s (%d earlier turns)", msg.session_id, len(history))
    return {"reply": reply}


if __name__ == "__main__":
    run_service(app)
