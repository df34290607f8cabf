"""Frost alerts for the vineyard crew: texts each block's managers while the National Weather
Service has a frost or freeze alert out for that block's forecast zone.

Long-running APScheduler process (systemd unit `frost-alerts.service`); the job runs every 20 minutes.
"""

import logging
import os
from dataclasses import dataclass, field

import requests
from apscheduler.schedulers.blocking import BlockingScheduler
from twilio.rest import Client

log = logging.getLogger("frost-alerts")
FROST_EVENTS = {"Frost Advisory", "Freeze Watch", "Freeze Warning", "Hard Freeze Warning"}
twilio = Client(os.environ["TWILIO_ACCOUNT_SID"], os.environ["TWILIO_AUTH_TOKEN"])


@dataclass(frozen=True)
class Block:
    name: str
    zone: str  # NWS public forecast zone, e.g. CAZ017
    managers: tuple[str, ...]


@dataclass
class Alert:
    id: str
    event: str
    headline: str
    ends: str | None
    zones: list[str] = field(default_factory=list)

    @classmethod
    def from_feature(cls, feature: dict) -> "Alert":
        p = feature["properties"]
        return cls(p["id"], p["event"], p["headline"], p.get("ends") or p.get("expires"),
                   p["geocode"].get("UGC", []))


BLOCKS = [
    Block("Upper Pinot", "CAZ017", ("+17075550143", "+17075550188")),
    Block("Creekside Chardonnay", "CAZ017", ("+17075550172",)),
    Block("Ridge Zinfandel", "CAZ018", ("+17075550119",)),
]


def active_frost_alerts(zones: set[str]) -> list[Alert]:
    resp = requests.get(
        "https://api.weather.gov/alerts/active",
        params={"zone": ",".join(sorted(zones))},
        headers={"User-Agent": "frost-alerts (ops@hollowoakvineyards.com)", "Accept": "application/geo+json"},
        timeout=20,
    )
    resp.raise_for_status()
    return [a for a in map(Alert.from_feature, resp.json()["features"]) if a.event in FROST_EVENTS]


def check_frost() -> None:
    for alert in active_frost_alerts({b.zone for b in BLOCKS}):
        for block in (b for b in BLOCKS if b.zone in alert.zones):
            for phone in block.managers:
                twilio.messages.create(
                    to=phone,
                    from_=os.environ["TWILIO_FROM"],
                    body=f"{alert.event} for {block.name}: {alert.headline} "
                         f"(until {alert.ends or 'further notice'})",
                )
                log.info("texted %s about %s", phone, alert.id)


if __name__ == "__main__":
    logging.basicConfig(level=logging.INFO)
    scheduler = BlockingScheduler(timezone="America/Los_Angeles")
    scheduler.add_job(check_frost, "interval", minutes=20, max_instances=1, coalesce=True)
    scheduler.start()
