"""Monday submissions report for the Driftwood Press acquisitions editors.

crontab on the office NAS:  0 7 * * MON  /volume1/scripts/venv/bin/python submissions_weekly.py
Queries the "Submissions" Notion database for every manuscript still in the pipeline and emails the
editors the list grouped by stage (queries, partials, fulls, at acquisitions meeting).
"""

import os
import smtplib
from collections import defaultdict
from dataclasses import dataclass
from email.message import EmailMessage

import requests

NOTION = "https://api.notion.com/v1"
DATABASE_ID = os.environ["NOTION_SUBMISSIONS_DB"]
HEADERS = {"Authorization": f"Bearer {os.environ['NOTION_TOKEN']}", "Notion-Version": "2022-06-28"}
STAGES = ["Query", "Partial requested", "Full requested", "Acquisitions meeting"]
EDITORS = ["acquisitions@driftwoodpress.org"]


@dataclass
class Submission:
    title: str
    author: str
    agent: str
    stage: str
    reader: str


def plain(prop: dict) -> str:
    parts = prop.get("title") or prop.get("rich_text") or []
    return "".join(p["plain_text"] for p in parts)


def pipeline() -> list[Submission]:
    body = {"filter": {"or": [{"property": "Stage", "status": {"equals": s}} for s in STAGES]},
            "page_size": 100}
    rows = []
    while True:
        resp = requests.post(f"{NOTION}/databases/{DATABASE_ID}/query", headers=HEADERS, json=body, timeout=30)
        resp.raise_for_status()
        data = resp.json()
        rows.extend(data["results"])
        if not data["has_more"]:
            break
        body["start_cursor"] = data["next_cursor"]
    return [Submission(
        title=plain(p["properties"]["Title"]),
        author=plain(p["properties"]["Author"]),
        agent=plain(p["properties"]["Agent"]) or "unagented",
        stage=p["properties"]["Stage"]["status"]["name"],
        reader=", ".join(u["name"] for u in p["properties"]["First reader"]["people"]) or "unassigned",
    ) for p in rows]


def render(subs: list[Submission]) -> str:
    by_stage = defaultdict(list)
    for sub in subs:
        by_stage[sub.stage].append(sub)
    lines = [f"{len(subs)} manuscripts in the pipeline.\n"]
    for stage in STAGES:
        lines.append(f"== {stage} ({len(by_stage[stage])}) ==")
        lines += [f"  - {s.title} by {s.author} ({s.agent}), reader: {s.reader}" for s in by_stage[stage]]
        lines.append("")
    return "\n".join(lines)


if __name__ == "__main__":
    msg = EmailMessage()
    msg["Subject"] = "Submissions pipeline - Monday report"
    msg["From"] = "reports@driftwoodpress.org"
    msg["To"] = ", ".join(EDITORS)
    msg.set_content(render(pipeline()))
    with smtplib.SMTP_SSL(os.environ["SMTP_HOST"], 465) as smtp:
        smtp.login(os.environ["SMTP_USER"], os.environ["SMTP_PASSWORD"])
        smtp.send_message(msg)
