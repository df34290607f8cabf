"""Integration tests for the booking webhook service.

Run against a locally started server (docker compose up booking-api), never against production:

    APP_URL=http://localhost:8000 pytest tests/integration/test_booking_api.py -q
"""

import hashlib
import hmac
import json
import os
import uuid

import pytest
import requests

APP_URL = os.environ.get("APP_URL", "http://localhost:8000")
SIGNING_SECRET = os.environ.get("TEST_WEBHOOK_SECRET", "test-secret")


def signed_post(path: str, payload: dict) -> requests.Response:
    body = json.dumps(payload).encode()
    signature = hmac.new(SIGNING_SECRET.encode(), body, hashlib.sha256).hexdigest()
    return requests.post(
        f"{APP_URL}{path}",
        data=body,
        headers={"Content-Type": "application/json", "X-Signature": signature},
        timeout=5,
    )


@pytest.fixture(scope="session", autouse=True)
def server_is_up():
    try:
        requests.get(f"{APP_URL}/healthz", timeout=2).raise_for_status()
    except requests.RequestException:
        pytest.skip(f"booking API not reachable at {APP_URL}")


@pytest.fixture
def booking_event() -> dict:
    return {
        "id": f"evt_{uuid.uuid4().hex[:12]}",
        "type": "booking.created",
        "data": {"guest_email": "ana@example.com", "room": "12B", "nights": 3},
    }


def test_rejects_bad_signature(booking_event):
    resp = requests.post(f"{APP_URL}/webhooks/booking", json=booking_event,
                         headers={"X-Signature": "nope"}, timeout=5)
    assert resp.status_code == 401


def test_accepts_signed_event(booking_event):
    resp = signed_post("/webhooks/booking", booking_event)
    assert resp.status_code == 200
    assert resp.json()["status"] == "queued"


def test_redelivery_is_acknowledged_once(booking_event):
    first = signed_post("/webhooks/booking", booking_event)
    second = signed_post("/webhooks/booking", booking_event)
    assert first.json()["status"] == "queued"
    assert second.json()["status"] == "duplicate"


@pytest.mark.parametrize("nights,expected", [(1, 120), (3, 330), (7, 700)])
def test_quote_applies_long_stay_discount(nights, expected):
    resp = requests.get(f"{APP_URL}/quote", params={"room": "12B", "nights": nights}, timeout=5)
    assert resp.status_code == 200
    assert resp.json()["total_eur"] == expected


@pytest.mark.parametrize("guest", ["ana@example.com", "li@example.com", "sam@example.com"])
def test_confirmation_email_is_accepted(guest):
    resp = requests.post(f"{APP_URL}/bookings/confirm", json={"guest_email": guest, "room": "12B"}, timeout=5)
    assert resp.ok, resp.text
    assert resp.json()["email"] == "sent"
