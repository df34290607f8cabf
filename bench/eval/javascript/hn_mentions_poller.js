// Every 10 minutes: finds Hacker News comments that mention our product and posts them to Slack.
import cron from 'node-cron';

const SEARCH = 'https://hn.algolia.com/api/v1/search_by_date';
const LAUNCH_DAY = Math.floor(new Date('2025-03-01T00:00:00Z').getTime() / 1000);

async function pollMentions() {
  let page = 0;
  let pages = 1;
  while (page < pages) {
    const url = `${SEARCH}?query=acmedb&tags=comment&numericFilters=created_at_i>${LAUNCH_DAY}&page=${page}`;
    const result = await (await fetch(url)).json();
    for (const hit of result.hits) {
      await fetch(process.env.SLACK_WEBHOOK_URL, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ text: `HN mention by ${hit.author}: https://news.ycombinator.com/item?id=${hit.objectID}` }),
      });
    }
    pages = result.nbPages;
    page += 1;
  }
}

cron.schedule('*/10 * * * *', () => pollMentions().catch(console.error));
