"""Review nudges for Larkspur Health engineering.

Kubernetes CronJob "*/30 8-18 * * 1-5" (Europe/Amsterdam):  python -m devtools.review_nudges
Finds open, non-draft pull requests in the larkspur-health org that have waited more than a
working day for a requested reviewer and DMs each such reviewer on Slack with the PR link.
"""

import asyncio
import os
from datetime import datetime, timedelta, timezone

import aiohttp
from slack_sdk.web.async_client import AsyncWebClient

ORG = "larkspur-health"
WAIT = timedelta(hours=24)
SEARCH = """
query($q: String!) {
  search(query: $q, type: ISSUE, first: 100) {
    nodes { ... on PullRequest {
      number title url createdAt repository { name } author { login }
      reviewRequests(first: 10) { nodes { requestedReviewer { ... on User { login email } } } }
    } }
  }
}
"""


async def waiting_pulls(session: aiohttp.ClientSession) -> list[dict]:
    q = f"org:{ORG} is:pr is:open draft:false review:required"
    async with session.post("https://api.github.com/graphql", json={"query": SEARCH, "variables": {"q": q}}) as resp:
        resp.raise_for_status()
        nodes = (await resp.json())["data"]["search"]["nodes"]
    cutoff = datetime.now(timezone.utc) - WAIT
    return [pr for pr in nodes if datetime.fromisoformat(pr["createdAt"].replace("Z", "+00:00")) < cutoff]


async def slack_id(slack: AsyncWebClient, email: str | None, cache: dict[str, str | None]) -> str | None:
    if not email:
        return None
    if email not in cache:
        try:
            cache[email] = (await slack.users_lookupByEmail(email=email))["user"]["id"]
        except Exception:  # users_not_found for contractors without Slack
            cache[email] = None
    return cache[email]


async def main() -> None:
    slack = AsyncWebClient(token=os.environ["SLACK_BOT_TOKEN"])
    headers = {"Authorization": f"Bearer {os.environ['GITHUB_TOKEN']}"}
    ids: dict[str, str | None] = {}
    async with aiohttp.ClientSession(headers=headers) as session:
        pulls = await waiting_pulls(session)

    nudged = 0
    for pr in pulls:
        hours = int((datetime.now(timezone.utc) - datetime.fromisoformat(pr["createdAt"].replace("Z", "+00:00"))).total_seconds() // 3600)
        for request in pr["reviewRequests"]["nodes"]:
            reviewer = request["requestedReviewer"] or {}
            user = await slack_id(slack, reviewer.get("email"), ids)
            if user is None:
                continue
            await slack.chat_postMessage(
                channel=user,
                text=(f":eyes: <{pr['url']}|{pr['repository']['name']}#{pr['number']} {pr['title']}> by "
                      f"{pr['author']['login']} has been waiting {hours}h for your review."),
            )
            nudged += 1
    print(f"{len(pulls)} waiting pull requests, {nudged} nudges sent")


if __name__ == "__main__":
    asyncio.run(main())
