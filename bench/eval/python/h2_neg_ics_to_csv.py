#!/usr/bin/env python3
"""Converts an .ics calendar export (a file or a URL) into CSV for the shared rota spreadsheet.

Usage: python ics_to_csv.py <calendar.ics | https://...> [out.csv]
A one-shot helper run by hand; nothing schedules it.
"""

import csv
import sys
from datetime import datetime
from functools import lru_cache
from zoneinfo import ZoneInfo

import requests
from icalendar import Calendar

COLUMNS = ["summary", "start", "end", "location"]


@lru_cache(maxsize=None)
def zone(name: str) -> ZoneInfo:
    return ZoneInfo(name)


def load(source: str) -> bytes:
    if source.startswith(("http://", "https://")):
        resp = requests.get(source, timeout=30)
        resp.raise_for_status()
        return resp.content
    with open(source, "rb") as fh:
        return fh.read()


def local(value, tz: ZoneInfo) -> str:
    if isinstance(value, datetime):
        value = value.astimezone(tz) if value.tzinfo else value.replace(tzinfo=tz)
    return value.isoformat()  # all-day events stay dates


def main(argv: list[str]) -> int:
    if len(argv) < 2:
        print(__doc__, file=sys.stderr)
        return 2
    calendar = Calendar.from_ical(load(argv[1]))
    tz = zone(str(calendar.get("X-WR-TIMEZONE", "Europe/London")))

    rows = []
    for event in calendar.walk("VEVENT"):
        start = event.decoded("DTSTART")
        end = event.decoded("DTEND") if "DTEND" in event else start
        rows.append({
            "summary": str(event.get("SUMMARY", "")),
            "start": local(start, tz),
            "end": local(end, tz),
            "location": str(event.get("LOCATION", "")),
        })
    rows.sort(key=lambda row: row["start"])

    out = open(argv[2], "w", newline="", encoding="utf-8") if len(argv) > 2 else sys.stdout
    writer = csv.DictWriter(out, fieldnames=COLUMNS)
    writer.writeheader()
    writer.writerows(rows)
    if out is not sys.stdout:
        out.close()
    print(f"{len(rows)} events", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
