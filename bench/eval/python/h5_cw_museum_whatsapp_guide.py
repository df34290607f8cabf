"""WhatsApp audio-guide companion for the Harbourside Maritime Museum.

CodeWords FastAPI service registered as the WhatsApp Cloud API webhook: Meta calls GET /webhook once
to verify it and POST /webhook for every visitor message. Visitors type a gallery stop number or a
question, usually several in a row while they walk around. "/level kids" (or adult, expert) sets
how the guide should talk to them.
"""

import os

import httpx
from codewords_client import logger, run_service
from fastapi import FastAPI, HTTPException, Query, Request
from openai import AsyncOpenAI

app = FastAPI(title="Museum WhatsApp guide")
openai = AsyncOpenAI()
GRAPH_URL = f"https://graph.facebook.com/v19.0/{os.environ['WA_PHONE_NUMBER_ID']}/messages"
LEVELS = {
    "kids": "Talk to a child of 8: short sentences, one fun fact, no dates.",
    "adult": "Talk to an interested adult visitor, in three or four sentences.",
    "expert": "Talk to a maritime historian: precise dates, ship classes and sources.",
}
COLLECTION_NOTES = open(os.path.join(os.path.dirname(__file__), "gallery_stops.md")).read()


async def send_whatsapp(to: str, body: str) -> None:
    async with httpx.AsyncClient(timeout=15) as client:
        resp = await client.post(
            GRAPH_URL,
            headers={"Authorization": f"Bearer {os.environ['WA_ACCESS_TOKEN']}"},
            json={"messaging_product": "whatsapp", "to": to, "type": "text", "text": {"body": body}},
        )
        if resp.is_error:
            logger.error("whatsapp send failed: %s %s", resp.status_code, resp.text[:200])


@app.get("/webhook")
async def verify(mode: str = Query(alias="hub.mode"), token: str = Query(alias="hub.verify_token"),
                 challenge: str = Query(alias="hub.challenge")) -> int:
    if mode != "subscribe" or token != os.environ["WA_VERIFY_TOKEN"]:
        raise HTTPException(status_code=403)
    return int(challenge)


@app.post("/webhook")
async def incoming(request: Request) -> dict:
    value = (await request.json())["entry"][0]["changes"][0]["value"]
    for message in value.get("messages", []):
        if message.get("type") != "text":
            continue
        visitor, text = message["from"], message["text"]["body"].strip()
        level = "adult"
        if text.lower().startswith("/level"):
            level = text[len("/level"):].strip().lower()
            reply = f"Got it, I'll guide you at the {level} level." if level in LEVELS else "Try /level kids, adult or expert."
            await send_whatsapp(visitor, reply)
            continue

        completion = await openai.chat.completions.create(
            model="gpt-4o-mini",
            messages=[
                {"role": "system", "content": f"You are the museum's guide. {LEVELS[level]}\n\n{COLLECTION_NOTES}"},
                {"role": "user", "content": text},
            ],
        )
        await send_whatsapp(visitor, completion.choices[0].message.content)
    return {"status": "ok"}


if __name__ == "__main__":
    run_service(app)
