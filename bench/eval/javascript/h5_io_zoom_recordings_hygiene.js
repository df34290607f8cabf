// Zoom webhook for the customer-success team (Express on Railway, POST /zoom/events): when the cloud
// recording of a customer call is ready, posts the share link to Slack and leaves the download details
// in Redis (ioredis) for the transcript worker. Redis also remembers which recordings were shared.
const crypto = require('node:crypto');
const express = require('express');
const Redis = require('ioredis');
const { WebClient } = require('@slack/web-api');

const redis = new Redis(process.env.REDIS_URL);
const slack = new WebClient(process.env.SLACK_BOT_TOKEN);
const WEEK = 7 * 86400;
const app = express();
app.use(express.json({ verify: (req, _res, buf) => { req.rawBody = buf.toString('utf8'); } }));

const sign = (message) => crypto.createHmac('sha256', process.env.ZOOM_WEBHOOK_SECRET).update(message).digest('hex');

async function zoomAccessToken() {
  const basic = Buffer.from(`${process.env.ZOOM_CLIENT_ID}:${process.env.ZOOM_CLIENT_SECRET}`).toString('base64');
  const res = await fetch(`https://zoom.us/oauth/token?grant_type=account_credentials&account_id=${process.env.ZOOM_ACCOUNT_ID}`, {
    method: 'POST',
    headers: { Authorization: `Basic ${basic}` },
  });
  if (!res.ok) throw new Error(`Zoom OAuth ${res.status}`);
  return (await res.json()).access_token;
}

app.post('/zoom/events', async (req, res) => {
  const expected = `v0=${sign(`v0:${req.get('x-zm-request-timestamp')}:${req.rawBody}`)}`;
  if (req.get('x-zm-signature') !== expected) return res.sendStatus(401);

  const { event, payload } = req.body;
  if (event === 'endpoint.url_validation') {
    return res.json({ plainToken: payload.plainToken, encryptedToken: sign(payload.plainToken) });
  }
  res.sendStatus(200);
  if (event !== 'recording.completed') return;

  const meeting = payload.object;
  const claimed = await redis.set(`zoom:event:${meeting.uuid}`, '1', 'EX', WEEK, 'NX');
  if (!claimed) return;

  try {
    const token = await zoomAccessToken();
    const meetingId = encodeURIComponent(encodeURIComponent(meeting.uuid));
    const recRes = await fetch(`https://api.zoom.us/v2/meetings/${meetingId}/recordings?include_fields=download_access_token&ttl=${WEEK}`, {
      headers: { Authorization: `Bearer ${token}` },
    });
    const recordings = await recRes.json();

    await redis.set(`zoom:recording:${meeting.uuid}`, JSON.stringify(recordings), 'EX', WEEK);
    await redis.set(`zoom:download-token:${meeting.uuid}`, recordings.download_access_token, 'EX', WEEK);

    await slack.chat.postMessage({
      channel: process.env.SLACK_CALLS_CHANNEL,
      text: `:movie_camera: *${meeting.topic}* (${meeting.duration} min, host ${meeting.host_email}): <${recordings.share_url}|recording>`,
    });
    await redis.sadd('zoom:shared', meeting.uuid);
  } catch (err) {
    console.error(`recording ${meeting.uuid} not shared`, err);
  }
});

app.listen(Number(process.env.PORT || 3000), () => console.log('zoom webhook listening'));
