"""Weekly email to the maintainers: stars, forks and open issues of all our public repositories."""

import os
import smtplib
from email.message import EmailMessage

import requests

ORG = "acme-oss"
GITHUB_HEADERS = {"Authorization": f"token {os.environ['GITHUB_TOKEN']}", "Accept": "application/vnd.github+json"}


def weekly_report() -> None:
    repos = requests.get(
        f"https://api.github.com/orgs/{ORG}/repos",
        params={"type": "public", "per_page": 100},
        headers=GITHUB_HEADERS,
        timeout=30,
    ).json()
    rows = sorted(repos, key=lambda repo: repo["stargazers_count"], reverse=True)
    body = "\n".join(
        f"{repo['name']:<30} ★ {repo['stargazers_count']:>6}  forks {repo['forks_count']:>5}  issues {repo['open_issues_count']:>4}"
        for repo in rows
    )

    msg = EmailMessage()
    msg["Subject"] = f"{ORG}: weekly repository report"
    msg["From"] = "reports@acme.dev"
    msg["To"] = "maintainers@acme.dev"
    msg.set_content(body)
    with smtplib.SMTP("localhost") as smtp:
        smtp.send_message(msg)


if __name__ == "__main__":
    weekly_report()
