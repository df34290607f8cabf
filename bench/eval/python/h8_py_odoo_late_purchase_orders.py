"""Late purchase orders report for Alder & Finch Furniture's buying team.

Cron on the ops VM, weekdays at 07:00 (`0 7 * * 1-5 /opt/jobs/venv/bin/python late_pos.py`).
Asks Odoo (XML-RPC external API) for every confirmed purchase order whose planned receipt date
has passed and which is not fully received, and posts the list, grouped by buyer, as an
Adaptive Card to the buying team's Microsoft Teams channel (incoming webhook).
"""

import os
import xmlrpc.client
from collections import defaultdict
from datetime import datetime

import requests

ODOO_URL = os.environ["ODOO_URL"]  # https://alderfinch.odoo.com
ODOO_DB = os.environ["ODOO_DB"]
ODOO_LOGIN = os.environ["ODOO_LOGIN"]
ODOO_API_KEY = os.environ["ODOO_API_KEY"]
TEAMS_WEBHOOK = os.environ["TEAMS_WEBHOOK_URL"]
FIELDS = ["name", "partner_id", "user_id", "date_planned", "amount_total", "currency_id"]
ODOO_DT = "%Y-%m-%d %H:%M:%S"


def odoo_caller():
    common = xmlrpc.client.ServerProxy(f"{ODOO_URL}/xmlrpc/2/common")
    uid = common.authenticate(ODOO_DB, ODOO_LOGIN, ODOO_API_KEY, {})
    if not uid:
        raise SystemExit("Odoo login failed")
    models = xmlrpc.client.ServerProxy(f"{ODOO_URL}/xmlrpc/2/object", allow_none=True)
    return lambda model, method, *args, **kw: models.execute_kw(
        ODOO_DB, uid, ODOO_API_KEY, model, method, list(args), kw
    )


def late_purchase_orders(call) -> list[dict]:
    now = datetime.utcnow().strftime(ODOO_DT)
    return call(
        "purchase.order", "search_read",
        [["state", "=", "purchase"], ["receipt_status", "!=", "full"], ["date_planned", "<", now]],
        fields=FIELDS, order="date_planned asc",
    )


def days_late(order: dict) -> int:
    return (datetime.utcnow() - datetime.strptime(order["date_planned"], ODOO_DT)).days


def teams_card(by_buyer: dict[str, list[dict]], total: int) -> dict:
    body = [{"type": "TextBlock", "size": "Large", "weight": "Bolder", "text": f"{total} late purchase orders"}]
    for buyer, orders in sorted(by_buyer.items()):
        body.append({"type": "TextBlock", "text": f"**{buyer}** ({len(orders)})", "wrap": True})
        body.append({"type": "FactSet", "facts": [
            {"title": o["name"],
             "value": f"{o['partner_id'][1]}, {days_late(o)} days late, {o['amount_total']:,.2f} {o['currency_id'][1]}"}
            for o in orders
        ]})
    return {"type": "message", "attachments": [{
        "contentType": "application/vnd.microsoft.card.adaptive",
        "content": {"$schema": "http://adaptivecards.io/schemas/adaptive-card.json",
                    "type": "AdaptiveCard", "version": "1.4", "body": body},
    }]}


def main() -> None:
    orders = late_purchase_orders(odoo_caller())
    if not orders:
        print("no late purchase orders")
        return
    by_buyer: dict[str, list[dict]] = defaultdict(list)
    for order in orders:
        by_buyer[order["user_id"][1] if order["user_id"] else "Unassigned"].append(order)
    resp = requests.post(TEAMS_WEBHOOK, json=teams_card(by_buyer, len(orders)), timeout=15)
    resp.raise_for_status()


if __name__ == "__main__":
    main()
