// tests/renewal-reminders.test.ts: vitest unit tests for the contract renewal reminder module.
// Runs under `vitest run` in CI against an msw mock server; nothing here is deployed or scheduled.
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { setupServer } from 'msw/node';
import { http, HttpResponse } from 'msw';
import { buildReminder, sendReminders } from '../src/renewal-reminders';

const CRM = 'https://api.crm.test/v1/contracts';
const POSTMARK = 'https://api.postmarkapp.com/email';
const contracts = [
  { id: 'c_101', customer_email: 'ops@brightside.test', plan: 'Team', renews_on: '2025-06-20' },
  { id: 'c_102', customer_email: 'it@harbourfoods.test', plan: 'Business', renews_on: '2025-06-28' },
];
const outbox: Array<{ To: string; Subject: string }> = [];

const server = setupServer(
  http.get(CRM, ({ request }) => {
    expect(new URL(request.url).searchParams.get('renews_before')).toBe('2025-07-01');
    return HttpResponse.json({ data: contracts, next_cursor: null });
  }),
  http.post(POSTMARK, async ({ request }) => {
    const message = (await request.json()) as { To: string; Subject: string };
    outbox.push({ To: message.To, Subject: message.Subject });
    return HttpResponse.json({ ErrorCode: 0, MessageID: crypto.randomUUID(), To: message.To });
  }),
);

beforeAll(() => server.listen({ onUnhandledRequest: 'error' }));
afterEach(() => {
  server.resetHandlers();
  outbox.length = 0;
});
afterAll(() => server.close());

describe('buildReminder', () => {
  it('names the plan and the renewal date', () => {
    const reminder = buildReminder(contracts[0]);
    expect(reminder.Subject).toContain('Team');
    expect(reminder.TextBody).toContain('20 June 2025');
  });
});

describe('sendReminders', () => {
  it('emails every contract renewing in the window', async () => {
    const result = await sendReminders({ now: new Date('2025-06-01T00:00:00Z'), windowDays: 30 });
    expect(result.sent).toBe(2);
    expect(outbox.map((m) => m.To)).toEqual(['ops@brightside.test', 'it@harbourfoods.test']);
  });

  it('fails loudly when the CRM is down', async () => {
    server.use(http.get(CRM, () => new HttpResponse(null, { status: 503 })));
    await expect(sendReminders({ now: new Date('2025-06-01T00:00:00Z'), windowDays: 30 })).rejects.toThrow(/503/);
    expect(outbox).toHaveLength(0);
  });

  it('mock Postmark accepts the payloads the module builds', async () => {
    for (const contract of contracts) {
      const res = await fetch(POSTMARK, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-postmark-server-token': 'test-token' },
        body: JSON.stringify({ From: 'billing@acme.test', To: contract.customer_email, ...buildReminder(contract) }),
      });
      expect(res.status).toBe(200);
    }
    expect(outbox).toHaveLength(contracts.length);
  });
});
