"""Sends a payment reminder for every overdue invoice. Run daily by cron at 09:00."""

import os
import smtplib
from datetime import date
from email.mime.text import MIMEText

import stripe

stripe.api_key = os.environ["STRIPE_SECRET_KEY"]


def overdue_invoices():
    today = date.today().isoformat()
    for invoice in stripe.Invoice.list(status="open", limit=100).auto_paging_iter():
        if invoice.due_date and date.fromtimestamp(invoice.due_date).isoformat() < today:
            yield invoice


def main() -> None:
    with smtplib.SMTP_SSL(os.environ["SMTP_HOST"], 465) as smtp:
        smtp.login(os.environ["SMTP_USER"], os.environ["SMTP_PASSWORD"])
        for invoice in overdue_invoices():
            body = (
                f"Hello {invoice.customer_name},\n\n"
                f"invoice {invoice.number} over {invoice.amount_due / 100:.2f} {invoice.currency.upper()} "
                f"is overdue. You can pay it here: {invoice.hosted_invoice_url}\n"
            )
            msg = MIMEText(body)
            msg["Subject"] = f"Reminder: invoice {invoice.number} is overdue"
            msg["From"] = "billing@acme.dev"
            msg["To"] = invoice.customer_email
            smtp.sendmail(msg["From"], [invoice.customer_email], msg.as_string())


if __name__ == "__main__":
    main()
