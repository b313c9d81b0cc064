import { readFileSync } from 'node:fs';
import autocannon from 'autocannon';
import type { QueueMessage } from '../../shared/envelope/queue-message';
import { createWorkspace365RequestFactory } from '../support/deliveries';
import { benchParties, demoConfig, demoSecrets } from '../support/demo';
import type { LoadJob, LoadResult } from '../support/load';
import { createWebhookFactory, type PreparedRequest } from '../support/webhooks';
import { nextMessage, reply, runHost } from './ipc';

/**
 * The load generator (autocannon), in a process of its own so it never shares an event loop with the
 * server it measures. Every request is unique and built before the clock starts; should a run outlast the
 * pool, further requests are built on the fly and counted (`builtDuringRun`).
 */
runHost(async () => {
  const job = await nextMessage<LoadJob>();
  const build = requestFactory(job);
  const pool = Array.from({ length: job.poolSize }, build);
  let used = 0;
  let builtDuringRun = 0;
  const next = (): PreparedRequest => {
    const pooled = pool[used];
    if (pooled) {
      used++;
      return pooled;
    }
    builtDuringRun++;
    return build();
  };
  const options = {
    url: job.url,
    connections: job.connections,
    requests: [
      {
        method: 'POST' as const,
        setupRequest: (request: autocannon.Request) => ({ ...request, ...next() }),
      },
    ],
  };
  if (job.warmupSeconds > 0) await autocannon({ ...options, duration: job.warmupSeconds });
  const measuredFrom = used + builtDuringRun;
  const result = await autocannon({ ...options, duration: job.durationSeconds });
  const sent = used + builtDuringRun - measuredFrom;
  const loadResult: LoadResult = {
    rps: result['2xx'] / result.duration,
    ok: result['2xx'],
    non2xx: result.non2xx,
    errors: result.errors,
    timeouts: result.timeouts,
    seconds: result.duration,
    latencyP50Ms: result.latency.p50,
    latencyP99Ms: result.latency.p99,
    sent,
    pooled: job.poolSize,
    builtDuringRun,
  };
  reply(loadResult);
});

function requestFactory(job: LoadJob): () => PreparedRequest {
  const config = demoConfig();
  const secrets = demoSecrets();
  if (job.requests === 'webhooks') return createWebhookFactory(benchParties(config), secrets);
  const templates = JSON.parse(readFileSync(job.requests.messagesFile, 'utf8')) as QueueMessage[];
  return createWorkspace365RequestFactory(templates, config, secrets);
}
