"""Snow-day watcher for the Maple Grove Elementary PTA: emails every family as soon as the district
posts a closure or delayed opening on its alerts page.

systemd timer on the PTA's Raspberry Pi, every 10 minutes from 05:00 to 08:50 on school days
(OnCalendar=Mon..Fri 05..08:00/10): ExecStart=/home/pta/venv/bin/python snow_day_watch.py families.csv
"""

import csv
import os
import smtplib
import sys
from email.message import EmailMessage

import requests
from bs4 import BeautifulSoup

ALERTS_URL = "https://www.maplegrove.k12.example.us/district-alerts"
KEYWORDS = ("closed", "closure", "delay", "late start", "e-learning day")


class ClosureWatcher:
    def __init__(self, families_csv: str):
        with open(families_csv, newline="") as fh:
            self.families = [row for row in csv.DictReader(fh) if row.get("email")]
        self.sender = os.environ["PTA_SENDER"]

    def current_alert(self) -> str | None:
        resp = requests.get(ALERTS_URL, timeout=20, headers={"User-Agent": "maplegrove-pta-watch/2.0"})
        resp.raise_for_status()
        banner = BeautifulSoup(resp.text, "html.parser").select_one(".alert-banner, #emergency-alert")
        if banner is None:
            return None
        text = banner.get_text(" ", strip=True)
        return text if any(word in text.lower() for word in KEYWORDS) else None

    def notify(self, alert: str) -> int:
        sent = 0
        with smtplib.SMTP(os.environ.get("SMTP_HOST", "smtp.gmail.com"), 587) as smtp:
            smtp.starttls()
            smtp.login(self.sender, os.environ["SMTP_APP_PASSWORD"])
            for family in self.families:
                msg = EmailMessage()
                msg["From"] = f"Maple Grove PTA <{self.sender}>"
                msg["To"] = family["email"]
                msg["Subject"] = "School schedule change today"
                msg.set_content(
                    f"Hi {family['parent_name']},\n\nThe district just posted:\n\n  {alert}\n\n"
                    f"Details: {ALERTS_URL}\n\nStay warm!\nMaple Grove PTA"
                )
                smtp.send_message(msg)
                sent += 1
        return sent

    def run(self) -> int:
        alert = self.current_alert()
        if alert is None:
            print("no closure posted")
            return 0
        return self.notify(alert)


if __name__ == "__main__":
    watcher = ClosureWatcher(sys.argv[1] if len(sys.argv) > 1 else "families.csv")
    print(f"emailed {watcher.run()} families")
