"""Refill reminders by SMS for Corner Street Pharmacy.

CodeWords FastAPI service with two routes:
  POST /remind  - CodeWords schedule, every day at 09:00: texts each patient whose refill is due
                  in the next 3 days (Twilio), in the patient's language.
  POST /sms     - Twilio inbound-message webhook for the pharmacy number. Patients reply
                  REFILL to queue the refill, or LANG ES / LANG EN / LANG VI to pick the language
                  of their texts.
"""

import asyncio
import os
from datetime import date, timedelta

import httpx
from codewords_client import logger, run_service
from fastapi import FastAPI, Request, Response
from twilio.rest import Client
from twilio.twiml.messaging_response import MessagingResponse

app = FastAPI(title="Corner Street refill texts")
twilio = Client(os.environ["TWILIO_ACCOUNT_SID"], os.environ["TWILIO_AUTH_TOKEN"])
PHARMACY_NUMBER = os.environ["TWILIO_FROM_NUMBER"]
RX_API = "https://rx.cornerstreetpharmacy.com/api/v1"
RX_HEADERS = {"Authorization": f"Bearer {os.environ['RX_API_TOKEN']}"}

TEMPLATES = {
    "en": "Hi {name}, your {drug} refill is due {due}. Reply REFILL and we'll have it ready.",
    "es": "Hola {name}, su receta de {drug} vence el {due}. Responda REFILL y la preparamos.",
    "vi": "Chào {name}, thuốc {drug} của bạn cần mua lại vào {due}. Trả lời REFILL để đặt trước.",
}
CONFIRM = {"en": "Got it, texts in English.", "es": "Listo, mensajes en español.",
           "vi": "Đã nhận, tin nhắn bằng tiếng Việt."}


@app.post("/remind")
async def remind() -> dict:
    until = date.today() + timedelta(days=3)
    async with httpx.AsyncClient(headers=RX_HEADERS, timeout=30) as rx:
        resp = await rx.get(f"{RX_API}/refills", params={"due_before": until.isoformat(), "status": "due"})
        resp.raise_for_status()
        refills = resp.json()["refills"]

    sent = 0
    for refill in refills:
        patient = refill["patient"]
        if not patient.get("mobile") or patient.get("sms_opt_out"):
            continue
        lang = patient.get("language") or "en"
        body = TEMPLATES.get(lang, TEMPLATES["en"]).format(
            name=patient["first_name"], drug=refill["drug_short_name"], due=refill["due_date"])
        await asyncio.to_thread(twilio.messages.create, to=patient["mobile"], from_=PHARMACY_NUMBER, body=body)
        sent += 1
    logger.info("refill reminders: %d due, %d texted", len(refills), sent)
    return {"due": len(refills), "texted": sent}


@app.post("/sms")
async def inbound_sms(request: Request) -> Response:
    form = await request.form()
    sender, words = form["From"], str(form.get("Body", "")).strip().upper().split()
    reply = MessagingResponse()

    if words[:1] == ["LANG"]:
        lang = words[1].lower() if len(words) > 1 and words[1].lower() in TEMPLATES else "en"
        reply.message(CONFIRM[lang])
    elif words[:1] == ["REFILL"]:
        async with httpx.AsyncClient(headers=RX_HEADERS, timeout=20) as rx:
            queued = await rx.post(f"{RX_API}/refill-requests", json={"mobile": sender, "source": "sms"})
        reply.message("Thanks! We'll text you when it's ready." if queued.is_success
                      else "Sorry, please call us at (503) 555-0142.")
    else:
        reply.message("Reply REFILL to refill, or LANG ES / LANG EN / LANG VI.")
    return Response(content=str(reply), media_type="application/xml")


if __name__ == "__main__":
    run_service(app)
