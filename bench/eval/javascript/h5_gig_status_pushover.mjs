// Gig-buddy alerts: every 20 minutes (GitHub Actions `schedule: - cron: '*/20 * * * *'` -> `node alerts.mjs`)
// checks the Ticketmaster events our members follow and sends each follower a Pushover notification
// when an event is postponed, rescheduled or cancelled. Follows are exported nightly from the app DB.
import { readFile } from 'node:fs/promises';
import axios from 'axios';

// { "G5vYZ9nlQnHpH": ["uQiRzpo4DXghDmr9QzzfQu27cmVRsG", ...], ... }  event id -> Pushover user keys
const follows = JSON.parse(await readFile(new URL('./follows.json', import.meta.url), 'utf8'));

const MESSAGES = {
  postponed: (e) => `${e.name} has been postponed. Keep your tickets, a new date will follow.`,
  rescheduled: (e) => `${e.name} has moved to ${e.dates.start.localDate}${e.dates.start.localTime ? ` ${e.dates.start.localTime.slice(0, 5)}` : ''}.`,
  cancelled: (e) => `${e.name} has been cancelled. Refunds go back to the original payment method.`,
};

const ticketmaster = axios.create({
  baseURL: 'https://app.ticketmaster.com/discovery/v2',
  params: { apikey: process.env.TICKETMASTER_API_KEY },
  timeout: 15000,
});

function notify(userKey, event, message) {
  return axios.post('https://api.pushover.net/1/messages.json', {
    token: process.env.PUSHOVER_APP_TOKEN,
    user: userKey,
    title: 'Gig update',
    message,
    url: event.url,
    url_title: 'Event page',
  });
}

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

for (const [eventId, userKeys] of Object.entries(follows)) {
  let event;
  try {
    ({ data: event } = await ticketmaster.get(`/events/${eventId}.json`));
  } catch (err) {
    if (err.response?.status === 404) continue;
    throw err;
  }
  await sleep(250); // Discovery API: 5 requests per second

  const status = event.dates.status.code === 'canceled' ? 'cancelled' : event.dates.status.code;
  const describe = MESSAGES[status];
  if (!describe) continue;

  const message = describe(event);
  const results = await Promise.allSettled(userKeys.map((key) => notify(key, event, message)));
  const failed = results.filter((r) => r.status === 'rejected').length;
  console.log(`${event.name} [${status}]: notified ${userKeys.length - failed}/${userKeys.length}`);
}
