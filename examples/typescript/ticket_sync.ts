// Helpdesk → warehouse sync (no Redis yet, runs every hour).
// Copies support tickets into the data warehouse. Each run pages through every ticket since
// January 2024 again, which gets slower every week and hits the helpdesk's rate limit.

const HELPDESK_API = 'https://acme.helpdesk.example/api/v2';
const WAREHOUSE_API = 'https://warehouse.acme.example/ingest';
const HELPDESK_TOKEN = process.env.HELPDESK_TOKEN ?? '';

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
  let url: string | null = `${HELPDESK_API}/tickets?updated_since=2024-01-01T00:00:00Z`;
  while (url) {
    const response = await fetch(url, { headers: { Authorization: `Bearer ${HELPDESK_TOKEN}` } });
    if (!response.ok) throw new Error(`helpdesk answered ${response.status}`);
    const page = (await response.json()) as TicketPage;
    await loadIntoWarehouse(page.tickets);
    copied += page.tickets.length;
    url = page.next_page;
  }
  return copied;
}

if (require.main === module) {
  syncTickets().then((count) => console.log(`copied ${count} tickets`));
}
