// On-call helper for the Brightwell Health platform team: Slack Bolt app in socket mode, always on.
//   /oncall                    -> who holds each escalation policy right now + every open incident.
//                                 A live status view: every answer lists everything, shown only to
//                                 the person who asked.
//   /page <service> <message>  -> opens a PagerDuty incident for that service, once per command.
import { App } from '@slack/bolt';

type OnCall = { user: { summary: string }; escalation_policy: { summary: string }; escalation_level: number; end: string | null };
type Incident = { incident_number: number; title: string; status: string; urgency: string; html_url: string; created_at: string; service: { summary: string } };

const app = new App({ token: process.env.SLACK_BOT_TOKEN, appToken: process.env.SLACK_APP_TOKEN, socketMode: true });
const PD_HEADERS = { Authorization: `Token token=${process.env.PAGERDUTY_TOKEN}`, Accept: 'application/vnd.pagerduty+json;version=2' };
const ROUTING_KEYS: Record<string, string | undefined> = {
  ehr: process.env.PD_ROUTING_EHR,
  billing: process.env.PD_ROUTING_BILLING,
  portal: process.env.PD_ROUTING_PORTAL,
};

async function listAll<T>(path: string, key: string, query: Record<string, string | string[]>): Promise<T[]> {
  const out: T[] = [];
  for (let offset = 0; ; offset += 100) {
    const params = new URLSearchParams({ limit: '100', offset: String(offset) });
    for (const [k, v] of Object.entries(query)) for (const item of [v].flat()) params.append(k, item);
    const res = await fetch(`https://api.pagerduty.com${path}?${params}`, { headers: PD_HEADERS });
    if (!res.ok) throw new Error(`PagerDuty ${path}: ${res.status}`);
    const page = (await res.json()) as Record<string, unknown> & { more: boolean };
    out.push(...(page[key] as T[]));
    if (!page.more) return out;
  }
}

const ago = (iso: string) => `${Math.round((Date.now() - Date.parse(iso)) / 60_000)} min ago`;

app.command('/oncall', async ({ ack, respond }) => {
  await ack();
  const [oncalls, incidents] = await Promise.all([
    listAll<OnCall>('/oncalls', 'oncalls', { earliest: 'true' }),
    listAll<Incident>('/incidents', 'incidents', { 'statuses[]': ['triggered', 'acknowledged'], date_range: 'all' }),
  ]);
  const primary = oncalls
    .filter((o) => o.escalation_level === 1)
    .sort((a, b) => a.escalation_policy.summary.localeCompare(b.escalation_policy.summary))
    .map((o) => `• *${o.escalation_policy.summary}*: ${o.user.summary}${o.end ? ` until <!date^${Math.floor(Date.parse(o.end) / 1000)}^{time}|${o.end}>` : ''}`);
  const open = incidents.map((i) =>
    `${i.status === 'triggered' ? ':red_circle:' : ':large_yellow_circle:'} <${i.html_url}|#${i.incident_number}> ${i.title} (${i.service.summary}, ${i.urgency}, ${ago(i.created_at)})`);

  await respond({
    response_type: 'ephemeral',
    text: ['*On call now*', ...primary, '', `*Open incidents (${open.length})*`, ...(open.length ? open : ['All clear :white_check_mark:'])].join('\n'),
  });
});

app.command('/page', async ({ command, ack, respond }) => {
  const [service = '', ...words] = command.text.trim().split(/\s+/);
  const routingKey = ROUTING_KEYS[service.toLowerCase()];
  if (!routingKey || words.length === 0) {
    await ack({ response_type: 'ephemeral', text: `Usage: /page <${Object.keys(ROUTING_KEYS).join('|')}> <what is wrong>` });
    return;
  }
  await ack();
  const res = await fetch('https://events.pagerduty.com/v2/enqueue', {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({
      routing_key: routingKey,
      event_action: 'trigger',
      payload: { summary: words.join(' '), source: `slack:${command.user_name}`, severity: 'error' },
    }),
  });
  await respond({ response_type: 'in_channel', text: res.ok ? `:pager: Paged *${service}* on behalf of <@${command.user_id}>.` : `PagerDuty refused the page (${res.status}).` });
});

(async () => {
  await app.start();
  console.log('on-call helper running');
})();
