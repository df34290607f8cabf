"""Tests for the appointment-confirmation IVR (clinic_ivr/app.py), the Twilio voice webhook that
calls patients the day before and lets them press 1 to confirm or 2 to be called back.

Run with `pytest -q tests/test_ivr_webhook.py`; CI runs it on every push. Twilio's REST client is
a MagicMock and the Open Dental API is mocked with respx, so nothing is called or texted.
"""

from unittest.mock import MagicMock

import httpx
import pytest
import respx
from fastapi.testclient import TestClient

from clinic_ivr import app as ivr

OPEN_DENTAL = "https://api.opendental.com/api/v1"
PATIENT_PHONE = "+15555550142"
APPOINTMENT = {"AptNum": 9001, "PatNum": 42, "AptDateTime": "2024-06-04 09:30:00", "AptStatus": "Scheduled"}


@pytest.fixture
def client(monkeypatch):
    fake_twilio = MagicMock()
    fake_twilio.messages.create.return_value = MagicMock(sid="SM00000000000000000000000000000001")
    monkeypatch.setattr(ivr, "twilio", fake_twilio)
    monkeypatch.setattr(ivr, "signature_is_valid", lambda request, form: True)
    with TestClient(ivr.app) as test_client:
        test_client.twilio = fake_twilio
        yield test_client


def gather(client: TestClient, digits: str):
    return client.post("/voice/gather", params={"apt": APPOINTMENT["AptNum"]},
                       data={"Digits": digits, "From": PATIENT_PHONE, "CallSid": "CA123"})


@respx.mock
def test_press_1_confirms_and_texts_the_details(client):
    respx.get(f"{OPEN_DENTAL}/appointments/9001").mock(return_value=httpx.Response(200, json=APPOINTMENT))
    confirm = respx.put(f"{OPEN_DENTAL}/appointments/9001/Confirm").mock(return_value=httpx.Response(200))

    resp = gather(client, "1")

    assert resp.status_code == 200
    assert "<Say" in resp.text and "confirmed" in resp.text
    assert confirm.called
    client.twilio.messages.create.assert_called_once()
    assert client.twilio.messages.create.call_args.kwargs["to"] == PATIENT_PHONE


@respx.mock
def test_press_2_queues_a_callback_without_sms(client):
    respx.get(f"{OPEN_DENTAL}/appointments/9001").mock(return_value=httpx.Response(200, json=APPOINTMENT))
    note = respx.post(f"{OPEN_DENTAL}/commlogs").mock(return_value=httpx.Response(201, json={"CommlogNum": 7}))

    resp = gather(client, "2")

    assert "call you back" in resp.text
    assert note.called
    client.twilio.messages.create.assert_not_called()


@pytest.mark.parametrize("digits", ["", "9", "12"])
@respx.mock
def test_other_keys_repeat_the_menu(client, digits):
    respx.get(f"{OPEN_DENTAL}/appointments/9001").mock(return_value=httpx.Response(200, json=APPOINTMENT))
    resp = gather(client, digits)
    assert "<Gather" in resp.text
    client.twilio.messages.create.assert_not_called()


@respx.mock
def test_open_dental_outage_apologises(client):
    respx.get(f"{OPEN_DENTAL}/appointments/9001").mock(return_value=httpx.Response(503))
    resp = gather(client, "1")
    assert resp.status_code == 200
    assert "sorry" in resp.text.lower()
