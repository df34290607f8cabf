#!/usr/bin/env python3
"""One-shot converter: downloads a CSV export (or reads a local file) and writes it as JSON lines.

Usage: csv_to_json.py SOURCE OUTPUT [--delimiter ;]
"""

import argparse
import csv
import io
import json
import sys

import requests


def read_source(source: str) -> str:
    if source.startswith(("http://", "https://")):
        response = requests.get(source, timeout=60)
        response.raise_for_status()
        return response.text
    with open(source, encoding="utf-8") as handle:
        return handle.read()


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("source")
    parser.add_argument("output")
    parser.add_argument("--delimiter", default=",")
    args = parser.parse_args(argv)

    rows = csv.DictReader(io.StringIO(read_source(args.source)), delimiter=args.delimiter)
    count = 0
    with open(args.output, "w", encoding="utf-8") as out:
        for row in rows:
            out.write(json.dumps(row, ensure_ascii=False) + "\n")
            count += 1
    print(f"wrote {count} rows to {args.output}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
