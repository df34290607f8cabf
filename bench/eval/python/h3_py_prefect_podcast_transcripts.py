"""Nightly transcripts for the "Soil & Supper" podcast: the 20 most recent episodes are sent to
AssemblyAI (billed per audio hour) and the text is written to S3, where the website picks it up.

Prefect flow, served with a cron schedule: python podcast_transcripts.py  (0 3 * * *)
"""

import asyncio
import os
from dataclasses import dataclass
from typing import AsyncIterator

import boto3
import feedparser
import httpx
from prefect import flow, get_run_logger, task

FEED_URL = "https://feeds.soilandsupper.fm/podcast.xml"
ASSEMBLYAI = "https://api.assemblyai.com/v2"
BUCKET = os.environ.get("TRANSCRIPTS_BUCKET", "soilandsupper-site")
RECENT = 20


@dataclass
class Episode:
    guid: str
    title: str
    audio_url: str


async def recent_episodes(client: httpx.AsyncClient) -> AsyncIterator[Episode]:
    feed = await client.get(FEED_URL, follow_redirects=True)
    feed.raise_for_status()
    for entry in feedparser.parse(feed.text).entries[:RECENT]:
        enclosure = next((link for link in entry.get("links", []) if link.get("rel") == "enclosure"), None)
        if enclosure:
            yield Episode(entry.get("id", enclosure["href"]), entry.title, enclosure["href"])


@task(retries=2, retry_delay_seconds=60)
async def transcribe(client: httpx.AsyncClient, episode: Episode) -> str:
    headers = {"authorization": os.environ["ASSEMBLYAI_API_KEY"]}
    job = await client.post(
        f"{ASSEMBLYAI}/transcript",
        headers=headers,
        json={"audio_url": episode.audio_url, "speaker_labels": True, "language_code": "en"},
    )
    job.raise_for_status()
    transcript_id = job.json()["id"]
    while True:
        status = (await client.get(f"{ASSEMBLYAI}/transcript/{transcript_id}", headers=headers)).json()
        if status["status"] == "completed":
            return status["text"]
        if status["status"] == "error":
            raise RuntimeError(f"{episode.title}: {status['error']}")
        await asyncio.sleep(15)


@flow(name="podcast-transcripts")
async def transcribe_recent_episodes() -> int:
    log = get_run_logger()
    s3 = boto3.client("s3")
    done = 0
    async with httpx.AsyncClient(timeout=60) as client:
        async for episode in recent_episodes(client):
            text = await transcribe(client, episode)
            s3.put_object(Bucket=BUCKET, Key=f"transcripts/{episode.guid}.txt", Body=text.encode(),
                          ContentType="text/plain; charset=utf-8")
            log.info("transcribed %s (%d chars)", episode.title, len(text))
            done += 1
    return done


if __name__ == "__main__":
    transcribe_recent_episodes.serve(name="nightly", cron="0 3 * * *")
