"""Nightly: embeds every help-center article and upserts it into the vector index."""

import os

import requests
from openai import OpenAI
from pinecone import Pinecone

client = OpenAI()
index = Pinecone(api_key=os.environ["PINECONE_API_KEY"]).Index("help-center")
ZENDESK = f"https://{os.environ['ZENDESK_SUBDOMAIN']}.zendesk.com/api/v2/help_center/articles.json"


def fetch_articles() -> list[dict]:
    articles, url = [], ZENDESK
    while url:
        page = requests.get(url, timeout=30).json()
        articles.extend(page["articles"])
        url = page.get("next_page")
    return articles


def main() -> None:
    for article in fetch_articles():
        text = f"{article['title']}\n\n{article['body']}"
        embedding = client.embeddings.create(model="text-embedding-3-small", input=text)
        index.upsert(vectors=[(str(article["id"]), embedding.data[0].embedding, {"title": article["title"]})])


if __name__ == "__main__":
    main()
