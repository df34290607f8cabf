// AWS Lambda (Node.js 20, ES module handler), invoked by an EventBridge Scheduler rule every Monday
// at 06:00 UTC: emails the security team a summary of every open Dependabot alert in the GitHub
// org, grouped by severity, through Amazon SES.
import { SESv2Client, SendEmailCommand } from '@aws-sdk/client-sesv2';

const ses = new SESv2Client({});
const ORG = process.env.GITHUB_ORG;
const RECIPIENTS = (process.env.REPORT_TO ?? '').split(',').filter(Boolean);
const SEVERITIES = ['critical', 'high', 'medium', 'low'];

async function openAlerts() {
  const alerts = [];
  let url = `https://api.github.com/orgs/${ORG}/dependabot/alerts?state=open&per_page=100`;
  while (url) {
    const res = await fetch(url, {
      headers: {
        accept: 'application/vnd.github+json',
        authorization: `Bearer ${process.env.GITHUB_TOKEN}`,
        'x-github-api-version': '2022-11-28',
      },
    });
    if (!res.ok) throw new Error(`GitHub dependabot/alerts: HTTP ${res.status}`);
    alerts.push(...(await res.json()));
    const next = /<([^>]+)>;\s*rel="next"/.exec(res.headers.get('link') ?? '');
    url = next ? next[1] : null;
  }
  return alerts;
}

const escape = (s) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

function row(alert) {
  const pkg = alert.dependency.package;
  const age = Math.floor((Date.now() - Date.parse(alert.created_at)) / 86_400_000);
  return `<tr><td><a href="${alert.html_url}">${escape(alert.repository.full_name)}</a></td>` +
    `<td>${escape(pkg.ecosystem)}/${escape(pkg.name)}</td>` +
    `<td>${escape(alert.security_advisory.summary)}</td><td>${age} d</td></tr>`;
}

export const handler = async (event) => {
  console.log('dependabot report', event?.time ?? 'manual run');
  const alerts = await openAlerts();
  const bySeverity = Object.fromEntries(SEVERITIES.map((s) => [s, []]));
  for (const alert of alerts) bySeverity[alert.security_advisory.severity]?.push(alert);

  const sections = SEVERITIES.filter((s) => bySeverity[s].length > 0).map(
    (s) => `<h3>${s} (${bySeverity[s].length})</h3><table>${bySeverity[s].map(row).join('')}</table>`,
  );
  const html = `<p>${alerts.length} open Dependabot alerts in ${ORG}.</p>${sections.join('')}`;

  await ses.send(
    new SendEmailCommand({
      FromEmailAddress: process.env.REPORT_FROM,
      Destination: { ToAddresses: RECIPIENTS },
      Content: {
        Simple: {
          Subject: { Data: `Dependabot: ${alerts.length} open alerts (${bySeverity.critical.length} critical)` },
          Body: { Html: { Data: html } },
        },
      },
    }),
  );
  return { statusCode: 200, body: JSON.stringify({ alerts: alerts.length }) };
};
