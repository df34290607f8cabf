"""WhatsApp concierge on CodeWords: keeps chat history in memory, under the wrong keys."""

import json

from codewords_client import redis_client, run_service
from fastapi import FastAPI
from openai import AsyncOpenAI
from pydantic import BaseModel

app = FastAPI(title="Hotel concierge")
llm = AsyncOpenAI()


class Incoming(BaseModel):
    guest_phone: str
    text: str


@app.post("/message")
async def on_message(incoming: Incoming) -> dict:
    async with redis_client() as (redis, ns):
        history_key = f"concierge:history:{incoming.guest_phone}"
        history = [json.loads(turn) for turn in await redis.lrange(history_key, -12, -1)]
        completion = await llm.chat.completions.create(
            model="gpt-4o-mini",
            messages=[{"role": "system", "content": "You are the concierge of Hotel Alpina."}, *history, {"role": "user", "content": incoming.text}],
        )
        answer = completion.choices[0].message.content or ""
        await redis.rpush(history_key, json.dumps({"role": "user", "content": incoming.text}), json.dumps({"role": "assistant", "content": answer}))
        await redis.ltrim(history_key, -12, -1)
    return {"reply": answer}


if __name__ == "__main__":
    run_service(app)
