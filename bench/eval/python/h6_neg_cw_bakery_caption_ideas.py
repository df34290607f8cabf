"""Instagram caption ideas for Crumb & Co. bakery's content planner.

CodeWords FastAPI service behind the "Write captions" button in the planner. Each click sends the
product and, optionally, the occasion and what the photo shows; we read the product's description
from the public Shopify storefront and ask GPT for three playful captions at a high temperature,
so a second click ("Give me different ones") gets fresh ideas. Nothing is scheduled or sent.
"""

import httpx
from codewords_client import logger, run_service
from fastapi import FastAPI, HTTPException
from openai import AsyncOpenAI
from pydantic import BaseModel, Field

app = FastAPI(title="Caption ideas")
openai = AsyncOpenAI()
STOREFRONT = "https://crumbandco.myshopify.com"

SYSTEM = (
    "You write Instagram captions for a small neighbourhood bakery. Warm, a little cheeky, "
    "under 220 characters, at most two emojis, end with one or two hashtags. Never mention prices."
)


class CaptionRequest(BaseModel):
    product_handle: str
    occasion: str = Field(default="", max_length=120)
    photo_notes: str = Field(default="", max_length=300)


async def product_blurb(handle: str) -> dict:
    async with httpx.AsyncClient(timeout=10) as client:
        resp = await client.get(f"{STOREFRONT}/products/{handle}.js")
    if resp.status_code == 404:
        raise HTTPException(status_code=404, detail=f"No product {handle!r}")
    resp.raise_for_status()
    product = resp.json()
    return {"title": product["title"], "description": product["description"][:600], "tags": product["tags"]}


@app.post("/")
async def caption_ideas(req: CaptionRequest) -> dict:
    product = await product_blurb(req.product_handle)
    prompt = "\n".join(filter(None, [
        f"Product: {product['title']}",
        f"About it: {product['description']}",
        f"Tags: {', '.join(product['tags'])}" if product["tags"] else "",
        f"Occasion: {req.occasion}" if req.occasion else "",
        f"The photo shows: {req.photo_notes}" if req.photo_notes else "",
    ]))
    completion = await openai.chat.completions.create(
        model="gpt-4o-mini",
        temperature=1.1,
        presence_penalty=0.6,
        n=3,
        max_tokens=120,
        messages=[{"role": "system", "content": SYSTEM}, {"role": "user", "content": prompt}],
    )
    captions = [choice.message.content.strip() for choice in completion.choices]
    logger.info("captions for %s (%s): %d tokens", req.product_handle, req.occasion or "-",
                completion.usage.total_tokens)
    return {"product": product["title"], "captions": captions}


if __name__ == "__main__":
    run_service(app)
