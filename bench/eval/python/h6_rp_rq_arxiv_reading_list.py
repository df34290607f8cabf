"""Morning reading list for the speech lab: recent arXiv papers in our area, each with a short
"why it matters to us" from GPT-4o-mini, emailed to the lab list.

RQ job. `python -m jobs.reading_list schedule` registers it once with rq-scheduler (weekdays at
06:30); an `rq worker reading-list` process started by supervisord runs it. Redis is only the
RQ queue. Takes the 40 most recent submissions matching the lab's query every time.
"""

import os
import smtplib
import sys
from email.message import EmailMessage

import feedparser
import requests
from openai import OpenAI
from redis import Redis
from rq import Queue
from rq_scheduler import Scheduler

redis_conn = Redis.from_url(os.environ.get("REDIS_URL", "redis://localhost:6379/2"))
queue = Queue("reading-list", connection=redis_conn)
llm = OpenAI()

ARXIV_API = "http://export.arxiv.org/api/query"
SEARCH = '(cat:cs.CL AND (abs:speech OR abs:ASR OR abs:prosody)) OR cat:eess.AS'
LAB_FOCUS = "low-resource ASR, code-switching and prosody modelling"
RECIPIENTS = ["speech-lab@cs.example.ac.uk"]


def recent_papers(limit: int = 40) -> list:
    resp = requests.get(ARXIV_API, params={
        "search_query": SEARCH, "sortBy": "submittedDate", "sortOrder": "descending",
        "start": 0, "max_results": limit,
    }, timeout=60)
    resp.raise_for_status()
    return feedparser.parse(resp.text).entries


def why_it_matters(paper) -> str:
    completion = llm.chat.completions.create(
        model="gpt-4o-mini",
        temperature=0,
        max_tokens=120,
        messages=[
            {"role": "system", "content": f"You brief a speech lab working on {LAB_FOCUS}. "
                                          "Answer in at most two short sentences."},
            {"role": "user", "content": f"{paper.title}\n\n{paper.summary}"},
        ],
    )
    return completion.choices[0].message.content.strip()


def format_entry(paper) -> str:
    names = [a.name for a in paper.authors]
    authors = ", ".join(names[:3]) + (" et al." if len(names) > 3 else "")
    title = " ".join(paper.title.split())
    return f"{title}\n  {authors}\n  {paper.link}\n  {why_it_matters(paper)}\n"


def send_reading_list() -> int:
    papers = recent_papers()
    msg = EmailMessage()
    msg["Subject"] = f"arXiv reading list ({len(papers)} papers)"
    msg["From"] = "reading-list-bot@cs.example.ac.uk"
    msg["To"] = ", ".join(RECIPIENTS)
    msg.set_content("\n".join(format_entry(p) for p in papers))
    with smtplib.SMTP(os.environ["SMTP_HOST"], 587) as smtp:
        smtp.starttls()
        smtp.login(os.environ["SMTP_USER"], os.environ["SMTP_PASSWORD"])
        smtp.send_message(msg)
    return len(papers)


if __name__ == "__main__" and sys.argv[1:] == ["schedule"]:
    Scheduler(queue=queue, connection=redis_conn).cron(
        "30 6 * * 1-5", func=send_reading_list, queue_name="reading-list", use_local_timezone=True,
    )
