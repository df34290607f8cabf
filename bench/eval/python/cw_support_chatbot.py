"""Support assistant behind a chat widget: one call per incoming message."""

import os

from codewords_client import run_service
from fastapi import FastAPI
from openai import AsyncOpenAI
from pydantic import BaseModel

app = FastAPI(title="Support chatbot")
openai_client = AsyncOpenAI(api_key=os.environ["OPENAI_API_KEY"])

SYSTEM_PROMPT = (
    "You are the support assistant for Acme Cloud. Answer briefly, link to docs when useful, "
    "and hand over to a human when the customer asks for a refund."
)


class ChatMessage(BaseModel):
    session_id: str
    user_name: str
    message: str


class ChatReply(BaseModel):
    reply: str


@app.post("/chat", response_model=ChatReply)
async def chat(incoming: ChatMessage) -> ChatReply:
    completion = await openai_client.chat.completions.create(
        model="gpt-4o-mini",
        messages=[
            {"role": "system", "content": SYSTEM_PROMPT},
            {"role": "user", "content": f"{incoming.user_name}: {incoming.message}"},
        ],
    )
    return ChatReply(reply=completion.choices[0].message.content or "")


if __name__ == "__main__":
    run_service(app)
