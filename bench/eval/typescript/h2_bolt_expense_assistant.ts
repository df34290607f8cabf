// Slack app (Bolt, Socket Mode): "Ask Finance" answers expense-policy questions in DMs with Claude.
// The App Home has a region picker so that answers follow the right country's policy.
import { App } from '@slack/bolt';
import Anthropic from '@anthropic-ai/sdk';
import { readFileSync } from 'node:fs';

const app = new App({
  token: process.env.SLACK_BOT_TOKEN,
  appToken: process.env.SLACK_APP_TOKEN,
  socketMode: true,
});
const anthropic = new Anthropic();
const POLICIES: Record<string, string> = {
  uk: readFileSync('policies/expenses-uk.md', 'utf8'),
  us: readFileSync('policies/expenses-us.md', 'utf8'),
  de: readFileSync('policies/expenses-de.md', 'utf8'),
};

app.event('app_home_opened', async ({ event, client }) => {
  await client.views.publish({
    user_id: event.user,
    view: {
      type: 'home',
      blocks: [
        { type: 'section', text: { type: 'mrkdwn', text: 'Which expense policy applies to you?' } },
        {
          type: 'actions',
          elements: [
            {
              type: 'static_select',
              action_id: 'pick_region',
              placeholder: { type: 'plain_text', text: 'Choose a region' },
              options: Object.keys(POLICIES).map((r) => ({ text: { type: 'plain_text', text: r.toUpperCase() }, value: r })),
            },
          ],
        },
      ],
    },
  });
});

app.action('pick_region', async ({ ack, body, action, client }) => {
  await ack();
  const region = action.type === 'static_select' ? action.selected_option.value : 'uk';
  await client.chat.postMessage({ channel: body.user.id, text: `Thanks, I'll answer with the ${region.toUpperCase()} policy.` });
});

app.message(async ({ message, say }) => {
  if (message.subtype !== undefined || message.channel_type !== 'im' || !message.text) return;
  const reply = await anthropic.messages.create({
    model: 'claude-3-5-sonnet-latest',
    max_tokens: 600,
    system: `You answer questions about the company's expense policy. Quote the rule you rely on.\n\n${POLICIES.uk}`,
    messages: [{ role: 'user', content: message.text }],
  });
  const text = reply.content.map((block) => (block.type === 'text' ? block.text : '')).join('');
  await say({ text, thread_ts: message.thread_ts });
});

(async () => {
  await app.start();
  console.log('Ask Finance is running');
})();
