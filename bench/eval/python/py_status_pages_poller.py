"""Polls vendors' status pages every 5 minutes and pages on-call when one reports an incident."""

import asyncio
import os

import aiohttp

STATUS_PAGES = {
    "github": "https://www.githubstatus.com/api/v2/status.json",
    "openai": "https://status.openai.com/api/v2/status.json",
    "cloudflare": "https://www.cloudflarestatus.com/api/v2/status.json",
}
PAGERDUTY = "https://events.pagerduty.com/v2/enqueue"


async def check(session: aiohttp.ClientSession, vendor: str, url: str) -> None:
    async with session.get(url) as response:
        status = await response.json()
    indicator = status["status"]["indicator"]
    if indicator in ("major", "critical"):
        await session.post(
            PAGERDUTY,
            json={
                "routing_key": os.environ["PAGERDUTY_ROUTING_KEY"],
                "event_action": "trigger",
                "payload": {"summary": f"{vendor}: {status['status']['description']}", "severity": "warning", "source": vendor},
            },
        )


async def main() -> None:
    async with aiohttp.ClientSession(timeout=aiohttp.ClientTimeout(total=15)) as session:
        while True:
            await asyncio.gather(*(check(session, vendor, url) for vendor, url in STATUS_PAGES.items()))
            await asyncio.sleep(300)


if __name__ == "__main__":
    asyncio.run(main())
