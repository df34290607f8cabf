"""Council agenda digest for the Bay Area Housing Coalition.

Run by cron at 06:15 every day (`15 6 * * * /opt/venvs/council/bin/python council_digest.py`).
Fetches the next-meeting agenda page of each city council, asks GPT to pick out the items about
housing, zoning and transit (temperature 0), and posts one summary per city to Slack. Redis only
keeps a per-day count of the OpenAI tokens spent.
"""

import os
import sys
from datetime import date

import redis
import requests
from bs4 import BeautifulSoup
from openai import OpenAI

AGENDAS = {
    "Oakland": "https://oakland.legistar.com/Calendar.aspx?Mode=Next",
    "Berkeley": "https://berkeleyca.gov/your-government/city-council/city-council-agendas",
    "San Leandro": "https://www.sanleandro.org/AgendaCenter/City-Council-3",
}
SLACK_WEBHOOK = os.environ["SLACK_POLICY_WEBHOOK"]
PROMPT = ("From this city council agenda, list every item about housing, zoning, land use or "
          "transit as '- <item number>: <one line>'. Reply 'Nothing relevant.' if there are none.")

r = redis.Redis.from_url(os.environ["REDIS_URL"], decode_responses=True)
client = OpenAI()


def agenda_text(url: str) -> str:
    page = requests.get(url, timeout=30, headers={"User-Agent": "bahc-agenda-digest/1.3"})
    page.raise_for_status()
    soup = BeautifulSoup(page.text, "html.parser")
    for tag in soup(["script", "style", "nav", "footer"]):
        tag.decompose()
    return soup.get_text(" ", strip=True)[:40_000]


def relevant_items(city: str, text: str) -> str:
    completion = client.chat.completions.create(
        model="gpt-4o-mini",
        temperature=0,
        messages=[{"role": "system", "content": PROMPT}, {"role": "user", "content": f"{city}\n\n{text}"}],
    )
    day_key = f"council-digest:tokens:{date.today().isoformat()}"
    r.incrby(day_key, completion.usage.total_tokens)
    r.expire(day_key, 45 * 86400)
    return completion.choices[0].message.content.strip()


def main() -> int:
    failures = 0
    for city, url in AGENDAS.items():
        try:
            summary = relevant_items(city, agenda_text(url))
        except (requests.RequestException, ValueError) as exc:
            print(f"{city}: {exc}", file=sys.stderr)
            failures += 1
            continue
        requests.post(SLACK_WEBHOOK, json={"text": f"*{city} council, next meeting*\n{summary}\n<{url}|Agenda>"}, timeout=10)
    return 1 if failures == len(AGENDAS) else 0


if __name__ == "__main__":
    sys.exit(main())
