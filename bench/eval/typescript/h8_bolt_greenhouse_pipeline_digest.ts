// Hiring pipeline bot for Northbeam Robotics (Slack Bolt, Socket Mode, one always-on container).
// `/pipeline` shows anyone the live state of every open role on demand. Every Monday at 09:00 the
// same bot posts the weekly hiring digest to #hiring-leads: every open Greenhouse job with its number
// of active candidates, so the leads can see how each pipeline moved over the week.
import { App } from '@slack/bolt';
import cron from 'node-cron';

const app = new App({
  token: process.env.SLACK_BOT_TOKEN,
  appToken: process.env.SLACK_APP_TOKEN,
  socketMode: true,
});

const HARVEST = 'https://harvest.greenhouse.io/v1';
const AUTH = `Basic ${Buffer.from(`${process.env.GREENHOUSE_API_KEY}:`).toString('base64')}`;

interface PipelineRow {
  jobId: number;
  title: string;
  department: string;
  active: number;
}

async function harvest<T>(path: string): Promise<T[]> {
  const out: T[] = [];
  let next: string | null = `${HARVEST}${path}`;
  while (next) {
    const res = await fetch(next, { headers: { Authorization: AUTH } });
    if (!res.ok) throw new Error(`Greenhouse ${res.status} on ${path}`);
    out.push(...((await res.json()) as T[]));
    next = res.headers.get('link')?.match(/<([^>]+)>;\s*rel="next"/)?.[1] ?? null;
  }
  return out;
}

async function pipelineRows(): Promise<PipelineRow[]> {
  const jobs = await harvest<{ id: number; name: string; departments: { name: string }[] }>('/jobs?status=open&per_page=100');
  const rows = await Promise.all(
    jobs.map(async (job) => {
      const apps = await harvest<{ id: number }>(`/applications?job_id=${job.id}&status=active&per_page=500`);
      return { jobId: job.id, title: job.name, department: job.departments[0]?.name ?? 'Other', active: apps.length };
    }),
  );
  return rows.sort((a, b) => a.department.localeCompare(b.department) || b.active - a.active);
}

const asText = (rows: PipelineRow[]) =>
  rows.map((r) => `• *${r.title}* (${r.department}): ${r.active} active`).join('\n') || '_No open roles._';

app.command('/pipeline', async ({ ack, respond }) => {
  await ack();
  await respond({ response_type: 'ephemeral', text: asText(await pipelineRows()) });
});

async function weeklyDigest(): Promise<void> {
  const rows = await pipelineRows();
  const total = rows.reduce((sum, r) => sum + r.active, 0);
  await app.client.chat.postMessage({
    channel: process.env.HIRING_LEADS_CHANNEL!,
    text: `:bar_chart: *Weekly hiring digest*: ${rows.length} open roles, ${total} active candidates\n${asText(rows)}`,
  });
}

(async () => {
  await app.start();
  cron.schedule('0 9 * * 1', () => weeklyDigest().catch((err) => console.error('digest failed', err)), {
    timezone: 'America/Chicago',
  });
  console.log('pipeline bot running');
})();
