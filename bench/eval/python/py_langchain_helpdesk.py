"""HR policy assistant for the intranet: FastAPI + LangChain."""

from fastapi import FastAPI
from langchain_core.messages import HumanMessage, SystemMessage
from langchain_openai import ChatOpenAI
from pydantic import BaseModel

app = FastAPI(title="HR assistant")
chat_model = ChatOpenAI(model="gpt-4o-mini", temperature=0.3)

POLICY = open("hr_policy.md", encoding="utf-8").read()


class Ask(BaseModel):
    employee_id: str
    conversation_id: str
    text: str


@app.post("/ask")
def ask(body: Ask) -> dict:
    answer = chat_model.invoke(
        [
            SystemMessage(content=f"Answer from this policy only:\n{POLICY}"),
            HumanMessage(content=body.text),
        ]
    )
    return {"conversation_id": body.conversation_id, "answer": answer.content}
