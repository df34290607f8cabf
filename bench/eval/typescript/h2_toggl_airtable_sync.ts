// Hourly (systemd timer -> `node dist/toggl-airtable-sync.js`): copies this month's Toggl Track
// time entries into the Airtable "Timesheets" table so that account managers can bill from it.
import axios from 'axios';

const toggl = axios.create({
  baseURL: 'https://api.track.toggl.com/api/v9',
  auth: { username: process.env.TOGGL_API_TOKEN!, password: 'api_token' },
  timeout: 20_000,
});
const airtable = axios.create({
  baseURL: `https://api.airtable.com/v0/${process.env.AIRTABLE_BASE_ID}`,
  headers: { Authorization: `Bearer ${process.env.AIRTABLE_TOKEN}` },
});

interface TimeEntry {
  id: number;
  description: string | null;
  project_id: number | null;
  start: string;
  duration: number;
  at: string;
  server_deleted_at: string | null;
}

function startOfMonth(): number {
  const now = new Date();
  return Math.floor(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), 1) / 1000);
}

const chunk = <T>(items: T[], size: number): T[][] =>
  Array.from({ length: Math.ceil(items.length / size) }, (_, i) => items.slice(i * size, i * size + size));

async function sync(): Promise<void> {
  const since = startOfMonth();
  const { data: entries } = await toggl.get<TimeEntry[]>('/me/time_entries', { params: { since, meta: true } });
  const finished = entries.filter((e) => e.duration > 0 && !e.server_deleted_at);

  for (const batch of chunk(finished, 10)) {
    await airtable.post('/Timesheets', {
      typecast: true,
      records: batch.map((e) => ({
        fields: {
          'Toggl ID': e.id,
          Description: e.description ?? '(no description)',
          Project: e.project_id ? String(e.project_id) : 'Unassigned',
          Date: e.start.slice(0, 10),
          Hours: Math.round((e.duration / 3600) * 100) / 100,
        },
      })),
    });
  }
  console.log(`synced ${finished.length} entries since ${new Date(since * 1000).toISOString()}`);
}

sync().catch((error) => {
  console.error(error.response?.data ?? error);
  process.exitCode = 1;
});
