"""Morning competitive-intelligence digest for the BD team at Halcyon Therapeutics (KRAS oncology).

Runs daily at 06:30 UTC from a GitHub Actions schedule (`python -m digest.trials_intel`). Collects
the most recently updated ClinicalTrials.gov studies for our targets, the newest PubMed papers and
matching FDA press releases, asks Claude for a two-line "why it matters" per item and emails the
whole digest to the BD distribution list through SendGrid.
"""

import os
from datetime import date

import anthropic
import feedparser
import requests
from sendgrid import SendGridAPIClient
from sendgrid.helpers.mail import Mail

TARGETS = ["KRAS G12C", "KRAS G12D", "SHP2", "SOS1"]
KEYWORDS = ("kras", "shp2", "sos1", "non-small cell", "colorectal", "pancreatic")
CTGOV = "https://clinicaltrials.gov/api/v2/studies"
EUTILS = "https://eutils.ncbi.nlm.nih.gov/entrez/eutils"
FDA_PRESS_RSS = "https://www.fda.gov/about-fda/contact-fda/stay-informed/rss-feeds/press-releases/rss.xml"
claude = anthropic.Anthropic()


def trial_updates(term: str) -> list[dict]:
    resp = requests.get(CTGOV, params={
        "query.intr": term, "sort": "LastUpdatePostDate:desc", "pageSize": 15, "format": "json",
    }, timeout=30)
    resp.raise_for_status()
    items = []
    for study in resp.json()["studies"]:
        ps = study["protocolSection"]
        sponsor = ps["sponsorCollaboratorsModule"]["leadSponsor"]["name"]
        items.append({"id": ps["identificationModule"]["nctId"], "source": "ClinicalTrials.gov",
                      "title": ps["identificationModule"]["briefTitle"],
                      "detail": f"{ps['statusModule']['overallStatus']} ({sponsor})"})
    return items


def pubmed_papers(term: str) -> list[dict]:
    search = requests.get(f"{EUTILS}/esearch.fcgi", params={
        "db": "pubmed", "term": f"{term}[tiab]", "sort": "pub_date", "retmax": 10, "retmode": "json",
    }, timeout=30).json()
    ids = search["esearchresult"]["idlist"]
    if not ids:
        return []
    result = requests.get(f"{EUTILS}/esummary.fcgi", params={
        "db": "pubmed", "id": ",".join(ids), "retmode": "json"}, timeout=30).json()["result"]
    return [{"id": f"PMID:{pmid}", "source": "PubMed", "title": result[pmid]["title"],
             "detail": f"{result[pmid]['source']}, {result[pmid]['pubdate']}"} for pmid in ids]


def fda_releases() -> list[dict]:
    feed = feedparser.parse(FDA_PRESS_RSS)
    return [{"id": e.link, "source": "FDA", "title": e.title, "detail": e.get("summary", "")[:600]}
            for e in feed.entries
            if any(k in f"{e.title} {e.get('summary', '')}".lower() for k in KEYWORDS)]


def why_it_matters(item: dict) -> str:
    msg = claude.messages.create(
        model="claude-3-5-haiku-latest", max_tokens=200, temperature=0,
        system="You brief the BD team of a biotech developing KRAS-pathway inhibitors. Two sentences, no hype.",
        messages=[{"role": "user", "content": f"{item['source']}: {item['title']}\n{item['detail']}"}],
    )
    return msg.content[0].text


def main() -> None:
    items = [i for term in TARGETS for i in trial_updates(term) + pubmed_papers(term)] + fda_releases()
    seen, rows = set(), []
    for item in items:
        if item["id"] in seen:  # the same trial often matches two targets
            continue
        seen.add(item["id"])
        rows.append(f"<li><b>[{item['source']}] {item['title']}</b><br>{item['detail']}"
                    f"<br><i>{why_it_matters(item)}</i></li>")
    html = f"<h2>KRAS landscape, {date.today():%d %b %Y}</h2><ul>{''.join(rows)}</ul>"
    SendGridAPIClient(os.environ["SENDGRID_API_KEY"]).send(Mail(
        from_email="intel-bot@halcyon-tx.com", to_emails=os.environ["BD_DIGEST_LIST"].split(","),
        subject=f"KRAS landscape digest ({len(rows)} items)", html_content=html))


if __name__ == "__main__":
    main()
