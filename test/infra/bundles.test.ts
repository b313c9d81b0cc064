import { execFile, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { ReceiveMessageCommand } from '@aws-sdk/client-sqs';
import { Token } from 'aws-cdk-lib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { staticRuntimeImports } from '../../devkit/bundle-imports';
import { startSecretsManagerStub } from '../../devkit/secrets-manager-stub';
import { EMULATOR_REGION, type SqsEmulator, startSqsEmulator } from '../../devkit/sqs/sqs-emulator';
import { REPO_ROOT } from '../../infra/paths';
import { sqsEvent, sqsRecord } from '../support/sqs-events';
import { FIXTURE_CONFIG, synthRelay } from './support/relay-app';

/**
 * Runs the real bundles CDK produced (esbuild, ESM, the config copied in) in a fresh `node` process, the
 * way Lambda loads them: cwd = the bundle, `index.handler`, the function's own environment. The bundles
 * leave the AWS SDK to the runtime; Lambda resolves `@aws-sdk/*` to its own copy, these runs to the
 * project's node_modules (linked into the directory above the bundles).
 */

type BundledFunction = { dir: string; environment: Record<string, string> };

let outdir: string;
const bundles: Record<'ingress' | 'worker', BundledFunction> = {
  ingress: { dir: '', environment: {} },
  worker: { dir: '', environment: {} },
};

/** Stand-ins for values that only exist after deployment (imports from the stateful stack). */
const DEPLOY_TIME_VALUES: Record<string, string> = {
  QUEUE_URL: 'https://sqs.eu-west-1.amazonaws.com/123456789012/relay-test-queue',
  DLQ_URL: 'https://sqs.eu-west-1.amazonaws.com/123456789012/relay-test-dlq',
  IDEMPOTENCY_TABLE_NAME: 'relay-test-idempotency',
};

beforeAll(() => {
  outdir = mkdtempSync(join(tmpdir(), 'relay-cdk-bundles-'));
  const relay = synthRelay({ bundle: true, outdir, context: { 'aws:cdk:enable-asset-metadata': true } });
  const functions = relay.apiTemplate.findResources('AWS::Lambda::Function') as Record<
    string,
    { Metadata: Record<string, string>; Properties: { Environment: { Variables: Record<string, unknown> } } }
  >;
  for (const fn of Object.values(functions)) {
    const variables = fn.Properties.Environment.Variables;
    const environment = Object.fromEntries(
      Object.entries(variables).map(([name, value]) => [
        name,
        typeof value === 'string' && !Token.isUnresolved(value) ? value : (DEPLOY_TIME_VALUES[name] ?? ''),
      ]),
    );
    const name = String(variables.POWERTOOLS_SERVICE_NAME).endsWith('-worker') ? 'worker' : 'ingress';
    bundles[name] = { dir: join(outdir, String(fn.Metadata['aws:asset:path'])), environment };
  }
  symlinkSync(join(REPO_ROOT, 'node_modules'), join(outdir, 'node_modules'), 'dir');
}, 240_000);

afterAll(() => {
  if (outdir) rmSync(outdir, { recursive: true, force: true });
});

const INVOKE_SCRIPT = `
    import { writeFileSync } from 'node:fs';
    import { pathToFileURL } from 'node:url';
    const { handler } = await import(pathToFileURL('index.mjs').href);
    const context = {
      functionName: 'relay-test', functionVersion: '$LATEST', memoryLimitInMB: '512', awsRequestId: 'test-request-1',
      invokedFunctionArn: 'arn:aws:lambda:eu-west-1:123456789012:function:relay-test',
      logGroupName: '/aws/lambda/relay-test', logStreamName: 'test', callbackWaitsForEmptyEventLoop: true,
      getRemainingTimeInMillis: () => 10000,
    };
    const result = await handler(JSON.parse(process.env.TEST_EVENT), context);
    writeFileSync(process.env.TEST_RESULT_FILE, JSON.stringify(result));
    process.exit(0);
  `;

function invokeEnvironment(fn: BundledFunction, event: unknown, resultFile: string, extra = {}) {
  return {
    PATH: process.env.PATH,
    AWS_REGION: 'eu-west-1',
    AWS_ACCESS_KEY_ID: 'test',
    AWS_SECRET_ACCESS_KEY: 'test',
    ...fn.environment,
    ...extra,
    TEST_EVENT: JSON.stringify(event),
    TEST_RESULT_FILE: resultFile,
  };
}

const resultFileName = () => join(outdir, `result-${Date.now()}-${Math.random().toString(36).slice(2)}.json`);

/** Every line the bundles printed in the invocations so far (both streams). */
const printedLines: string[] = [];

/** Imports the bundle in a new process and calls `handler(event, context)`; returns what it resolved to. */
function invoke(fn: BundledFunction, event: unknown): unknown {
  const resultFile = resultFileName();
  const run = spawnSync(process.execPath, ['--input-type=module', '-e', INVOKE_SCRIPT], {
    cwd: fn.dir,
    encoding: 'utf8',
    timeout: 30_000,
    env: invokeEnvironment(fn, event, resultFile),
  });
  if (run.status !== 0 || !existsSync(resultFile)) {
    throw new Error(`the bundle failed (exit ${run.status}):\n${run.stderr}\n${run.stdout}`);
  }
  printedLines.push(...`${run.stdout}\n${run.stderr}`.split('\n').filter((line) => line.trim() !== ''));
  return JSON.parse(readFileSync(resultFile, 'utf8'));
}

/** Like invoke(), without blocking this process (which may be serving the bundle, e.g. an SQS emulator). */
async function invokeAsync(fn: BundledFunction, event: unknown, env: Record<string, string>) {
  const resultFile = resultFileName();
  await promisify(execFile)(process.execPath, ['--input-type=module', '-e', INVOKE_SCRIPT], {
    cwd: fn.dir,
    timeout: 30_000,
    env: invokeEnvironment(fn, event, resultFile, env),
  });
  return JSON.parse(readFileSync(resultFile, 'utf8')) as unknown;
}

function httpApiEvent(partyId: string, body: string) {
  return {
    version: '2.0',
    routeKey: 'POST /webhooks/{partyId}',
    rawPath: `/webhooks/${partyId}`,
    rawQueryString: '',
    headers: { 'content-type': 'application/json', 'content-length': String(body.length) },
    requestContext: {
      accountId: '123456789012',
      apiId: 'api',
      domainName: 'api.execute-api.eu-west-1.amazonaws.com',
      domainPrefix: 'api',
      http: {
        method: 'POST',
        path: `/webhooks/${partyId}`,
        protocol: 'HTTP/1.1',
        sourceIp: '203.0.113.7',
        userAgent: 'test',
      },
      requestId: 'request-1',
      routeKey: 'POST /webhooks/{partyId}',
      stage: '$default',
      time: '01/Jan/2026:00:00:00 +0000',
      timeEpoch: 1767225600000,
    },
    pathParameters: { partyId },
    body,
    isBase64Encoded: false,
  };
}

describe('function bundles from a real synth', () => {
  it.each(['ingress', 'worker'] as const)(
    '%s: ESM bundle with source map and the party config inside',
    (name) => {
      const { dir, environment } = bundles[name];
      expect(existsSync(join(dir, 'index.mjs'))).toBe(true);
      expect(existsSync(join(dir, 'index.mjs.map'))).toBe(true);
      expect(environment.RELAY_CONFIG).toBe('relay.config.json');
      expect(readFileSync(join(dir, 'relay.config.json'), 'utf8')).toBe(readFileSync(FIXTURE_CONFIG, 'utf8'));
      const code = readFileSync(join(dir, 'index.mjs'), 'utf8');
      // The functions call AWS through the light client (shared/aws): no SDK import, none of it (nor
      // @smithy) bundled.
      expect(staticRuntimeImports(code)).toEqual([]);
      const map = JSON.parse(readFileSync(join(dir, 'index.mjs.map'), 'utf8')) as { sources: string[] };
      expect(map.sources.filter((source) => /node_modules\/@(aws-sdk|smithy)\//.test(source))).toEqual([]);
      // zod/mini only (shared/zod.ts): one stray classic `zod` import would bundle both.
      expect(map.sources.filter((source) => /node_modules\/zod\/v4\/classic\//.test(source))).toEqual([]);
      // Only the function's own entry, shared/ and npm packages: no developer tooling (devkit/), no bench
      // or test code and no local host, whatever an import chain might pull in (docs/architecture.md §2).
      const ours = map.sources.filter((source) => !source.includes('node_modules/'));
      expect(ours.some((source) => /(^|\/)shared\//.test(source))).toBe(true);
      expect(ours.filter((source) => /(^|\/)(devkit|bench|test)\//.test(source))).toEqual([]);
      expect(ours.filter((source) => /(^|\/)functions\/(?!ingress\/|worker\/)/.test(source))).toEqual([]);
      expect(statSync(join(dir, 'index.mjs')).size).toBeGreaterThan(0);
    },
  );

  it('neither function loads the SDK’s SQS or Secrets Manager client, at cold start or later', () => {
    for (const name of ['ingress', 'worker'] as const) {
      const code = readFileSync(join(bundles[name].dir, 'index.mjs'), 'utf8');
      expect(code).not.toMatch(/["']@aws-sdk\/client-(sqs|secrets-manager)["']/);
    }
  });

  it('ingress answers an unknown party with 404 and the Workspace 365 error body', () => {
    const response = invoke(bundles.ingress, httpApiEvent('nobody-here', '{"id":"evt-1"}')) as {
      statusCode: number;
      body: string;
    };
    expect(response.statusCode).toBe(404);
    expect(JSON.parse(response.body)).toMatchObject({
      globalError: { code: 'party_unknown', message: expect.any(String) },
    });
  });

  it('worker answers an empty batch with no item failures', () => {
    expect(invoke(bundles.worker, { Records: [] })).toEqual({ batchItemFailures: [] });
  });

  it('print only JSON lines (no plain-text warning for an invocation that buffered no metric)', () => {
    invoke(bundles.ingress, httpApiEvent('nobody-here', '{"id":"evt-2"}'));
    invoke(bundles.worker, { Records: [] });
    expect(printedLines.length).toBeGreaterThan(0);
    for (const line of printedLines) expect(() => JSON.parse(line), line).not.toThrow();
  });

  describe('with a loopback Secrets Manager', () => {
    let secretsManager: Awaited<ReturnType<typeof startSecretsManagerStub>>;
    beforeAll(async () => {
      secretsManager = await startSecretsManagerStub({
        'webhook-relay/test/relay-test/acme-w365': {
          workspace365ApiKey: 'k',
          webhookSecrets: ['right-token'],
        },
      });
    });
    afterAll(() => secretsManager?.close());

    it("ingress reads a party's secret under its stage prefix (webhook-relay/<stage>/<secretName>)", async () => {
      const event = httpApiEvent('acme-w365', '{"id":"evt-3"}');
      // A wrong token: verified against the secret, refused before anything needs DynamoDB or SQS.
      const response = (await invokeAsync(
        bundles.ingress,
        { ...event, headers: { ...event.headers, authorization: 'Bearer wrong-token' } },
        { AWS_ENDPOINT_URL_SECRETS_MANAGER: secretsManager.endpoint },
      )) as { statusCode: number };
      expect(response.statusCode).toBe(401);
      expect(secretsManager.calls).toEqual(['webhook-relay/test/relay-test/acme-w365']);
    });
  });

  describe('with an SQS emulator', () => {
    let sqs: SqsEmulator;
    beforeAll(async () => {
      sqs = await startSqsEmulator({ maxReceives: 3 });
    });
    afterAll(() => sqs?.close());

    it('worker dead-letters a poison message through its SQS client', async () => {
      const record = sqsRecord('this is not JSON');
      // The endpoint from the environment (AWS_ENDPOINT_URL_SQS), as for any AWS client.
      const response = await invokeAsync(bundles.worker, sqsEvent([record]), {
        QUEUE_URL: sqs.queueUrl,
        DLQ_URL: sqs.dlqUrl,
        AWS_REGION: EMULATOR_REGION,
        AWS_ENDPOINT_URL_SQS: sqs.endpoint,
      });
      expect(response).toEqual({ batchItemFailures: [] });
      const { Messages = [] } = await sqs.client.send(
        new ReceiveMessageCommand({
          QueueUrl: sqs.dlqUrl,
          MaxNumberOfMessages: 10,
          MessageAttributeNames: ['All'],
          WaitTimeSeconds: 1,
        }),
      );
      expect(Messages.map((message) => message.Body)).toEqual(['this is not JSON']);
      expect(Messages[0]?.MessageAttributes?.reason?.StringValue).toBe('not_json');
      expect(Messages[0]?.MessageAttributes?.sourceMessageId?.StringValue).toBe(record.messageId);
    });
  });
});
