"""Translation endpoint used by the CMS for product descriptions (DeepL, billed per character)."""

import os

import httpx
from fastapi import FastAPI
from pydantic import BaseModel

app = FastAPI()
DEEPL_URL = "https://api.deepl.com/v2/translate"


class TranslationRequest(BaseModel):
    text: str
    target_lang: str
    source_lang: str | None = None


@app.post("/translate")
async def translate(req: TranslationRequest) -> dict:
    async with httpx.AsyncClient(timeout=30) as client:
        resp = await client.post(
            DEEPL_URL,
            headers={"Authorization": f"DeepL-Auth-Key {os.environ['DEEPL_KEY']}"},
            data={"text": req.text, "target_lang": req.target_lang, "source_lang": req.source_lang or ""},
        )
    resp.raise_for_status()
    return {"translation": resp.json()["translations"][0]["text"]}
