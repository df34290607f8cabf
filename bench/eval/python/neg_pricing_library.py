"""Pricing helpers shared by the checkout service and the invoicing job (a library: no entry point)."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

import requests

ECB_RATES_URL = "https://api.frankfurter.app/latest"


@dataclass(frozen=True)
class LineItem:
    sku: str
    unit_price: Decimal
    quantity: int
    vat_rate: Decimal = Decimal("0.19")


def net_total(items: list[LineItem]) -> Decimal:
    return sum((item.unit_price * item.quantity for item in items), Decimal("0"))


def gross_total(items: list[LineItem]) -> Decimal:
    total = sum((item.unit_price * item.quantity * (1 + item.vat_rate) for item in items), Decimal("0"))
    return total.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


def exchange_rates(base: str = "EUR", session: requests.Session | None = None) -> dict[str, Decimal]:
    """Latest reference rates; the caller decides how often to call this."""
    http = session or requests.Session()
    response = http.get(ECB_RATES_URL, params={"from": base}, timeout=10)
    response.raise_for_status()
    return {currency: Decimal(str(rate)) for currency, rate in response.json()["rates"].items()}


def convert(amount: Decimal, rate: Decimal) -> Decimal:
    return (amount * rate).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
