// Planning watch for the Chapel Allerton Residents' Association. A small worker on a Hetzner box
// (pm2, node-cron every 30 minutes, 07:00-21:00) reads the council's public-access page of each
// planning application the committee follows and posts its status and decision to the committee's
// Discord channel. Two replicas run for safety; Redis (ioredis) stops them overlapping.
import Redis from 'ioredis';
import cron from 'node-cron';
import * as cheerio from 'cheerio';
import axios from 'axios';

const redis = new Redis(process.env.REDIS_URL ?? 'redis://127.0.0.1:6379');
const PORTAL = 'https://publicaccess.leeds.gov.uk/online-applications/applicationDetails.do';

const WATCHED: Record<string, string> = {
  '24/03117/FU': 'HBKQ7KJB0KS00',
  '24/04481/FU': 'HDRM2YJB0LR00',
  '25/00262/LI': 'SPT1ZQJB0MX00',
};

interface ApplicationStatus {
  reference: string;
  address: string;
  status: string;
  decision: string;
}

function parseSummary(reference: string, html: string): ApplicationStatus {
  const $ = cheerio.load(html);
  const cell = (label: string) =>
    $('#simpleDetailsTable th').filter((_, th) => $(th).text().trim() === label).next('td').text().trim();
  return { reference, address: cell('Address'), status: cell('Status'), decision: cell('Decision') || 'Pending' };
}

async function readApplication(reference: string, keyVal: string): Promise<ApplicationStatus> {
  const { data } = await axios.get<string>(PORTAL, {
    params: { activeTab: 'summary', keyVal },
    responseType: 'text',
    timeout: 15_000,
    headers: { 'User-Agent': 'CARA planning watch (planning@cara-leeds.org.uk)' },
  });
  return parseSummary(reference, data);
}

async function postToCommittee(app: ApplicationStatus): Promise<void> {
  await axios.post(process.env.DISCORD_PLANNING_WEBHOOK!, {
    username: 'Planning watch',
    embeds: [{
      title: `${app.reference}: ${app.status}`,
      description: `${app.address}\nDecision: **${app.decision}**`,
      url: `${PORTAL}?activeTab=summary&keyVal=${WATCHED[app.reference]}`,
    }],
  });
}

async function sweep(): Promise<void> {
  const lock = await redis.set('planning-watch:lock', String(process.pid), 'EX', 20 * 60, 'NX');
  if (lock !== 'OK') return;
  try {
    for (const [reference, keyVal] of Object.entries(WATCHED)) {
      try {
        const app = await readApplication(reference, keyVal);
        await postToCommittee(app);
      } catch (err) {
        console.error(`planning ${reference}:`, err instanceof Error ? err.message : err);
      }
    }
  } finally {
    await redis.del('planning-watch:lock');
  }
}

cron.schedule('*/30 7-21 * * *', () => void sweep(), { timezone: 'Europe/London' });
console.log(`planning watch started, ${Object.keys(WATCHED).length} applications`);
