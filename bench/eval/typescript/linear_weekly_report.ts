// Weekly (Monday) status email: open bugs per team from Linear.
import { LinearClient } from '@linear/sdk';
import sgMail from '@sendgrid/mail';

const linear = new LinearClient({ apiKey: process.env.LINEAR_API_KEY });
sgMail.setApiKey(process.env.SENDGRID_API_KEY!);

async function weeklyBugReport(): Promise<void> {
  const issues = await linear.issues({ filter: { labels: { name: { eq: 'Bug' } }, state: { type: { nin: ['completed', 'canceled'] } } }, first: 250 });
  const byTeam = new Map<string, string[]>();
  for (const issue of issues.nodes) {
    const team = (await issue.team)?.name ?? 'No team';
    byTeam.set(team, [...(byTeam.get(team) ?? []), `${issue.identifier} ${issue.title}`]);
  }
  const html = [...byTeam.entries()]
    .map(([team, titles]) => `<h3>${team} (${titles.length})</h3><ul>${titles.map((t) => `<li>${t}</li>`).join('')}</ul>`)
    .join('');
  await sgMail.send({ to: 'eng-leads@acme.dev', from: 'reports@acme.dev', subject: 'Open bugs this week', html });
}

weeklyBugReport().catch((error) => {
  console.error(error);
  process.exitCode = 1;
});
