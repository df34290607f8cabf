// Watches suppliers' terms-of-service pages once a day and opens a Jira ticket for legal to review.
const fetch = require('node-fetch');
const cron = require('node-cron');

const PAGES = {
  stripe: 'https://stripe.com/legal/ssa',
  twilio: 'https://www.twilio.com/en-us/legal/tos',
};

async function reviewTerms() {
  for (const [vendor, url] of Object.entries(PAGES)) {
    const res = await fetch(url);
    const html = await res.text();
    const updated = /Last updated:?\s*([A-Z][a-z]+ \d{1,2}, \d{4})/.exec(html)?.[1] ?? 'unknown date';
    await fetch(`${process.env.JIRA_URL}/rest/api/3/issue`, {
      method: 'POST',
      headers: { authorization: `Basic ${process.env.JIRA_AUTH}`, 'content-type': 'application/json' },
      body: JSON.stringify({
        fields: { project: { key: 'LEGAL' }, issuetype: { name: 'Task' }, summary: `Review ${vendor} terms (updated ${updated})` },
      }),
    });
  }
}

cron.schedule('0 6 * * *', () => reviewTerms().catch(console.error));
