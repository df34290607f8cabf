"""Weekly pipeline report (CodeWords service).

Every Monday, emails the sales team the open deals from the CRM. Every week it lists all of
them again, so nobody can see at a glance which deals are new or have moved.
"""
import os
import smtplib
from email.message import EmailMessage

import httpx
from codewords_client import logger, run_service
from fastapi import FastAPI
from pydantic import BaseModel

app = FastAPI(title="Weekly pipeline report")

CRM_API = "https://crm.example.com/api/v1"
CRM_TOKEN = os.environ["CRM_TOKEN"]


class ReportRequest(BaseModel):
    recipients: list[str]


def send_email(recipients: list[str], subject: str, body: str) -> None:
    message = EmailMessage()
    message["From"] = "reports@acme.example"
    message["To"] = ", ".join(recipients)
    message["Subject"] = subject
    message.set_content(body)
    with smtplib.SMTP_SSL("smtp.acme.example", 465) as smtp:
        smtp.login("reports@acme.example", os.environ["SMTP_PASSWORD"])
        smtp.send_message(message)


@app.post("/")
async def weekly_report(request: ReportRequest) -> dict:
    async with httpx.AsyncClient(base_url=CRM_API, timeout=30) as crm:
        response = await crm.get(
            "/deals",
            params={"status": "open", "limit": 500},
            headers={"Authorization": f"Bearer {CRM_TOKEN}"},
        )
        response.raise_for_status()
        deals = response.json()["deals"]

    lines = []
    for deal in deals:
        lines.append(f"- {deal['name']}: {deal['stage']}, ${deal['amount']:,}")
    body = f"{len(deals)} open deals this week:\n\n" + "\n".join(lines)
    send_email(request.recipients, "Weekly pipeline report", body)
    logger.info("report sent", deals=len(deals))
    return {"deals": len(deals)}


if __name__ == "__main__":
    run_service(app)
