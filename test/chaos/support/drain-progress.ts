/**
 * The main queue's depth while the suite drains, sampled as waitForDrain reports it (every 10 s). Kept
 * for the final tally instead of printed as it comes: under `npm test` each console line is echoed with
 * the full test name, which made CI output long for nothing.
 */
export function createDrainProgress(startedAt: number, now: () => number = Date.now) {
  const samples: { seconds: number; pending: number }[] = [];
  return {
    record(pending: number): void {
      samples.push({ seconds: Math.round((now() - startedAt) / 1000), pending });
    },
    /** One line for the tally: `812 @0 s → 301 @10 s → 0 @20 s`, or that there was nothing to wait for. */
    summary(): string {
      if (samples.length === 0) return 'nothing left to drain';
      return samples.map((sample) => `${sample.pending} @${sample.seconds} s`).join(' → ');
    },
  };
}
