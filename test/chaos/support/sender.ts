/** What one webhook got back in the end, after the sender's own retries of transient refusals. */
export type SendResult = {
  status: number;
  body: Record<string, unknown>;
  /** POSTs it took: more than 1 when the relay asked the sender to come back (409/503) or the socket failed. */
  attempts: number;
};

/** Statuses a sender retries with the same event id: work in progress elsewhere, or the relay busy. */
const TRANSIENT = new Set([409, 503]);
const MAX_ATTEMPTS = 20;
const MAX_WAIT_MS = 1000;

/**
 * Posts like a well-behaved webhook sender: on 409/503 or a failed connection it waits (Retry-After,
 * capped at 1 s for the test) and tries again, signing again each time (`headers()` is called per attempt).
 */
export async function sendWebhook(
  url: string,
  rawBody: Uint8Array,
  headers: () => Record<string, string>,
): Promise<SendResult> {
  for (let attempt = 1; ; attempt += 1) {
    let status: number;
    let body: Record<string, unknown>;
    let retryAfterMs = 200;
    try {
      const response = await fetch(url, { method: 'POST', headers: headers(), body: rawBody });
      status = response.status;
      body = (await response.json()) as Record<string, unknown>;
      const retryAfter = Number(response.headers.get('retry-after'));
      if (Number.isFinite(retryAfter) && retryAfter > 0) retryAfterMs = retryAfter * 1000;
    } catch (error) {
      if (attempt >= MAX_ATTEMPTS) throw error;
      await sleep(retryAfterMs);
      continue;
    }
    if (!TRANSIENT.has(status) || attempt >= MAX_ATTEMPTS) return { status, body, attempts: attempt };
    await sleep(Math.min(retryAfterMs, MAX_WAIT_MS));
  }
}

/** Runs `work` over `items` with at most `limit` in flight; results in input order. */
export async function mapWithConcurrency<T, R>(
  items: readonly T[],
  limit: number,
  work: (item: T, position: number) => Promise<R>,
): Promise<R[]> {
  const results = new Array<R>(items.length);
  let next = 0;
  const lane = async () => {
    while (next < items.length) {
      const position = next;
      next += 1;
      results[position] = await work(items[position] as T, position);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, lane));
  return results;
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
