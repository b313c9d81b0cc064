/** The SDK's standard retry mode: full jitter below min(cap, base · 2^(retry − 1)). */
const BASE_MS = 100;
const CAP_MS = 20_000;

/** Milliseconds to wait before retry number `retry` (1 = the first retry); `random` is uniform in [0, 1). */
export function standardBackoffMs(retry: number, random: () => number = Math.random): number {
  return random() * Math.min(CAP_MS, BASE_MS * 2 ** (retry - 1));
}
