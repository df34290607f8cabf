"""Food-bank volunteer reminders: emails every volunteer whose shift starts in the next 24 hours.

Scheduled hourly by GitHub Actions (cron: '0 * * * *'); shifts live in the Airtable "Shifts" table.
"""

import os
from datetime import datetime

import requests
from sendgrid import SendGridAPIClient
from sendgrid.helpers.mail import Mail

AIRTABLE_URL = f"https://api.airtable.com/v0/{os.environ['AIRTABLE_BASE_ID']}/Shifts"
SENDER = "volunteers@eastside-foodbank.org"
WINDOW = "AND({Status} = 'Confirmed', IS_AFTER({Start}, NOW()), IS_BEFORE({Start}, DATEADD(NOW(), 24, 'hours')))"


class ShiftReminders:
    def __init__(self) -> None:
        self.sendgrid = SendGridAPIClient(os.environ["SENDGRID_API_KEY"])
        self.airtable = {"Authorization": f"Bearer {os.environ['AIRTABLE_TOKEN']}"}

    def upcoming_shifts(self) -> list[dict]:
        records: list[dict] = []
        params = {"filterByFormula": WINDOW, "pageSize": 100}
        while True:
            data = requests.get(AIRTABLE_URL, headers=self.airtable, params=params, timeout=20).json()
            records.extend(data["records"])
            if "offset" not in data:
                return records
            params["offset"] = data["offset"]

    def remind(self, shift: dict) -> None:
        fields = shift["fields"]
        start = datetime.fromisoformat(fields["Start"].replace("Z", "+00:00"))
        message = Mail(
            from_email=SENDER,
            to_emails=fields["Volunteer Email"],
            subject=f"See you {start:%A} at {start:%H:%M} — {fields.get('Role', 'shift')}",
            html_content=(
                f"<p>Hi {fields.get('Volunteer Name', 'there')},</p>"
                f"<p>Your {fields.get('Role', 'volunteer')} shift starts {start:%A %d %B at %H:%M} "
                f"at {fields.get('Site', 'the warehouse')}. Reply to this email if you can't make it.</p>"
            ),
        )
        self.sendgrid.send(message)

    def run(self) -> None:
        shifts = self.upcoming_shifts()
        for shift in shifts:
            self.remind(shift)
        print(f"sent {len(shifts)} shift reminders")


if __name__ == "__main__":
    ShiftReminders().run()
