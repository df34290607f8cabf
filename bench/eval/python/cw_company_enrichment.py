# /// script
# requires-python = "==3.11.*"
# dependencies = ["codewords-client==0.3.1", "fastapi==0.115.8", "httpx==0.28.1", "openai==1.59.7"]
# ///
"""Enriches inbound leads: company profile from a paid API, one-line summary from an LLM."""

import os

import httpx
from codewords_client import logger, run_service
from fastapi import FastAPI
from openai import AsyncOpenAI
from pydantic import BaseModel

app = FastAPI(title="Lead enrichment")
llm = AsyncOpenAI()
PEOPLE_DATA_KEY = os.environ["PDL_API_KEY"]


class Lead(BaseModel):
    email: str
    company_domain: str


class EnrichedLead(BaseModel):
    email: str
    company_name: str
    employees: int | None
    summary: str


@app.post("/", response_model=EnrichedLead)
async def enrich(lead: Lead) -> EnrichedLead:
    async with httpx.AsyncClient(timeout=30) as http:
        profile_response = await http.get(
            "https://api.peopledatalabs.com/v5/company/enrich",
            params={"website": lead.company_domain},
            headers={"X-Api-Key": PEOPLE_DATA_KEY},
        )
    profile = profile_response.json()

    summary = await llm.chat.completions.create(
        model="gpt-4o",
        temperature=0,
        messages=[
            {"role": "system", "content": "Summarise what this company does in one sentence."},
            {"role": "user", "content": str(profile.get("summary") or profile.get("name"))},
        ],
    )
    logger.info("enriched %s", lead.company_domain)
    return EnrichedLead(
        email=lead.email,
        company_name=profile.get("name", lead.company_domain),
        employees=profile.get("employee_count"),
        summary=summary.choices[0].message.content or "",
    )


if __name__ == "__main__":
    run_service(app)
