"""'A new friend for you' emails for adopters on the Second Chance Animal Rescue waitlist.

Cron on the rescue's Render worker: */30 * * * * python match_emails.py
Reads our organisation's adoptable animals from Petfinder, matches them against each waitlisted
adopter's wishes in Airtable (species, size, good with kids or cats) and emails the matches
through Mailgun. Redis keeps a per-adopter weekly counter so nobody gets more than three emails
a week.
"""

import os
from datetime import date

import redis
import requests

PETFINDER = "https://api.petfinder.com/v2"
AIRTABLE = f"https://api.airtable.com/v0/{os.environ['AIRTABLE_BASE_ID']}/Waitlist"
MAILGUN = f"https://api.mailgun.net/v3/{os.environ['MAILGUN_DOMAIN']}/messages"
WEEKLY_CAP = 3
r = redis.Redis.from_url(os.environ["REDIS_URL"], decode_responses=True)


def adoptable_animals() -> list[dict]:
    grant = requests.post(f"{PETFINDER}/oauth2/token", timeout=15, data={
        "grant_type": "client_credentials",
        "client_id": os.environ["PETFINDER_KEY"], "client_secret": os.environ["PETFINDER_SECRET"],
    })
    grant.raise_for_status()
    resp = requests.get(f"{PETFINDER}/animals", timeout=20,
                        headers={"Authorization": f"Bearer {grant.json()['access_token']}"},
                        params={"organization": os.environ["PETFINDER_ORG"], "status": "adoptable", "limit": 100})
    resp.raise_for_status()
    return resp.json()["animals"]


def waitlisted_adopters() -> list[dict]:
    resp = requests.get(AIRTABLE, timeout=20, headers={"Authorization": f"Bearer {os.environ['AIRTABLE_TOKEN']}"},
                        params={"filterByFormula": "{Status} = 'Waiting'"})
    resp.raise_for_status()
    return [record["fields"] for record in resp.json()["records"]]


def suits(adopter: dict, animal: dict) -> bool:
    env = animal.get("environment") or {}
    return (animal["species"] == adopter["Species"]
            and (not adopter.get("Sizes") or animal["size"] in adopter["Sizes"])
            and not (adopter.get("Has kids") and env.get("children") is False)
            and not (adopter.get("Has cats") and env.get("cats") is False))


def main() -> None:
    animals = adoptable_animals()
    for adopter in waitlisted_adopters():
        picks = [a for a in animals if suits(adopter, a)]
        counter = f"rescue:match-emails:{adopter['Email'].lower()}:{date.today():%G-W%V}"
        if not picks or int(r.get(counter) or 0) >= WEEKLY_CAP:
            continue
        lines = "\n".join(f"- {a['name']} ({a['age']} {a['breeds']['primary']}): {a['url']}" for a in picks)
        requests.post(MAILGUN, auth=("api", os.environ["MAILGUN_API_KEY"]), timeout=15, data={
            "from": "Second Chance Animal Rescue <adopt@secondchancerescue.org>",
            "to": adopter["Email"],
            "subject": f"{len(picks)} {adopter['Species'].lower()}(s) you might love",
            "text": f"Hi {adopter['First name']},\n\nThese friends match what you told us:\n{lines}\n",
        }).raise_for_status()
        r.incr(counter)
        r.expire(counter, 8 * 86400)


if __name__ == "__main__":
    main()
