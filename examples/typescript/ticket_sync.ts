// Helpdesk → warehouse sync (no Redis yet, runs every hour).
// Copies support tickets into the data warehouse. Each run pages through every ticket since
// January 2024 again, which gets slower every week and hits the helpdesk's rate limit.

const HELPDESK_API = 'https://acme.helpdesk.example/api/v2';
const WAREHOUSE_API = 'https://warehouse.acme.example/ingest';
const HELPDESK_TOKEN = process.env.HELPDESK_TOKEN ?? '';
const SYNC_START = '2024-01-01T00:00:00Z';

interface Ticket {
  id: number;
  subject: string;
  status: string;
  updated_at: string;
}

interface TicketPage {
  tickets: Ticket[];
  next_page: string | null;
}

async function loadIntoWarehouse(tickets: Ticket[]): Promise<void> {
  const response = await fetch(`${WAREHOUSE_API}/tickets`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify(tickets),
  });
  if (!response.ok) throw new Error(`warehouse answered ${response.status}`);
}

export async function syncTickets(): Promise<number> {
  let copied = 0;
  let page = 1;
  for (;;) {
    const response = await fetch(`${HELPDESK_API}/tickets?updated_since=${SYNC_START}&page=${page}`, {
      headers: { Authorization: `Bearer ${HELPDESK_TOKEN}` },
    });
    if (!response.ok) throw new Error(`helpdesk answered ${response.status}`);
    const body = (await response.json()) as TicketPage;
    await loadIntoWarehouse(body.tickets);
    copied += body.tickets.length;
    if (!body.next_page) break;
    page += 1;
  }
  return copied;
}

if (require.main === module) {
  syncTickets().then((count) => console.log(`copied ${count} tickets`));
}
