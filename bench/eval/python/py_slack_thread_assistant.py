"""Slack app: answers questions when mentioned, using Claude."""

import os

from anthropic import Anthropic
from slack_bolt import App
from slack_bolt.adapter.socket_mode import SocketModeHandler

app = App(token=os.environ["SLACK_BOT_TOKEN"])
claude = Anthropic()


@app.event("app_mention")
def handle_mention(event, say):
    thread_ts = event.get("thread_ts") or event["ts"]
    question = event["text"].split(">", 1)[-1].strip()
    response = claude.messages.create(
        model="claude-3-5-sonnet-latest",
        max_tokens=800,
        system="You are the internal IT helpdesk. Be concise.",
        messages=[{"role": "user", "content": question}],
    )
    say(text=response.content[0].text, thread_ts=thread_ts)


if __name__ == "__main__":
    SocketModeHandler(app, os.environ["SLACK_APP_TOKEN"]).start()
