// Monday 08:00 (GitHub Actions `schedule: - cron: '0 8 * * 1'` -> `npx tsx jobs/sentry-digest.ts`): posts the
// unresolved Sentry issues of the checkout and payments projects with 50+ events in the last two weeks
// to #eng-quality, so that the weekly triage meeting has a list to work from.
import { WebClient } from '@slack/web-api';

const SENTRY = 'https://sentry.io/api/0';
const ORG = process.env.SENTRY_ORG ?? 'harbourline';
const PROJECTS = ['checkout-web', 'payments-api'];
const MIN_EVENTS = 50;

interface SentryIssue {
  id: string;
  shortId: string;
  title: string;
  culprit: string;
  count: string;
  userCount: number;
  firstSeen: string;
  permalink: string;
}

// Link: <https://sentry.io/api/0/...&cursor=0:100:0>; rel="next"; results="true"; cursor="0:100:0"
function nextCursor(link: string | null): string | null {
  const next = link?.split(',').find((part) => part.includes('rel="next"'));
  if (!next || !next.includes('results="true"')) return null;
  return /cursor="([^"]+)"/.exec(next)?.[1] ?? null;
}

async function unresolvedIssues(project: string): Promise<SentryIssue[]> {
  const issues: SentryIssue[] = [];
  let cursor: string | null = '';
  while (cursor !== null) {
    const params = new URLSearchParams({ query: 'is:unresolved', statsPeriod: '14d', sort: 'freq', limit: '100', cursor });
    const res = await fetch(`${SENTRY}/projects/${ORG}/${project}/issues/?${params}`, {
      headers: { Authorization: `Bearer ${process.env.SENTRY_AUTH_TOKEN}` },
    });
    if (!res.ok) throw new Error(`Sentry ${project}: ${res.status} ${await res.text()}`);
    issues.push(...((await res.json()) as SentryIssue[]));
    cursor = nextCursor(res.headers.get('link'));
  }
  return issues;
}

const line = (i: SentryIssue) =>
  `• <${i.permalink}|${i.shortId}> ${i.title} — ${i.count} events, ${i.userCount} users (first seen ${i.firstSeen.slice(0, 10)})`;

async function main(): Promise<void> {
  const slack = new WebClient(process.env.SLACK_BOT_TOKEN);
  const sections: string[] = [];

  for (const project of PROJECTS) {
    const noisy = (await unresolvedIssues(project)).filter((issue) => Number(issue.count) >= MIN_EVENTS);
    if (noisy.length === 0) continue;
    const shown = noisy.slice(0, 25).map(line).join('\n');
    const more = noisy.length > 25 ? `\n…and ${noisy.length - 25} more` : '';
    sections.push(`*${project}* (${noisy.length})\n${shown}${more}`);
  }

  await slack.chat.postMessage({
    channel: '#eng-quality',
    text: sections.length
      ? `Unresolved Sentry issues with ${MIN_EVENTS}+ events (14 days)\n\n${sections.join('\n\n')}`
      : 'No noisy unresolved Sentry issues this week :tada:',
    unfurl_links: false,
  });
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
