"""Twilio WhatsApp webhook: replies with the weather, in the units the user asks for."""

import os

import requests
from flask import Flask, request
from twilio.twiml.messaging_response import MessagingResponse

app = Flask(__name__)
OPENWEATHER = "https://api.openweathermap.org/data/2.5/weather"


@app.post("/whatsapp")
def whatsapp_webhook():
    body = request.form.get("Body", "").strip()
    sender = request.form["From"]

    units = "metric"
    if body.lower().startswith("units "):
        units = "imperial" if "imperial" in body.lower() else "metric"
        body = body.split(maxsplit=2)[-1]

    city = body or "London"
    weather = requests.get(
        OPENWEATHER,
        params={"q": city, "units": units, "appid": os.environ["OPENWEATHER_KEY"]},
        timeout=10,
    ).json()
    symbol = "°F" if units == "imperial" else "°C"
    reply = MessagingResponse()
    reply.message(f"{city}: {weather['main']['temp']:.0f}{symbol}, {weather['weather'][0]['description']} ({sender})")
    return str(reply)
