"""Watches the "open calls" pages of the foundations we apply to and posts them to #grants.

Runs as a long-lived worker on the fundraising team's VM (systemd unit `funder-watch.service`);
the `schedule` library calls FunderCallsWatcher.run() every morning at 07:30.
"""

import logging
import os
import time

import requests
import schedule
from bs4 import BeautifulSoup
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

log = logging.getLogger("funder-watch")

SOURCES = [
    {"funder": "Esmée Fairbairn", "url": "https://esmeefairbairn.org.uk/funding/open-calls/", "selector": "article.call h3"},
    {"funder": "Paul Hamlyn Foundation", "url": "https://www.phf.org.uk/funds/", "selector": ".fund-card__title"},
    {"funder": "National Lottery Community Fund", "url": "https://www.tnlcommunityfund.org.uk/funding/programmes", "selector": "h2.programme-title"},
]


class FunderCallsWatcher:
    def __init__(self, slack: WebClient, channel: str) -> None:
        self.slack = slack
        self.channel = channel
        self.http = requests.Session()
        self.http.headers["User-Agent"] = "HarbourTrust-FunderWatch/1.2 (grants@harbourtrust.org.uk)"

    def _open_calls(self, source: dict) -> list[str]:
        page = self.http.get(source["url"], timeout=20)
        page.raise_for_status()
        soup = BeautifulSoup(page.text, "html.parser")
        return [node.get_text(strip=True) for node in soup.select(source["selector"]) if node.get_text(strip=True)]

    def _post(self, funder: str, url: str, calls: list[str]) -> None:
        bullets = "\n".join(f"• {title}" for title in calls)
        self.slack.chat_postMessage(
            channel=self.channel,
            text=f"{funder}: {len(calls)} open calls",
            blocks=[{"type": "section", "text": {"type": "mrkdwn", "text": f"*<{url}|{funder}>*\n{bullets}"}}],
        )

    def run(self) -> None:
        for source in SOURCES:
            try:
                calls = self._open_calls(source)
            except requests.RequestException as exc:
                log.warning("could not read %s: %s", source["funder"], exc)
                continue
            if not calls:
                continue
            try:
                self._post(source["funder"], source["url"], calls)
            except SlackApiError as exc:
                log.error("slack rejected %s: %s", source["funder"], exc.response["error"])


if __name__ == "__main__":
    logging.basicConfig(level=logging.INFO)
    watcher = FunderCallsWatcher(WebClient(token=os.environ["SLACK_BOT_TOKEN"]), "#grants")
    schedule.every().day.at("07:30").do(watcher.run)
    while True:
        schedule.run_pending()
        time.sleep(60)
