"""'Your order is ready' texts for Pressed & Co. dry cleaners (three shops).

Run by cron every 15 minutes while the shops are open:
    */15 8-18 * * 1-6  /opt/pressed/venv/bin/python ready_texts.py
Reads the orders marked ready for collection from the shops' POS API and texts each customer who
opted in to SMS (Vonage), with the shop address and the balance left to pay. Orders stay "ready"
until they are collected. Pings healthchecks.io at the end so a silent cron gets noticed.
"""

import logging
import os
import sys

import requests

log = logging.getLogger("ready_texts")
POS_API = "https://pos.pressedandco.com/api/v2"
HEALTHCHECK = f"https://hc-ping.com/{os.environ['HC_READY_TEXTS_UUID']}"
SHOPS = {
    "KEN": "12 Kensington Church St",
    "ISL": "201 Upper St, Islington",
    "CLA": "48 Northcote Rd, Clapham",
}


def ready_orders(session: requests.Session) -> list[dict]:
    orders, page = [], 1
    while True:
        resp = session.get(f"{POS_API}/orders", params={"status": "ready", "page": page, "per_page": 100}, timeout=30)
        resp.raise_for_status()
        body = resp.json()
        orders.extend(body["orders"])
        if page >= body["meta"]["total_pages"]:
            return orders
        page += 1


def message_for(order: dict) -> str:
    items = ", ".join(f"{line['qty']}x {line['name']}" for line in order["lines"][:3])
    balance = order["total"] - order["paid"]
    due = f" Balance to pay: £{balance:.2f}." if balance > 0 else ""
    return (f"Hi {order['customer']['first_name']}, your order #{order['number']} ({items}) is ready "
            f"at {SHOPS[order['shop_code']]}.{due} Open Mon-Sat 8am-7pm.")


def main() -> int:
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(message)s")
    session = requests.Session()
    session.headers["Authorization"] = f"Bearer {os.environ['POS_API_TOKEN']}"

    sent = failed = 0
    for order in ready_orders(session):
        customer = order["customer"]
        if not customer.get("sms_opt_in") or not customer.get("mobile"):
            continue
        resp = requests.post("https://rest.nexmo.com/sms/json", timeout=15, data={
            "api_key": os.environ["VONAGE_API_KEY"], "api_secret": os.environ["VONAGE_API_SECRET"],
            "from": "PressedCo", "to": customer["mobile"].lstrip("+"), "text": message_for(order),
        })
        status = resp.json()["messages"][0]
        if status["status"] == "0":
            sent += 1
        else:
            log.warning("order %s: %s", order["number"], status.get("error-text"))
            failed += 1

    log.info("texted %d customers, %d failures", sent, failed)
    requests.get(HEALTHCHECK + ("/fail" if failed and not sent else ""), timeout=10)
    return 0


if __name__ == "__main__":
    sys.exit(main())
