"""Hourly job: books new Stripe payouts into the accounting system."""

import os
import time

import requests
import stripe

stripe.api_key = os.environ["STRIPE_SECRET_KEY"]
XERO_URL = "https://api.xero.com/api.xro/2.0/BankTransactions"
START_OF_YEAR = 1735689600  # 2025-01-01


def book(payout) -> None:
    requests.put(
        XERO_URL,
        headers={"Authorization": f"Bearer {os.environ['XERO_TOKEN']}", "Xero-tenant-id": os.environ["XERO_TENANT"]},
        json={"BankTransactions": [{"Type": "RECEIVE", "Reference": payout.id, "Total": payout.amount / 100}]},
        timeout=30,
    )


def run() -> None:
    payouts = stripe.Payout.list(created={"gte": START_OF_YEAR}, status="paid", limit=100)
    for payout in payouts.auto_paging_iter():
        book(payout)


if __name__ == "__main__":
    while True:
        run()
        time.sleep(3600)
