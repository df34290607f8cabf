"""Form webhook: answers a customer's question in the language and tone they picked."""

from codewords_client import run_service
from fastapi import FastAPI
from openai import AsyncOpenAI
from pydantic import BaseModel

app = FastAPI(title="Multilingual answers")
llm = AsyncOpenAI()


class Question(BaseModel):
    customer_id: str
    question: str
    language: str | None = None
    tone: str | None = None


@app.post("/ask")
async def ask(question: Question) -> dict:
    language = question.language or "English"
    tone = question.tone or "friendly"
    answer = await llm.responses.create(
        model="gpt-4o-mini",
        instructions=f"Answer in {language}, in a {tone} tone, in at most 120 words.",
        input=question.question,
    )
    return {"answer": answer.output_text, "language": language}


if __name__ == "__main__":
    run_service(app)
