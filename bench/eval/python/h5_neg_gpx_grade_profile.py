"""Grade profile of a GPX route: looks up the elevation of every track point (Open-Elevation, in
batches) and writes a CSV of distance, elevation and average grade per 100 m, to plan climbs.

Usage: python gpx_grade_profile.py route.gpx -o route_grades.csv [--api URL]
"""

import argparse
import csv
import math
import xml.etree.ElementTree as ET

import requests

GPX_NS = {"gpx": "http://www.topografix.com/GPX/1/1"}
BATCH = 200
SEGMENT_M = 100


def track_points(path: str) -> list[tuple[float, float]]:
    root = ET.parse(path).getroot()
    return [(float(p.get("lat")), float(p.get("lon"))) for p in root.iterfind(".//gpx:trkpt", GPX_NS)]


def haversine_m(a: tuple[float, float], b: tuple[float, float]) -> float:
    lat1, lon1, lat2, lon2 = map(math.radians, (*a, *b))
    h = math.sin((lat2 - lat1) / 2) ** 2 + math.cos(lat1) * math.cos(lat2) * math.sin((lon2 - lon1) / 2) ** 2
    return 2 * 6_371_000 * math.asin(math.sqrt(h))


def elevations(points: list[tuple[float, float]], api: str) -> list[float]:
    heights = []
    for start in range(0, len(points), BATCH):
        chunk = [{"latitude": lat, "longitude": lon} for lat, lon in points[start:start + BATCH]]
        resp = requests.post(api, json={"locations": chunk}, timeout=60)
        resp.raise_for_status()
        heights += [result["elevation"] for result in resp.json()["results"]]
    return heights


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("gpx")
    parser.add_argument("-o", "--output", default="grades.csv")
    parser.add_argument("--api", default="https://api.open-elevation.com/api/v1/lookup")
    args = parser.parse_args()

    points = track_points(args.gpx)
    if len(points) < 2:
        parser.error("the GPX file has no track")
    heights = elevations(points, args.api)

    rows, dist, (seg_dist, seg_height) = [], 0.0, (0.0, heights[0])
    for prev, cur, height in zip(points, points[1:], heights[1:]):
        dist += haversine_m(prev, cur)
        if dist - seg_dist >= SEGMENT_M:
            rows.append((round(dist), round(height, 1), round((height - seg_height) / (dist - seg_dist) * 100, 1)))
            seg_dist, seg_height = dist, height

    with open(args.output, "w", newline="") as fh:
        writer = csv.writer(fh)
        writer.writerow(["distance_m", "elevation_m", "grade_pct"])
        writer.writerows(rows)
    print(f"{len(points)} points, {dist / 1000:.1f} km, {len(rows)} segments -> {args.output}")


if __name__ == "__main__":
    main()
