"""First-line triage for the Nordlys Bikes support desk (Zendesk).

FastAPI app on the support VPS. A Zendesk trigger calls POST /zendesk/triage when a ticket is
created, with ticket id, subject, description and requester language. Claude classifies the
ticket through a forced tool call; the ticket is then moved to the right group with a priority,
and safety reports (brakes, e-bike batteries) are also posted to #safety. Zendesk retries a
webhook that times out, so each ticket is claimed (SET NX EX) before any work and released if
the routing fails.
"""

import os
from datetime import date

import anthropic
import httpx
from fastapi import FastAPI
from pydantic import BaseModel
from redis.asyncio import Redis

app = FastAPI()
redis = Redis.from_url(os.environ["REDIS_URL"], decode_responses=True)
claude = anthropic.AsyncAnthropic()
ZENDESK = f"https://{os.environ['ZENDESK_SUBDOMAIN']}.zendesk.com/api/v2"
ZD_AUTH = (f"{os.environ['ZENDESK_EMAIL']}/token", os.environ["ZENDESK_API_TOKEN"])
GROUPS = {"warranty": 360001, "orders": 360002, "repairs": 360003, "safety": 360004}
ROUTE_TOOL = {
    "name": "route_ticket",
    "description": "Route a bike-shop support ticket.",
    "input_schema": {"type": "object", "required": ["queue", "priority"], "properties": {
        "queue": {"type": "string", "enum": list(GROUPS)},
        "priority": {"type": "string", "enum": ["low", "normal", "high", "urgent"]},
        "reason": {"type": "string"}}},
}


class NewTicket(BaseModel):
    ticket_id: int
    subject: str
    description: str
    locale: str = "en"


async def classify(ticket: NewTicket) -> dict:
    msg = await claude.messages.create(
        model="claude-3-5-haiku-latest", max_tokens=300, temperature=0,
        tools=[ROUTE_TOOL], tool_choice={"type": "tool", "name": "route_ticket"},
        messages=[{"role": "user", "content": f"Subject: {ticket.subject}\n\n{ticket.description}"}],
    )
    return next(block.input for block in msg.content if block.type == "tool_use")


@app.post("/zendesk/triage")
async def triage(ticket: NewTicket) -> dict:
    claim = f"nordlys:triage:ticket:{ticket.ticket_id}"
    if not await redis.set(claim, "pending", nx=True, ex=14 * 86400):
        return {"skipped": "already triaged"}
    try:
        route = await classify(ticket)
        async with httpx.AsyncClient(auth=ZD_AUTH, timeout=15) as client:
            resp = await client.put(f"{ZENDESK}/tickets/{ticket.ticket_id}.json", json={"ticket": {
                "group_id": GROUPS[route["queue"]], "priority": route["priority"],
                "additional_tags": ["ai_triaged", f"ai_{route['queue']}"]}})
            resp.raise_for_status()
            if route["queue"] == "safety":
                await client.post(os.environ["SLACK_SAFETY_WEBHOOK"], json={
                    "text": f":rotating_light: Ticket #{ticket.ticket_id} ({ticket.locale}): {ticket.subject}\n"
                            f"{route.get('reason', '')}"})
    except Exception:
        await redis.delete(claim)
        raise
    stats = f"nordlys:triage:stats:{date.today():%Y-%m-%d}"
    async with redis.pipeline(transaction=True) as pipe:
        pipe.set(claim, route["queue"], ex=14 * 86400)
        pipe.hincrby(stats, route["queue"], 1)
        pipe.expire(stats, 35 * 86400)
        await pipe.execute()
    return {"routed": route}
