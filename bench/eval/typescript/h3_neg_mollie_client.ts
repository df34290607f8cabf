// src/lib/mollie.ts: a small typed wrapper around the Mollie Payments API v2, shared by the
// checkout service and the admin back office. A library: no entry point, no schedule, no handler;
// callers decide what to fetch and when.
const API = 'https://api.mollie.com/v2';

export interface Amount {
  currency: string;
  value: string; // Mollie wants a string with exactly two decimals
}

export interface Payment {
  id: string;
  status: 'open' | 'pending' | 'authorized' | 'paid' | 'canceled' | 'expired' | 'failed';
  amount: Amount;
  description: string;
  createdAt: string;
  metadata: Record<string, string> | null;
  _links: { checkout?: { href: string } };
}

interface ListPage<T> {
  count: number;
  _embedded: Record<string, T[]>;
  _links: { next: { href: string } | null };
}

export class MollieError extends Error {
  constructor(readonly status: number, readonly title: string, detail: string) {
    super(`Mollie ${status} ${title}: ${detail}`);
  }
}

export class MollieClient {
  constructor(private readonly apiKey: string, private readonly fetchImpl: typeof fetch = fetch) {}

  private async request<T>(pathOrUrl: string, init: RequestInit = {}): Promise<T> {
    const url = pathOrUrl.startsWith('https://') ? pathOrUrl : `${API}${pathOrUrl}`;
    const res = await this.fetchImpl(url, {
      ...init,
      headers: { authorization: `Bearer ${this.apiKey}`, 'content-type': 'application/json', ...init.headers },
    });
    const body = await res.json();
    if (!res.ok) throw new MollieError(res.status, body.title, body.detail);
    return body as T;
  }

  createPayment(input: { amount: Amount; description: string; redirectUrl: string; webhookUrl?: string; metadata?: Record<string, string> }) {
    return this.request<Payment>('/payments', { method: 'POST', body: JSON.stringify(input) });
  }

  getPayment(id: string) {
    return this.request<Payment>(`/payments/${encodeURIComponent(id)}`);
  }

  /** Iterates payments newest first, optionally starting at a given payment id (`from`). */
  async *listPayments(options: { from?: string; limit?: number } = {}): AsyncGenerator<Payment> {
    const params = new URLSearchParams({ limit: String(options.limit ?? 250) });
    if (options.from) params.set('from', options.from);
    let next: string | null = `/payments?${params}`;
    while (next) {
      const page: ListPage<Payment> = await this.request<ListPage<Payment>>(next);
      yield* page._embedded.payments ?? [];
      next = page._links.next?.href ?? null;
    }
  }

  refund(paymentId: string, amount: Amount, description?: string) {
    return this.request<{ id: string; status: string }>(`/payments/${encodeURIComponent(paymentId)}/refunds`, {
      method: 'POST',
      body: JSON.stringify({ amount, description }),
    });
  }
}

export function toAmount(cents: number, currency = 'EUR'): Amount {
  return { currency, value: (cents / 100).toFixed(2) };
}
