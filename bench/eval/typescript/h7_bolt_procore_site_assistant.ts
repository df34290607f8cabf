// "Foreman" — Slack assistant for Keel & Mortar Construction site teams. Bolt in Socket Mode on a
// Fly.io machine (auto_stop_machines = true, so it sleeps when nobody talks to it and restarts on
// every deploy). `/foreman project 4812` picks the Procore project a user asks about; mentioning
// @Foreman in a thread asks Claude, which can look up open RFIs and submittals through tools.
import { App } from '@slack/bolt';
import Anthropic from '@anthropic-ai/sdk';

const app = new App({ token: process.env.SLACK_BOT_TOKEN, appToken: process.env.SLACK_APP_TOKEN, socketMode: true });
const anthropic = new Anthropic();
const PROCORE = 'https://api.procore.com/rest/v1.0';
const PROCORE_HEADERS = { Authorization: `Bearer ${process.env.PROCORE_TOKEN}`, 'Procore-Company-Id': process.env.PROCORE_COMPANY_ID! };

const projectByUser = new Map<string, string>();
const threads = new Map<string, Anthropic.MessageParam[]>();

const tools: Anthropic.Tool[] = [
  { name: 'open_rfis', description: 'Open RFIs of the project, oldest first.', input_schema: { type: 'object', properties: {} } },
  { name: 'submittals', description: 'Submittals of the project with their status.', input_schema: { type: 'object', properties: {} } },
];

async function runTool(name: string, projectId: string): Promise<string> {
  const path = name === 'open_rfis' ? `projects/${projectId}/rfis?filters[status]=open` : `projects/${projectId}/submittals`;
  const res = await fetch(`${PROCORE}/${path}`, { headers: PROCORE_HEADERS });
  if (!res.ok) return `Procore error ${res.status}`;
  const rows = (await res.json()) as Array<Record<string, unknown>>;
  return JSON.stringify(rows.slice(0, 25).map(({ number, title, subject, status, due_date }) => ({ number, title: title ?? subject, status, due_date })));
}

app.command('/foreman', async ({ command, ack, respond }) => {
  await ack();
  const [sub, projectId] = command.text.trim().split(/\s+/);
  if (sub !== 'project' || !/^\d+$/.test(projectId ?? '')) {
    await respond('Usage: `/foreman project <Procore project id>`');
    return;
  }
  projectByUser.set(command.user_id, projectId);
  await respond(`Got it, I'll answer about project ${projectId}.`);
});

app.event('app_mention', async ({ event, say }) => {
  const projectId = projectByUser.get(event.user ?? '');
  const threadTs = event.thread_ts ?? event.ts;
  if (!projectId) {
    await say({ text: 'Tell me your project first: `/foreman project <id>`', thread_ts: threadTs });
    return;
  }
  const history = threads.get(threadTs) ?? [];
  history.push({ role: 'user', content: event.text.replace(/<@[A-Z0-9]+>/g, '').trim() });

  for (let step = 0; step < 4; step++) {
    const msg = await anthropic.messages.create({
      model: 'claude-3-5-sonnet-latest',
      max_tokens: 800,
      system: `You help a construction site team with Procore project ${projectId}. Be short; cite RFI/submittal numbers.`,
      tools,
      messages: history,
    });
    history.push({ role: 'assistant', content: msg.content });
    if (msg.stop_reason !== 'tool_use') {
      const text = msg.content.map((b) => (b.type === 'text' ? b.text : '')).join('');
      await say({ text, thread_ts: threadTs });
      break;
    }
    const results = await Promise.all(
      msg.content.filter((b): b is Anthropic.ToolUseBlock => b.type === 'tool_use').map(async (b) => ({
        type: 'tool_result' as const, tool_use_id: b.id, content: await runTool(b.name, projectId),
      })),
    );
    history.push({ role: 'user', content: results });
  }
  threads.set(threadTs, history.slice(-20));
});

(async () => {
  await app.start();
  console.log('Foreman is listening');
})();
