"""Lead enrichment job (plain redis-py, run by cron every 15 minutes).

Adds company size and industry to new CRM leads with a paid lookup API (billed per call).
Many leads share a company domain, and the same domain is looked up again on every run.
"""
import os
from datetime import datetime, timezone

import redis
import requests

REDIS_URL = os.environ.get("REDIS_URL", "redis://127.0.0.1:6379")
r = redis.Redis.from_url(REDIS_URL, decode_responses=True)

CRM_API = "https://crm.example.com/api/v1"
LOOKUP_API = "https://api.companydata.example/v2/companies/find"
HEADERS = {"Authorization": f"Bearer {os.environ['COMPANYDATA_API_KEY']}"}


def new_leads() -> list[dict]:
    response = requests.get(f"{CRM_API}/leads", params={"status": "new"}, timeout=30)
    response.raise_for_status()
    return response.json()["leads"]


def enrich(lead: dict) -> dict:
    domain = lead["email"].split("@")[1]
    response = requests.get(LOOKUP_API, params={"domain": domain}, headers=HEADERS, timeout=30)
    response.raise_for_status()
    company = response.json()
    return {**lead, "company_size": company["employees"], "industry": company["industry"]}


def main() -> None:
    for lead in new_leads():
        enriched = enrich(lead)
        update = requests.patch(f"{CRM_API}/leads/{lead['id']}", json=enriched, timeout=30)
        update.raise_for_status()
    r.set("enrich:last-run", datetime.now(timezone.utc).isoformat())


if __name__ == "__main__":
    main()
