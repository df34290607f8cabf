"""Customs codes for the Tidewater Teas web shop: gives every WooCommerce product a 6-digit HS
tariff code (needed on DHL export invoices) chosen by Claude, stores it in the product's `hs_code`
meta field, and asks #ops to check the products Claude was unsure about.

Cron on the shop's VPS, nightly: 15 3 * * * cd /srv/hs-codes && ./venv/bin/python assign_hs_codes.py
"""

import json
import os

import anthropic
import requests
from slack_sdk import WebClient

STORE = "https://tidewaterteas.example.com/wp-json/wc/v3"
AUTH = (os.environ["WC_CONSUMER_KEY"], os.environ["WC_CONSUMER_SECRET"])
PROMPT = ("Give the 6-digit Harmonized System code for this product sold from the UK. Reply as JSON: "
          '{"hs_code": "090240", "confidence": "high" or "low", "reason": "<one line>"}')

claude = anthropic.Anthropic()
slack = WebClient(token=os.environ["SLACK_BOT_TOKEN"])


def all_products():
    page = 1
    while True:
        resp = requests.get(f"{STORE}/products", auth=AUTH, params={"per_page": 100, "page": page, "status": "publish"}, timeout=30)
        resp.raise_for_status()
        yield from resp.json()
        if page >= int(resp.headers.get("X-WP-TotalPages", 1)):
            return
        page += 1


def classify(product: dict) -> dict:
    description = product["short_description"] or product["description"]
    message = claude.messages.create(
        model="claude-3-5-sonnet-latest",
        max_tokens=200,
        temperature=0,
        system=PROMPT,
        messages=[{"role": "user", "content": f"{product['name']}\nCategories: "
                   f"{', '.join(c['name'] for c in product['categories'])}\n\n{description[:2000]}"}],
    )
    return json.loads(message.content[0].text)


def main() -> None:
    unsure = 0
    for product in all_products():
        try:
            verdict = classify(product)
        except (json.JSONDecodeError, anthropic.APIError) as exc:
            print(f"{product['sku']}: {exc}")
            continue
        requests.put(f"{STORE}/products/{product['id']}", auth=AUTH, timeout=30,
                     json={"meta_data": [{"key": "hs_code", "value": verdict["hs_code"]}]}).raise_for_status()
        if verdict["confidence"] == "low":
            slack.chat_postMessage(
                channel="#ops",
                text=f"HS code for *{product['name']}* ({product['sku']}) set to {verdict['hs_code']}, "
                     f"please double-check: {verdict['reason']} <{product['permalink']}|product>",
            )
            unsure += 1
    print(f"done, {unsure} products need a check")


if __name__ == "__main__":
    main()
