"""Menu helper bot for Greenbox Kitchen, a weekly meal-prep delivery (Telegram @GreenboxMenuBot).

CodeWords FastAPI service set as the Telegram webhook (POST /telegram). Customers ask what is on
this week's menu, what fits their diet or how to reheat a dish. The last turns of each chat are
kept for a day so follow-up questions work; `/diet vegan, no nuts` tailors the answers.
"""

import json
import os

import httpx
from codewords_client import logger, redis_client, run_service
from fastapi import FastAPI, Request
from openai import AsyncOpenAI

app = FastAPI(title="Greenbox menu bot")
llm = AsyncOpenAI()
TELEGRAM = f"https://api.telegram.org/bot{os.environ['TELEGRAM_BOT_TOKEN']}"
MENU = "https://greenboxkitchen.com/collections/this-week/products.json"
MAX_TURNS = 16
DIETS: dict[int, str] = {}  # chat id -> what the customer told /diet


async def menu_lines(http: httpx.AsyncClient) -> str:
    resp = await http.get(MENU, params={"limit": 50})
    resp.raise_for_status()
    return "\n".join(f"- {p['title']} ({', '.join(p['tags'])})" for p in resp.json()["products"])


async def reply(http: httpx.AsyncClient, chat_id: int, text: str) -> None:
    await http.post(f"{TELEGRAM}/sendMessage", json={"chat_id": chat_id, "text": text})


@app.post("/telegram")
async def telegram_update(request: Request) -> dict:
    message = (await request.json()).get("message") or {}
    text, chat_id = (message.get("text") or "").strip(), message.get("chat", {}).get("id")
    if not text or chat_id is None:
        return {"ok": True}

    async with httpx.AsyncClient(timeout=20) as http:
        if text.startswith("/diet"):
            DIETS[chat_id] = text.removeprefix("/diet").strip() or "no restrictions"
            await reply(http, chat_id, f"Got it: {DIETS[chat_id]}. Ask me what fits this week!")
            return {"ok": True}

        system = ("You are the menu helper of Greenbox Kitchen. Be brief and friendly. "
                  f"This week's menu:\n{await menu_lines(http)}")
        if diet := DIETS.get(chat_id):
            system += f"\nThe customer's diet: {diet}. Only recommend dishes that fit it."

        async with redis_client() as (redis, ns):
            history_key = f"{ns}:greenbox:chat:{chat_id}"
            history = [json.loads(turn) for turn in await redis.lrange(history_key, -MAX_TURNS, -1)]
            completion = await llm.chat.completions.create(
                model="gpt-4o-mini", temperature=0.5,
                messages=[{"role": "system", "content": system}, *history, {"role": "user", "content": text}],
            )
            answer = completion.choices[0].message.content
            await redis.rpush(history_key, json.dumps({"role": "user", "content": text}),
                              json.dumps({"role": "assistant", "content": answer}))
            await redis.ltrim(history_key, -MAX_TURNS, -1)
            await redis.expire(history_key, 86400)
        await reply(http, chat_id, answer)
    logger.info("answered chat %s (%d earlier turns)", chat_id, len(history))
    return {"ok": True}


if __name__ == "__main__":
    run_service(app)
