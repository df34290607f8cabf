// Friday maintenance round-up for Harbourview Property Management. An Agenda job (MongoDB-backed,
// defined in the long-running `ops-scheduler` process) runs every Friday at 16:00 Halifax time:
// it reads every open resident maintenance request from Buildium and emails each building's
// manager the full list for their buildings, oldest first, through Postmark.
const { Agenda } = require('agenda');
const postmark = require('postmark');

const BUILDIUM = 'https://api.buildium.com/v1';
const HEADERS = {
  'x-buildium-client-id': process.env.BUILDIUM_CLIENT_ID,
  'x-buildium-client-secret': process.env.BUILDIUM_CLIENT_SECRET,
  Accept: 'application/json',
};
const MANAGERS = require('./config/building-managers.json'); // { "<propertyId>": "name@harbourview.ca" }
const mail = new postmark.ServerClient(process.env.POSTMARK_SERVER_TOKEN);
const agenda = new Agenda({ db: { address: process.env.MONGODB_URL, collection: 'agendaJobs' } });

async function openRequests() {
  const all = [];
  const limit = 100;
  for (let offset = 0; ; offset += limit) {
    const qs = new URLSearchParams({ limit: String(limit), offset: String(offset), orderby: 'CreatedDateTime asc' });
    for (const status of ['New', 'InProgress', 'Deferred']) qs.append('statuses', status);
    const res = await fetch(`${BUILDIUM}/tasks/residentrequests?${qs}`, { headers: HEADERS });
    if (!res.ok) throw new Error(`Buildium ${res.status}: ${await res.text()}`);
    const page = await res.json();
    all.push(...page);
    if (page.length < limit) return all;
  }
}

const ageInDays = (iso) => Math.floor((Date.now() - Date.parse(iso)) / 86400000);

function groupByManager(requests) {
  const byManager = new Map();
  for (const r of requests) {
    const manager = MANAGERS[String(r.Property?.Id)];
    if (!manager) continue;
    if (!byManager.has(manager)) byManager.set(manager, []);
    byManager.get(manager).push(r);
  }
  return byManager;
}

agenda.define('maintenance-roundup', { concurrency: 1 }, async (job) => {
  const requests = await openRequests();
  const byManager = groupByManager(requests);
  for (const [manager, list] of byManager) {
    const rows = list
      .map((r) => `<tr><td>#${r.Id}</td><td>${r.Title}</td><td>${r.Priority}</td><td>${r.TaskStatus}</td><td>${ageInDays(r.CreatedDateTime)} d</td></tr>`)
      .join('');
    await mail.sendEmail({
      From: 'maintenance@harbourview.ca',
      To: manager,
      Subject: `Open maintenance requests: ${list.length}`,
      HtmlBody: `<p>Every open request in your buildings:</p><table>${rows}</table>`,
      MessageStream: 'outbound',
    });
  }
  console.log(`maintenance-roundup: ${requests.length} open requests, ${byManager.size} managers emailed (job ${job.attrs._id})`);
});

(async () => {
  await agenda.start();
  await agenda.every('0 16 * * 5', 'maintenance-roundup', {}, { timezone: 'America/Halifax' });
})();
