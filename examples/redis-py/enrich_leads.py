"""Lead enrichment job (plain redis-py, run by cron every 15 minutes).

Adds coordinates and a country to new CRM leads from their address, with Google's Geocoding
API (billed per request). Leads from the same office share an address, and each one is
geocoded again and again.
"""
import os
from datetime import datetime, timezone

import googlemaps
import redis
import requests

REDIS_URL = os.environ.get("REDIS_URL", "redis://127.0.0.1:6379")
r = redis.Redis.from_url(REDIS_URL, decode_responses=True)
gmaps = googlemaps.Client(key=os.environ["GOOGLE_MAPS_API_KEY"])

CRM_API = "https://crm.example.com/api/v1"


def new_leads() -> list[dict]:
    response = requests.get(f"{CRM_API}/leads", params={"status": "new"}, timeout=30)
    response.raise_for_status()
    return response.json()["leads"]


def enrich(lead: dict) -> dict:
    address = lead["address"]
    results = gmaps.geocode(address)
    place = results[0]
    location = place["geometry"]["location"]
    country = next(c["short_name"] for c in place["address_components"] if "country" in c["types"])
    return {**lead, "lat": location["lat"], "lng": location["lng"], "country": country}


def main() -> None:
    for lead in new_leads():
        enriched = enrich(lead)
        update = requests.patch(f"{CRM_API}/leads/{lead['id']}", json=enriched, timeout=30)
        update.raise_for_status()
    r.set("enrich:last-run", datetime.now(timezone.utc).isoformat())


if __name__ == "__main__":
    main()
