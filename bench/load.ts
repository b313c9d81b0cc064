import { readFileSync } from 'node:fs';
import autocannon from 'autocannon';
import type { PreparedRequest } from './signed-requests';

/**
 * The load generator, run as its own process (the same way for the relay and the baseline) so it does
 * not share an event loop with the server it measures. Reads its job from argv, prints JSON.
 */
type Job = { url: string; requestsFile: string; connections: number; durationSeconds: number };

const job = JSON.parse(process.argv[2] ?? '{}') as Job;
const pool = JSON.parse(readFileSync(job.requestsFile, 'utf8')) as PreparedRequest[];
let next = 0;

const result = await autocannon({
  url: job.url,
  connections: job.connections,
  duration: job.durationSeconds,
  requests: [
    {
      method: 'POST',
      setupRequest: (request) => {
        const prepared = pool[next++ % pool.length] as PreparedRequest;
        return { ...request, path: prepared.path, headers: prepared.headers, body: prepared.body };
      },
    },
  ],
});
process.stdout.write(
  JSON.stringify({
    rps: result.requests.average,
    total: result.requests.total,
    non2xx: result.non2xx,
    errors: result.errors,
    latencyP50: result.latency.p50,
    latencyP99: result.latency.p99,
    used: next,
    pool: pool.length,
  }),
);
