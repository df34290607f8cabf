// scripts/holds-ready.ts: "your hold is ready" texts for Millbrook Public Library. Run hourly by a
// GitHub Actions schedule (`cron: '5 8-20 * * *'`, `npx tsx scripts/holds-ready.ts`). Asks Koha for
// every hold waiting on a pickup shelf (a hold waits up to 7 days) and texts each patron who has an
// SMS number, in their Koha language, one text per patron listing all their waiting titles.
import twilio from 'twilio';

type Hold = {
  hold_id: number; patron_id: number; status: string; waiting_date: string; expiration_date: string;
  biblio: { title: string }; pickup_library: { name: string };
  patron: { firstname: string; preferred_name: string | null; sms_number: string | null; lang: string };
};

const KOHA = process.env.KOHA_URL ?? 'https://catalogue.millbrooklibrary.org';
const MESSAGES: Record<string, (name: string, titles: string, branch: string) => string> = {
  default: (n, t, b) => `Hi ${n}, your hold is ready at ${b}: ${t}. It will be kept for 7 days. - Millbrook Library`,
  'es-ES': (n, t, b) => `Hola ${n}, su reserva está lista en ${b}: ${t}. Se guardará 7 días. - Biblioteca Millbrook`,
};

class HoldsReadyJob {
  private readonly sms = twilio(process.env.TWILIO_ACCOUNT_SID, process.env.TWILIO_AUTH_TOKEN);
  private token = '';

  private async authenticate(): Promise<void> {
    const res = await fetch(`${KOHA}/api/v1/oauth/token`, {
      method: 'POST',
      body: new URLSearchParams({
        grant_type: 'client_credentials',
        client_id: process.env.KOHA_CLIENT_ID!,
        client_secret: process.env.KOHA_CLIENT_SECRET!,
      }),
    });
    if (!res.ok) throw new Error(`Koha token ${res.status}`);
    this.token = ((await res.json()) as { access_token: string }).access_token;
  }

  private async waitingHolds(): Promise<Hold[]> {
    const holds: Hold[] = [];
    for (let page = 1; ; page++) {
      const res = await fetch(`${KOHA}/api/v1/holds?_page=${page}&_per_page=100&q=${encodeURIComponent('{"status":"W"}')}`, {
        headers: { Authorization: `Bearer ${this.token}`, 'x-koha-embed': 'biblio,patron,pickup_library' },
      });
      if (!res.ok) throw new Error(`Koha holds ${res.status}`);
      const batch = (await res.json()) as Hold[];
      holds.push(...batch);
      if (batch.length < 100) return holds;
    }
  }

  async run(): Promise<void> {
    await this.authenticate();
    const byPatron = new Map<number, Hold[]>();
    for (const hold of await this.waitingHolds()) {
      if (!hold.patron.sms_number) continue;
      byPatron.set(hold.patron_id, [...(byPatron.get(hold.patron_id) ?? []), hold]);
    }

    let sent = 0;
    for (const holds of byPatron.values()) {
      const { patron } = holds[0];
      const render = MESSAGES[patron.lang] ?? MESSAGES.default;
      const titles = holds.map((h) => h.biblio.title.replace(/\s*[/:]\s*$/, '')).join('; ');
      try {
        await this.sms.messages.create({
          to: patron.sms_number!,
          messagingServiceSid: process.env.TWILIO_MESSAGING_SERVICE_SID,
          body: render(patron.preferred_name || patron.firstname, titles, holds[0].pickup_library.name),
        });
        sent++;
      } catch (err) {
        console.error(`text to patron ${holds[0].patron_id} failed`, err);
      }
    }
    console.log(`${byPatron.size} patrons with waiting holds, ${sent} texted`);
    if (process.env.HEALTHCHECK_URL) await fetch(`${process.env.HEALTHCHECK_URL}?sent=${sent}`);
  }
}

new HoldsReadyJob().run().catch((err) => {
  console.error(err);
  process.exit(1);
});
