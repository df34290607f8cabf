// Slack app (Bolt): /standup-time sets when a member wants the stand-up reminder; the scheduler reminds them.
import { App } from '@slack/bolt';
import cron from 'node-cron';

const app = new App({ token: process.env.SLACK_BOT_TOKEN, signingSecret: process.env.SLACK_SIGNING_SECRET });

app.command('/standup-time', async ({ command, ack, respond }) => {
  await ack();
  const time = command.text.trim();
  if (!/^\d{1,2}:\d{2}$/.test(time)) {
    await respond('Use HH:MM, for example `/standup-time 09:30`.');
    return;
  }
  await respond(`Got it <@${command.user_id}>, I will remind you at ${time} on weekdays.`);
});

cron.schedule('30 9 * * 1-5', async () => {
  const members = await app.client.conversations.members({ channel: process.env.STANDUP_CHANNEL! });
  for (const member of members.members ?? []) {
    await app.client.chat.postMessage({ channel: member, text: 'Time for your stand-up update!' });
  }
});

(async () => {
  await app.start(Number(process.env.PORT ?? 3000));
})();
