// packages/mail/src/lob.ts: typed helpers around the Lob Print & Mail API, shared by the dunning
// letters job and the win-back postcard job of Fernleaf Coffee Subscriptions. A library: it exports a
// client factory and nothing runs on import. Callers choose recipients, schedules and idempotency keys.
const LOB_API = 'https://api.lob.com/v1';

export type Address = {
  name: string; address_line1: string; address_line2?: string;
  address_city: string; address_state: string; address_zip: string; address_country?: string;
};
export type Postcard = {
  id: string; to: Address; date_created: string; send_date: string;
  expected_delivery_date: string; metadata: Record<string, string>;
};
export type Verification = { deliverability: 'deliverable' | 'undeliverable' | string; primary_line: string; last_line: string };
type ListResponse<T> = { data: T[]; next_url: string | null; count: number };

export class LobError extends Error {
  constructor(readonly status: number, readonly body: unknown) {
    super(`Lob API ${status}: ${JSON.stringify(body)}`);
  }
}

export function createLobClient(apiKey: string, fetchImpl: typeof fetch = fetch) {
  const auth = `Basic ${Buffer.from(`${apiKey}:`).toString('base64')}`;
  const verified = new Map<string, Verification>(); // per-instance memo, gone with the process

  async function call<T>(pathOrUrl: string, init: RequestInit = {}): Promise<T> {
    const url = pathOrUrl.startsWith('http') ? pathOrUrl : `${LOB_API}${pathOrUrl}`;
    const res = await fetchImpl(url, {
      ...init,
      headers: { Authorization: auth, 'Content-Type': 'application/json', ...(init.headers ?? {}) },
    });
    const body = await res.json().catch(() => null);
    if (!res.ok) throw new LobError(res.status, body);
    return body as T;
  }

  return {
    async verifyUsAddress(a: Address): Promise<Verification> {
      const key = [a.address_line1, a.address_line2 ?? '', a.address_zip].join('|').toLowerCase();
      const hit = verified.get(key);
      if (hit) return hit;
      const v = await call<Verification>('/us_verifications', {
        method: 'POST',
        body: JSON.stringify({
          primary_line: a.address_line1, secondary_line: a.address_line2 ?? '',
          city: a.address_city, state: a.address_state, zip_code: a.address_zip,
        }),
      });
      verified.set(key, v);
      return v;
    },

    sendPostcard(input: {
      to: Address; from: Address; front: string; back: string;
      mergeVariables?: Record<string, string>; metadata?: Record<string, string>; idempotencyKey: string;
    }): Promise<Postcard> {
      return call<Postcard>('/postcards', {
        method: 'POST',
        headers: { 'Idempotency-Key': input.idempotencyKey },
        body: JSON.stringify({
          to: input.to, from: input.from, front: input.front, back: input.back,
          merge_variables: input.mergeVariables, metadata: input.metadata, use_type: 'marketing',
        }),
      });
    },

    async *listPostcards(filter: { createdAfter?: Date; campaign?: string } = {}): AsyncGenerator<Postcard> {
      const params = new URLSearchParams({ limit: '100' });
      if (filter.createdAfter) params.set('date_created', JSON.stringify({ gt: filter.createdAfter.toISOString() }));
      if (filter.campaign) params.set('metadata', JSON.stringify({ campaign: filter.campaign }));
      let next: string | null = `/postcards?${params}`;
      while (next) {
        const page: ListResponse<Postcard> = await call<ListResponse<Postcard>>(next);
        yield* page.data;
        next = page.next_url;
      }
    },

    cancelPostcard(id: string): Promise<{ id: string; deleted: boolean }> {
      return call(`/postcards/${encodeURIComponent(id)}`, { method: 'DELETE' });
    },
  };
}

export type LobClient = ReturnType<typeof createLobClient>;
