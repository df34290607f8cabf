"""Weekly calibration/audit report for the Kestrel Bio labs: lists every instrument in Snipe-IT
whose audit is overdue, grouped by lab, and emails it to the lab managers.

Scheduled task on the facilities server, Mondays 07:00 (`0 7 * * 1 python overdue_audits.py`).
"""

import os
from collections import defaultdict
from datetime import date
from html import escape

import requests
from sendgrid import SendGridAPIClient
from sendgrid.helpers.mail import Mail

SNIPE = os.environ.get("SNIPEIT_URL", "https://assets.kestrelbio.example")
LAB_MANAGERS = ["lab-managers@kestrelbio.example", "qa@kestrelbio.example"]
PAGE = 200


def overdue_assets(session: requests.Session) -> list[dict]:
    assets, offset = [], 0
    while True:
        resp = session.get(f"{SNIPE}/api/v1/hardware/audit/overdue", params={"limit": PAGE, "offset": offset}, timeout=30)
        resp.raise_for_status()
        data = resp.json()
        assets += data["rows"]
        offset += PAGE
        if offset >= data["total"]:
            return assets


def as_html(assets: list[dict]) -> str:
    by_lab = defaultdict(list)
    for asset in assets:
        by_lab[(asset.get("location") or {}).get("name", "No location")].append(asset)
    parts = [f"<p>{len(assets)} instruments are overdue for audit/calibration.</p>"]
    for lab in sorted(by_lab):
        rows = "".join(
            f"<tr><td>{escape(a['asset_tag'])}</td><td>{escape(a['name'] or a['model']['name'])}</td>"
            f"<td>{a['next_audit_date']['formatted']}</td></tr>"
            for a in sorted(by_lab[lab], key=lambda a: a["next_audit_date"]["date"])
        )
        parts.append(f"<h3>{escape(lab)}</h3><table><tr><th>Tag</th><th>Instrument</th><th>Due</th></tr>{rows}</table>")
    return "\n".join(parts)


def main() -> None:
    session = requests.Session()
    session.headers.update({"Authorization": f"Bearer {os.environ['SNIPEIT_API_TOKEN']}", "Accept": "application/json"})
    assets = overdue_assets(session)
    if not assets:
        print("nothing overdue")
        return
    message = Mail(
        from_email="facilities@kestrelbio.example",
        to_emails=LAB_MANAGERS,
        subject=f"Overdue instrument audits, week of {date.today():%d %b %Y}",
        html_content=as_html(assets),
    )
    SendGridAPIClient(os.environ["SENDGRID_API_KEY"]).send(message)
    print(f"reported {len(assets)} overdue instruments")


if __name__ == "__main__":
    main()
