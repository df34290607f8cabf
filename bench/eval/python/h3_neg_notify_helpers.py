"""Small HTTP wrappers shared by our ops scripts: Slack, Postmark, Twilio and a paged GET.

Library module (imported as `from opskit.notify import send_email, get_paged`); it has no entry
point and keeps no state: callers decide what to send, to whom, and where to start paging.
"""

from __future__ import annotations

import os
from typing import Iterator

import requests
from requests.adapters import HTTPAdapter
from urllib3.util.retry import Retry

DEFAULT_TIMEOUT = 15


def session(retries: int = 3) -> requests.Session:
    s = requests.Session()
    retry = Retry(total=retries, backoff_factor=0.5, status_forcelist=(429, 500, 502, 503, 504),
                  allowed_methods=frozenset({"GET", "POST"}))
    s.mount("https://", HTTPAdapter(max_retries=retry))
    return s


def post_slack(webhook_url: str, text: str, *, blocks: list | None = None) -> None:
    payload = {"text": text, **({"blocks": blocks} if blocks else {})}
    requests.post(webhook_url, json=payload, timeout=DEFAULT_TIMEOUT).raise_for_status()


def send_email(to: str, subject: str, body: str, *, sender: str = "ops@northwind.io") -> str:
    resp = requests.post(
        "https://api.postmarkapp.com/email",
        headers={"X-Postmark-Server-Token": os.environ["POSTMARK_TOKEN"], "Accept": "application/json"},
        json={"From": sender, "To": to, "Subject": subject, "TextBody": body, "MessageStream": "outbound"},
        timeout=DEFAULT_TIMEOUT,
    )
    resp.raise_for_status()
    return resp.json()["MessageID"]


def send_sms(to: str, body: str) -> str:
    sid = os.environ["TWILIO_ACCOUNT_SID"]
    resp = requests.post(
        f"https://api.twilio.com/2010-04-01/Accounts/{sid}/Messages.json",
        auth=(sid, os.environ["TWILIO_AUTH_TOKEN"]),
        data={"From": os.environ["TWILIO_FROM"], "To": to, "Body": body},
        timeout=DEFAULT_TIMEOUT,
    )
    resp.raise_for_status()
    return resp.json()["sid"]


def email_all(recipients: list[str], subject: str, body: str) -> dict[str, str]:
    """Sends the same email to each recipient; returns the Postmark message id per address."""
    return {to: send_email(to, subject, body) for to in recipients}


def get_paged(url: str, *, params: dict | None = None, headers: dict | None = None,
              page_param: str = "page", per_page: int = 100) -> Iterator[dict]:
    """Yields the items of a page-numbered JSON list endpoint until an empty page."""
    base = dict(params or {}, per_page=per_page)
    page = 1
    with session() as s:
        while True:
            resp = s.get(url, params={**base, page_param: page}, headers=headers, timeout=DEFAULT_TIMEOUT)
            resp.raise_for_status()
            items = resp.json()
            if not items:
                return
            yield from items
            page += 1
