"""Nightly export of HubSpot contacts into the data warehouse (Postgres)."""

import os

import psycopg
import redis
import requests

HUBSPOT = "https://api.hubapi.com/crm/v3/objects/contacts"
HEADERS = {"Authorization": f"Bearer {os.environ['HUBSPOT_TOKEN']}"}

cache = redis.from_url(os.environ["REDIS_URL"])


def export_contacts() -> int:
    lock = cache.set("hubspot-export:lock", "1", nx=True, ex=3600)
    if not lock:
        print("another export is running")
        return 0

    exported = 0
    after = None
    with psycopg.connect(os.environ["WAREHOUSE_DSN"]) as db:
        while True:
            params = {"limit": 100, "properties": "email,firstname,lastname,lifecyclestage"}
            if after:
                params["after"] = after
            page = requests.get(HUBSPOT, params=params, headers=HEADERS, timeout=30).json()
            rows = [
                (c["id"], c["properties"].get("email"), c["properties"].get("lifecyclestage"))
                for c in page["results"]
            ]
            db.executemany(
                "INSERT INTO contacts (id, email, stage) VALUES (%s, %s, %s) "
                "ON CONFLICT (id) DO UPDATE SET email = EXCLUDED.email, stage = EXCLUDED.stage",
                rows,
            )
            exported += len(rows)
            after = page.get("paging", {}).get("next", {}).get("after")
            if not after:
                break
    cache.delete("hubspot-export:lock")
    return exported


if __name__ == "__main__":
    print(f"exported {export_contacts()} contacts")
