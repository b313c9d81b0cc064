import { mkdtempSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { COMMANDS } from '../../../functions/cli/commands';
import { createRouter } from '../../../functions/cli/router';

afterEach(() => {
  vi.unstubAllEnvs();
});

/** A loopback port that was free a moment ago: nothing answers there. */
async function deadPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}

async function relay(env: Record<string, string>, ...argv: string[]) {
  const out: string[] = [];
  const err: string[] = [];
  const code = await createRouter('relay', COMMANDS).run(argv, {
    out: (line) => out.push(line),
    err: (line) => err.push(line),
    env: { RELAY_SECRETS: 'secrets.local.example.json', RELAY_CONFIG: 'relay.config.example.json', ...env },
    cwd: process.cwd(),
  });
  return { code, out: out.join('\n'), err: err.join('\n') };
}

describe('the CLI when the relay it should reach is not there', () => {
  it('send-sample says the local relay is not running and how to start it', async () => {
    const port = await deadPort();
    const result = await relay({}, 'send-sample', 'w365-demo', '--url', `http://127.0.0.1:${port}`);
    expect(result.code).toBe(1);
    expect(result.err).toContain(
      `the local relay is not running (nothing answers at http://127.0.0.1:${port}); start it with npm start`,
    );
    expect(result.err).not.toContain('fetch failed');
  });

  it('send-sample to an address fetch refuses says why, not just "fetch failed"', async () => {
    const result = await relay({}, 'send-sample', 'w365-demo', '--url', 'http://127.0.0.1:1');
    expect(result.code).toBe(1);
    expect(result.err).toContain('cannot reach the relay at http://127.0.0.1:1: bad port');
  });

  it('dlq list --local says the local relay is not running, not ECONNREFUSED', async () => {
    const port = await deadPort();
    const dir = mkdtempSync(join(tmpdir(), 'relay-cli-dead-'));
    const stateFile = join(dir, 'local.json');
    const endpoint = `http://127.0.0.1:${port}`;
    writeFileSync(
      stateFile,
      JSON.stringify({ sqsEndpoint: endpoint, queueUrl: `${endpoint}/q/main`, dlqUrl: `${endpoint}/q/dlq` }),
    );
    const result = await relay({}, 'dlq', 'list', '--local', '--state-file', stateFile);
    expect(result.code).toBe(1);
    expect(result.err).toContain('the local relay is not running');
    expect(result.err).toContain('start it with npm start');
  });

  it('an AWS queue it cannot reach: names the queue and the region it tried', async () => {
    const port = await deadPort();
    vi.stubEnv('AWS_ACCESS_KEY_ID', 'AKIAEXAMPLE');
    vi.stubEnv('AWS_SECRET_ACCESS_KEY', 'example');
    vi.stubEnv('AWS_MAX_ATTEMPTS', '1');
    // SQS calls the queue URL's host: a dead loopback port stands in for an unreachable endpoint.
    const dlqUrl = `http://127.0.0.1:${port}/123456789012/relay-prod-dlq`;
    const result = await relay({}, 'dlq', 'list', '--dlq-url', dlqUrl, '--region', 'eu-west-1');
    expect(result.code).toBe(1);
    expect(result.err).toContain(`tried the dead-letter queue ${dlqUrl}`);
    expect(result.err).toContain('region eu-west-1');
    expect(result.err).toContain('ECONNREFUSED');
  });
});
