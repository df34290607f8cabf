"""Polls our Typeform demo-request form every 10 minutes and posts each request to #sales-inbound.

Runs as a loop in the `typeform-poller` container: python typeform_demo_poller.py
"""

import os
import time
from datetime import datetime, timezone

import httpx

FORM_ID = os.environ["TYPEFORM_FORM_ID"]
RESPONSES_URL = f"https://api.typeform.com/forms/{FORM_ID}/responses"
SLACK_WEBHOOK = os.environ["SLACK_SALES_WEBHOOK"]
POLL_SECONDS = 600
PAGE_SIZE = 200


def answers_by_ref(item: dict) -> dict:
    fields = {}
    for answer in item.get("answers") or []:
        value = answer.get(answer["type"])
        if isinstance(value, dict):  # choice answers
            value = value.get("label")
        fields[answer["field"]["ref"]] = value
    return fields


def poll(typeform: httpx.Client) -> int:
    start_of_day = datetime.now(timezone.utc).replace(hour=0, minute=0, second=0, microsecond=0)
    params = {"since": start_of_day.strftime("%Y-%m-%dT%H:%M:%SZ"), "page_size": PAGE_SIZE, "completed": "true"}
    posted = 0
    while True:
        resp = typeform.get(RESPONSES_URL, params=params)
        resp.raise_for_status()
        items = resp.json()["items"]
        for item in items:
            fields = answers_by_ref(item)
            httpx.post(
                SLACK_WEBHOOK,
                json={"text": f":wave: Demo request from *{fields.get('company_name')}* "
                              f"({fields.get('work_email')}, {fields.get('team_size')} seats)"},
                timeout=10,
            )
            posted += 1
        if len(items) < PAGE_SIZE:
            return posted
        params["before"] = items[-1]["token"]  # responses come newest first


def main() -> None:
    headers = {"Authorization": f"Bearer {os.environ['TYPEFORM_TOKEN']}"}
    with httpx.Client(headers=headers, timeout=30) as typeform:
        while True:
            try:
                print(f"posted {poll(typeform)} demo requests")
            except httpx.HTTPError as err:
                print(f"poll failed: {err!r}")
            time.sleep(POLL_SECONDS)


if __name__ == "__main__":
    main()
