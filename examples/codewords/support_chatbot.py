"""Support chatbot (CodeWords service).

The help-centre widget posts each customer message here. The bot answers with an LLM, in the
language the customer picked. It sees only the current message: a follow-up such as
"and for the yearly plan?" loses its context, and the language choice is forgotten.
"""
from codewords_client import redis_client
from fastapi import FastAPI
from openai import AsyncOpenAI
from pydantic import BaseModel

app = FastAPI(title="Support chatbot")
llm = AsyncOpenAI()

SYSTEM_PROMPT = (
    "You are Acme's support assistant. Answer briefly from the help centre "
    "and say so when you do not know."
)


class ChatMessage(BaseModel):
    session_id: str
    user_id: str
    text: str
    language: str | None = None


@app.post("/chat")
async def chat(message: ChatMessage) -> dict:
    language = message.language or "English"
    completion = await llm.chat.completions.create(
        model="gpt-4o-mini",
        messages=[
            {"role": "system", "content": f"{SYSTEM_PROMPT} Reply in {language}."},
            {"role": "user", "content": message.text},
        ],
    )
    answer = completion.choices[0].message.content

    async with redis_client() as (redis, ns):
        # Lets the weekly support report count returning customers.
        await redis.set(f"{ns}:chatbot:last-seen:{message.user_id}", message.session_id)
    return {"answer": answer}
