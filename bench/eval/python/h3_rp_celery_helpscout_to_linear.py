"""Turns Help Scout conversations tagged `bug` into Linear issues on the Support -> Eng triage board.

Celery beat task (celery -A support_tasks worker -B), every 15 minutes. Looks at every bug
conversation modified since Monday 00:00 UTC and files a Linear issue for each one.
"""

import os
from datetime import datetime, timedelta, timezone

import redis
import requests
from celery import Celery
from celery.schedules import crontab

BROKER_URL = os.environ.get("CELERY_BROKER_URL", "redis://localhost:6379/0")
app = Celery("support_tasks", broker=BROKER_URL)
app.conf.beat_schedule = {
    "bug-conversations-to-linear": {
        "task": "support_tasks.sync_bug_conversations",
        "schedule": crontab(minute="*/15"),
    },
}

HELPSCOUT = "https://api.helpscout.net/v2"
ISSUE_CREATE = """
mutation IssueCreate($input: IssueCreateInput!) {
  issueCreate(input: $input) { success issue { identifier } }
}"""


def helpscout_token() -> str:
    resp = requests.post(f"{HELPSCOUT}/oauth2/token", data={
        "grant_type": "client_credentials",
        "client_id": os.environ["HELPSCOUT_APP_ID"],
        "client_secret": os.environ["HELPSCOUT_APP_SECRET"],
    }, timeout=15)
    resp.raise_for_status()
    return resp.json()["access_token"]


def file_issue(conversation: dict) -> str:
    resp = requests.post(
        "https://api.linear.app/graphql",
        headers={"Authorization": os.environ["LINEAR_API_KEY"]},
        json={"query": ISSUE_CREATE, "variables": {"input": {
            "teamId": os.environ["LINEAR_TEAM_ID"],
            "title": f"[Support #{conversation['number']}] {conversation['subject']}",
            "description": f"{conversation.get('preview', '')}\n\n"
                           f"https://secure.helpscout.net/conversation/{conversation['id']}",
        }}},
        timeout=15,
    )
    resp.raise_for_status()
    return resp.json()["data"]["issueCreate"]["issue"]["identifier"]


@app.task(name="support_tasks.sync_bug_conversations")
def sync_bug_conversations() -> int:
    now = datetime.now(timezone.utc)
    monday = (now - timedelta(days=now.weekday())).replace(hour=0, minute=0, second=0, microsecond=0)
    headers = {"Authorization": f"Bearer {helpscout_token()}"}
    params = {"mailbox": os.environ["HELPSCOUT_MAILBOX_ID"], "tag": "bug", "status": "all",
              "modifiedSince": monday.strftime("%Y-%m-%dT%H:%M:%SZ"), "page": 1}
    filed: list[str] = []
    while True:
        resp = requests.get(f"{HELPSCOUT}/conversations", params=params, headers=headers, timeout=30)
        resp.raise_for_status()
        body = resp.json()
        filed += [file_issue(c) for c in body.get("_embedded", {}).get("conversations", [])]
        if params["page"] >= body["page"]["totalPages"]:
            break
        params["page"] += 1

    stats = redis.Redis.from_url(BROKER_URL, decode_responses=True)
    stats.hset("support-tasks:bug-sync:last-run", mapping={"at": now.isoformat(), "filed": len(filed)})
    return len(filed)
