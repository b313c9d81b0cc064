import { createServer, request as httpRequest, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { startDynamoDbLocal } from '../../devkit/dynamodb-local';
import { startSecretsManagerStub } from '../../devkit/secrets-manager-stub';
import { startSqsEmulator } from '../../devkit/sqs/sqs-emulator';

/** Every AWS request the measured functions made, by `service.Operation`, and DynamoDB capacity units. */
export type AwsCounts = {
  requests: Record<string, number>;
  /** Write request units, from item sizes (dynalite's ConsumedCapacity; 1 per failed conditional write). */
  dynamoWru: number;
  /** Read request units (strongly consistent reads count 1 per 4 KB, eventually consistent 0.5). */
  dynamoRru: number;
};

export function emptyCounts(): AwsCounts {
  return { requests: {}, dynamoWru: 0, dynamoRru: 0 };
}

const WRITES = new Set(['PutItem', 'UpdateItem', 'DeleteItem']);
const READS = new Set(['GetItem']);

/**
 * A loopback proxy in front of one protocol server that counts what passes. It reads the operation from
 * `x-amz-target` (the JSON protocols of DynamoDB, SQS and Secrets Manager), and for DynamoDB asks for
 * ConsumedCapacity on every item call so the units come from the real item sizes.
 */
async function countingProxy(
  service: string,
  target: string,
  counts: AwsCounts,
  queueUrls: Map<string, string> = new Map(),
  port = 0,
) {
  const upstream = new URL(target);
  const server = createServer((incoming, outgoing) => {
    const chunks: Buffer[] = [];
    incoming.on('data', (chunk: Buffer) => chunks.push(chunk));
    incoming.on('end', () => {
      const operation =
        String(incoming.headers['x-amz-target'] ?? 'unknown')
          .split('.')
          .pop() ?? 'unknown';
      const key = `${service}.${operation}`;
      counts.requests[key] = (counts.requests[key] ?? 0) + 1;
      let body = Buffer.concat(chunks);
      const measured = service === 'dynamodb' && (WRITES.has(operation) || READS.has(operation));
      if (measured) {
        const parsed = JSON.parse(body.toString('utf8')) as Record<string, unknown>;
        body = Buffer.from(JSON.stringify({ ...parsed, ReturnConsumedCapacity: 'TOTAL' }));
      }
      if (queueUrls.size > 0 && body.length > 0) {
        // fauxqs knows a queue by its exact URL; the functions were given the proxy's.
        const parsed = JSON.parse(body.toString('utf8')) as { QueueUrl?: string };
        const real = parsed.QueueUrl === undefined ? undefined : queueUrls.get(parsed.QueueUrl);
        if (real) body = Buffer.from(JSON.stringify({ ...parsed, QueueUrl: real }));
      }
      const headers = { ...incoming.headers, host: upstream.host, 'content-length': String(body.length) };
      const forward = httpRequest(
        {
          host: upstream.hostname,
          port: upstream.port,
          method: incoming.method,
          path: incoming.url,
          headers,
        },
        (response) => {
          const parts: Buffer[] = [];
          response.on('data', (chunk: Buffer) => parts.push(chunk));
          response.on('end', () => {
            const answer = Buffer.concat(parts);
            if (measured) countCapacity(operation, response.statusCode ?? 0, answer, counts);
            outgoing.writeHead(response.statusCode ?? 502, response.headers).end(answer);
          });
        },
      );
      forward.on('error', (error) => outgoing.writeHead(502).end(String(error)));
      forward.end(body);
    });
  });
  return { endpoint: await listen(server, port), close: () => close(server) };
}

function countCapacity(operation: string, status: number, answer: Buffer, counts: AwsCounts): void {
  const parsed = JSON.parse(answer.toString('utf8') || '{}') as {
    ConsumedCapacity?: { CapacityUnits?: number };
    __type?: string;
  };
  // DynamoDB bills a refused conditional write (at least 1 WRU); dynalite reports no capacity for it.
  const units = parsed.ConsumedCapacity?.CapacityUnits ?? (status === 400 && WRITES.has(operation) ? 1 : 0);
  if (WRITES.has(operation)) counts.dynamoWru += units;
  else counts.dynamoRru += units;
}

export type AwsStandIns = {
  counts: AwsCounts;
  /** Endpoints the measured functions use (through the counting proxies). */
  endpoints: { sqs: string; dynamodb: string; secretsManager: string };
  /** The queues' URLs as the functions see them (through the proxy). */
  queueUrl: string;
  dlqUrl: string;
  /** fauxqs itself, not counted: what the Lambda event source mapping does (receive, delete). */
  sqsDirect: Awaited<ReturnType<typeof startSqsEmulator>>;
  tableName: string;
  close(): Promise<void>;
};

/**
 * fauxqs (SQS), dynalite (DynamoDB, the idempotency table as the stateful stack creates it) and the
 * Secrets Manager stub, each behind a counting proxy, all on 127.0.0.1.
 */
export async function startAwsStandIns(options: {
  secrets: Record<string, unknown>;
  maxReceives: number;
}): Promise<AwsStandIns> {
  const counts = emptyCounts();
  const closers: (() => Promise<void>)[] = [];
  try {
    const sqs = await startSqsEmulator({ maxReceives: options.maxReceives });
    closers.push(() => sqs.close());
    const dynamo = await startDynamoDbLocal();
    closers.push(() => dynamo.close());
    const secrets = await startSecretsManagerStub(options.secrets);
    closers.push(() => secrets.close());
    const sqsProxyPort = await freePort();
    const viaProxy = (url: string) => `http://127.0.0.1:${sqsProxyPort}${new URL(url).pathname}`;
    const queueUrls = new Map([
      [viaProxy(sqs.queueUrl), sqs.queueUrl],
      [viaProxy(sqs.dlqUrl), sqs.dlqUrl],
    ]);
    const proxies = await Promise.all([
      countingProxy('sqs', sqs.endpoint, counts, queueUrls, sqsProxyPort),
      countingProxy('dynamodb', dynamo.endpoint, counts),
      countingProxy('secretsmanager', secrets.endpoint, counts),
    ]);
    for (const proxy of proxies) closers.push(proxy.close);
    const [sqsProxy, dynamoProxy, secretsProxy] = proxies as [
      (typeof proxies)[0],
      (typeof proxies)[0],
      (typeof proxies)[0],
    ];
    return {
      counts,
      endpoints: {
        sqs: sqsProxy.endpoint,
        dynamodb: dynamoProxy.endpoint,
        secretsManager: secretsProxy.endpoint,
      },
      queueUrl: viaProxy(sqs.queueUrl),
      dlqUrl: viaProxy(sqs.dlqUrl),
      sqsDirect: sqs,
      tableName: dynamo.tableName,
      close: async () => {
        for (const closer of closers.reverse()) await closer().catch(() => {});
      },
    };
  } catch (error) {
    for (const closer of closers.reverse()) await closer().catch(() => {});
    throw error;
  }
}

async function listen(server: Server, port = 0): Promise<string> {
  await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

function close(server: Server): Promise<void> {
  return new Promise((resolve) => {
    server.close(() => resolve());
    server.closeAllConnections?.();
  });
}

async function freePort(): Promise<number> {
  const probe = createServer();
  await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
  const { port } = probe.address() as AddressInfo;
  await close(probe);
  return port;
}
