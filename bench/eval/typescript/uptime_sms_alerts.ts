// node-cron every minute: checks the public API's health endpoint and texts the on-call engineers.
import axios from 'axios';
import cron from 'node-cron';
import twilio from 'twilio';

const sms = twilio(process.env.TWILIO_ACCOUNT_SID, process.env.TWILIO_AUTH_TOKEN);
const ON_CALL = (process.env.ON_CALL_NUMBERS ?? '').split(',').filter(Boolean);
const HEALTH_URL = 'https://api.acme.dev/health';

async function checkHealth(): Promise<void> {
  const response = await axios.get(HEALTH_URL, { timeout: 5000, validateStatus: () => true });
  const degraded = response.status !== 200 || response.data.status !== 'ok';
  if (!degraded) return;

  for (const number of ON_CALL) {
    await sms.messages.create({
      from: process.env.TWILIO_FROM,
      to: number,
      body: `API health check failed: HTTP ${response.status} ${JSON.stringify(response.data).slice(0, 100)}`,
    });
  }
}

cron.schedule('* * * * *', () => {
  checkHealth().catch((error) => console.error(error));
});
