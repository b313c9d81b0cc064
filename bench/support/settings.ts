/** The bench's knobs, from the environment; the defaults keep `npm run bench` to about two minutes. */
export type BenchSettings = {
  /** Seconds of each measured load run (ingress, baseline, sandbox alone). */
  durationSeconds: number;
  /** Seconds of the unmeasured run before each. */
  warmupSeconds: number;
  /** Connections for the ingress and baseline runs. */
  connections: number;
  e2eWebhooks: number;
  e2eConcurrency: number;
  workerDeliveries: number;
  /** Fresh processes per function (and for the empty one) when timing start-up; the median is reported. */
  initRuns: number;
  /** Webhooks through the Lambda-shaped run (cost per webhook, CPU per invocation). */
  lambdaWebhooks: number;
};

const KNOBS: Record<keyof BenchSettings, [variable: string, fallback: number, min: number]> = {
  durationSeconds: ['BENCH_DURATION_SECONDS', 8, 1],
  warmupSeconds: ['BENCH_WARMUP_SECONDS', 2, 0],
  connections: ['BENCH_CONNECTIONS', 16, 1],
  e2eWebhooks: ['BENCH_E2E_WEBHOOKS', 2000, 10],
  e2eConcurrency: ['BENCH_E2E_CONCURRENCY', 32, 1],
  workerDeliveries: ['BENCH_WORKER_DELIVERIES', 2000, 10],
  initRuns: ['BENCH_INIT_RUNS', 7, 1],
  lambdaWebhooks: ['BENCH_LAMBDA_WEBHOOKS', 600, 10],
};

export function readBenchSettings(env: NodeJS.ProcessEnv = process.env): BenchSettings {
  const settings = {} as BenchSettings;
  for (const [key, [variable, fallback, min]] of Object.entries(KNOBS) as [
    keyof BenchSettings,
    (typeof KNOBS)[keyof BenchSettings],
  ][]) {
    const text = env[variable];
    const value = text === undefined || text === '' ? fallback : Number(text);
    if (!Number.isInteger(value) || value < min)
      throw new Error(`${variable} must be a whole number ≥ ${min}`);
    settings[key] = value;
  }
  return settings;
}

export const MEASUREMENTS = ['ingress', 'e2e', 'worker', 'secrets', 'lambda', 'bundles'] as const;
export type MeasurementName = (typeof MEASUREMENTS)[number];

/** `npm run bench -- ingress bundles` runs only those; no names runs all. */
export function selectMeasurements(args: readonly string[]): MeasurementName[] {
  if (args.length === 0) return [...MEASUREMENTS];
  const unknown = args.filter((name) => !(MEASUREMENTS as readonly string[]).includes(name));
  if (unknown.length > 0)
    throw new Error(`unknown measurement ${unknown.join(', ')}; pick from ${MEASUREMENTS.join(', ')}`);
  return MEASUREMENTS.filter((name) => args.includes(name));
}
