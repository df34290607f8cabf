"""Checks a job board every hour and posts new remote Python jobs to a Discord channel."""

import os
import time

import requests
import schedule
from bs4 import BeautifulSoup

BOARD_URL = "https://www.python.org/jobs/?type=remote"
DISCORD_WEBHOOK = os.environ["DISCORD_WEBHOOK_URL"]


def parse_jobs(html: str) -> list[dict]:
    soup = BeautifulSoup(html, "html.parser")
    jobs = []
    for item in soup.select("ol.list-recent-jobs li"):
        link = item.select_one("h2 a")
        jobs.append({"title": link.get_text(strip=True), "url": "https://www.python.org" + link["href"]})
    return jobs


def check_board() -> None:
    page = requests.get(BOARD_URL, headers={"User-Agent": "jobs-bot/1.0"}, timeout=20)
    page.raise_for_status()
    for job in parse_jobs(page.text):
        requests.post(DISCORD_WEBHOOK, json={"content": f"New remote job: **{job['title']}**\n{job['url']}"}, timeout=10)


schedule.every().hour.do(check_board)

if __name__ == "__main__":
    check_board()
    while True:
        schedule.run_pending()
        time.sleep(60)
