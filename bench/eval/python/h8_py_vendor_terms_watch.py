"""Vendor terms-of-service watch for the Quillfield legal ops team.

GitHub Actions workflow `.github/workflows/vendor-terms.yml`, schedule "0 6 * * *":
    python scripts/vendor_terms_watch.py
Reads the terms page of each critical vendor and, when the page says it was updated in the last
two weeks, opens a Linear issue in the LEGAL team so counsel reviews the new terms.
"""

import os
import re
from datetime import date, datetime, timedelta

import httpx
from bs4 import BeautifulSoup

VENDORS = {
    "Stripe": {"url": "https://stripe.com/legal/ssa", "owner": "finance"},
    "Twilio": {"url": "https://www.twilio.com/en-us/legal/tos", "owner": "product"},
    "Snowflake": {"url": "https://www.snowflake.com/legal/terms-of-service/", "owner": "data"},
    "Okta": {"url": "https://www.okta.com/legal/", "owner": "security"},
    "Atlassian": {"url": "https://www.atlassian.com/legal/cloud-terms-of-service", "owner": "eng"},
}
UPDATED = re.compile(r"(?:last\s+updated|effective(?:\s+date)?)[:\s]+([A-Z][a-z]+ \d{1,2}, \d{4})", re.I)
LINEAR = "https://api.linear.app/graphql"
ISSUE_CREATE = """
mutation($input: IssueCreateInput!) { issueCreate(input: $input) { success issue { identifier url } } }
"""


def last_updated(text: str) -> date | None:
    match = UPDATED.search(text)
    if not match:
        return None
    try:
        return datetime.strptime(match.group(1), "%B %d, %Y").date()
    except ValueError:
        return None


def open_review(http: httpx.Client, vendor: str, owner: str, url: str, updated: date) -> str:
    resp = http.post(LINEAR, headers={"Authorization": os.environ["LINEAR_API_KEY"]}, json={
        "query": ISSUE_CREATE,
        "variables": {"input": {
            "teamId": os.environ["LINEAR_LEGAL_TEAM_ID"],
            "title": f"Review updated {vendor} terms ({updated:%b %d, %Y})",
            "description": f"{vendor} updated its terms on {updated:%B %d, %Y}: {url}\n\nBusiness owner: {owner}",
        }},
    })
    resp.raise_for_status()
    return resp.json()["data"]["issueCreate"]["issue"]["identifier"]


def main() -> None:
    cutoff = date.today() - timedelta(days=14)
    with httpx.Client(timeout=30, follow_redirects=True,
                      headers={"User-Agent": "quillfield-legal-ops/1.0"}) as http:
        for vendor, cfg in VENDORS.items():
            try:
                page = http.get(cfg["url"])
                page.raise_for_status()
            except httpx.HTTPError as exc:
                print(f"::warning::{vendor}: {exc}")
                continue
            text = BeautifulSoup(page.text, "html.parser").get_text(" ", strip=True)
            updated = last_updated(text)
            if updated is None:
                print(f"::warning::{vendor}: no 'last updated' date found")
            elif updated >= cutoff:
                print(f"{vendor}: updated {updated}, opened {open_review(http, vendor, cfg['owner'], cfg['url'], updated)}")


if __name__ == "__main__":
    main()
