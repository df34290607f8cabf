// Shared HTTP helpers for our services (a library: nothing here runs on its own).
export interface RetryOptions {
  retries?: number;
  baseDelayMs?: number;
  retryOn?: (status: number) => boolean;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** fetch with exponential back-off on 429/5xx. */
export async function fetchWithRetry(url: string, init: RequestInit = {}, options: RetryOptions = {}): Promise<Response> {
  const { retries = 3, baseDelayMs = 250, retryOn = (status) => status === 429 || status >= 500 } = options;
  for (let attempt = 0; ; attempt++) {
    const response = await fetch(url, init);
    if (!retryOn(response.status) || attempt >= retries) return response;
    const retryAfter = Number(response.headers.get('retry-after'));
    await sleep(Number.isFinite(retryAfter) && retryAfter > 0 ? retryAfter * 1000 : baseDelayMs * 2 ** attempt);
  }
}

export async function getJson<T>(url: string, token?: string): Promise<T> {
  const response = await fetchWithRetry(url, { headers: token ? { Authorization: `Bearer ${token}` } : {} });
  if (!response.ok) throw new Error(`GET ${url} failed with ${response.status}`);
  return (await response.json()) as T;
}

export function buildQuery(params: Record<string, string | number | undefined>): string {
  const search = new URLSearchParams();
  for (const [key, value] of Object.entries(params)) {
    if (value !== undefined) search.set(key, String(value));
  }
  const query = search.toString();
  return query ? `?${query}` : '';
}
