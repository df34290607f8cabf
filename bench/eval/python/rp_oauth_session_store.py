"""Slack OAuth callback for an internal bot: stores the installation for later runs."""

import os

import redis
import requests
from flask import Flask, redirect, request

app = Flask(__name__)
store = redis.Redis.from_url(os.environ["REDIS_URL"], decode_responses=True)


@app.route("/slack/oauth/callback")
def oauth_callback():
    code = request.args["code"]
    response = requests.post(
        "https://slack.com/api/oauth.v2.access",
        data={
            "code": code,
            "client_id": os.environ["SLACK_CLIENT_ID"],
            "client_secret": os.environ["SLACK_CLIENT_SECRET"],
        },
        timeout=10,
    ).json()
    team_id = response["team"]["id"]
    store.hset(f"slackbot:install:{team_id}", mapping={"bot_user": response["bot_user_id"], "access_token": response["access_token"]})
    store.set(f"slackbot:team-name:{team_id}", response["team"]["name"], ex=90 * 86400)
    return redirect(f"https://slack.com/app_redirect?team={team_id}")
