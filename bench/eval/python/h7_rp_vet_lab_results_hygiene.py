"""Lab-results-ready emails for the clinics of Harbourside Veterinary Group.

Flask app (gunicorn behind nginx on the group's VM). Each clinic registers once with POST /clinics
(its IDEXX VetConnect PLUS API key and reply-to address); IDEXX then calls POST /idexx/results
when a result set is final. The pet's owner gets one SendGrid email per result set (IDEXX retries
until it gets a 200), and the clinic dashboard reads the per-clinic result index from Redis.
"""

import hashlib
import hmac
import os
import time
from datetime import date

import redis
import requests
from flask import Flask, abort, jsonify, request
from sendgrid import SendGridAPIClient
from sendgrid.helpers.mail import Mail

app = Flask(__name__)
r = redis.Redis.from_url(os.environ["REDIS_URL"], decode_responses=True)
mailer = SendGridAPIClient(os.environ["SENDGRID_API_KEY"])
IDEXX_API = "https://vcp-api.idexx.com/api/v2"
TWO_WEEKS = 14 * 86400


@app.post("/clinics")
def register_clinic():
    body = request.get_json(force=True)
    r.hset(f"vetlab:clinic:{body['clinic_id']}", mapping={
        "name": body["name"],
        "reply_to": body["reply_to"],
        "idexx_api_key": body["idexx_api_key"],
    })
    return jsonify(registered=body["clinic_id"]), 201


def fetch_result(api_key: str, result_id: str) -> requests.Response:
    resp = requests.get(f"{IDEXX_API}/results/{result_id}", headers={"X-Api-Key": api_key}, timeout=20)
    resp.raise_for_status()
    return resp


@app.post("/idexx/results")
def result_ready():
    expected = hmac.new(os.environ["IDEXX_WEBHOOK_SECRET"].encode(), request.get_data(), hashlib.sha256).hexdigest()
    if not hmac.compare_digest(expected, request.headers.get("X-Idexx-Signature", "")):
        abort(401)
    event = request.get_json()
    clinic_id, result_id = event["clinicId"], event["resultId"]
    clinic = r.hgetall(f"vetlab:clinic:{clinic_id}")
    if not clinic:
        abort(404)
    if not r.set(f"vetlab:emailed:{result_id}", 1, nx=True, ex=TWO_WEEKS):
        return jsonify(duplicate=True)

    resp = fetch_result(clinic["idexx_api_key"], result_id)
    result = resp.json()
    r.set(f"vetlab:result:{result_id}:raw", resp.text, ex=TWO_WEEKS)

    flagged = [test["name"] for test in result["tests"] if test.get("flag") in ("H", "L")]
    message = Mail(
        from_email=("results@harboursidevets.co.uk", clinic["name"]),
        to_emails=result["client"]["email"],
        subject=f"{result['patient']['name']}'s lab results are ready",
        html_content=f"<p>{len(result['tests'])} tests are back; your vet will call you about "
                     f"{', '.join(flagged) or 'nothing unusual'}.</p>",
    )
    message.reply_to = clinic["reply_to"]
    mailer.send(message)

    pipe = r.pipeline()
    pipe.hset(f"vetlab:result:{result_id}", mapping={
        "patient": result["patient"]["name"], "flagged": len(flagged), "emailed_at": int(time.time()),
    })
    pipe.zadd(f"vetlab:clinic:{clinic_id}:results", {result_id: time.time()})
    pipe.execute()
    r.incr(f"vetlab:emails:{date.today().isoformat()}")
    return jsonify(emailed=True)
