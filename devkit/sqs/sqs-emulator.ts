import {
  CreateQueueCommand,
  GetQueueAttributesCommand,
  SQSClient,
  type SQSClientConfig,
} from '@aws-sdk/client-sqs';
import { buildApp } from 'fauxqs';
import {
  type AwsJsonClient,
  type AwsJsonClientOptions,
  createAwsJsonClient,
} from '../../shared/aws/aws-json-client';

/** fauxqs names queues in this region unless a client signs for another; we keep everything in one. */
export const EMULATOR_REGION = 'us-east-1';

export type SqsEmulatorOptions = {
  /** Receives before the redrive policy moves a message to the DLQ (the config's `retry.maxReceives`). */
  maxReceives: number;
  /** The main queue's default visibility timeout. @default 30 */
  visibilityTimeoutSeconds?: number;
  /** @default 'webhook-relay-queue' */
  queueName?: string;
  /** @default 'webhook-relay-dlq' */
  deadLetterQueueName?: string;
  /** @default 0 (any free port) */
  port?: number;
};

export type SqsEmulator = {
  /** `http://127.0.0.1:<port>` */
  endpoint: string;
  queueUrl: string;
  dlqUrl: string;
  /** An SDK client for this emulator (endpoint, region, dummy credentials): tooling, pollers, assertions. */
  client: SQSClient;
  /** The light client the relay's SQS adapters take, for this emulator. */
  jsonClient: AwsJsonClient;
  /** Another client, e.g. for a second host in the same process. */
  createClient(config?: SQSClientConfig): SQSClient;
  /** Stops listening; messages are lost (local mode saves them first, see queue-state.ts). */
  close(): Promise<void>;
};

/** The main queue's retention, as in the stateful stack (4 days). */
const RETENTION_SECONDS = 4 * 24 * 60 * 60;
/** The DLQ keeps messages as long as SQS allows (14 days), like the stateful stack. */
const DEAD_LETTER_RETENTION_SECONDS = 14 * 24 * 60 * 60;
/** The design's body limit (docs/architecture.md §6); the DLQ keeps the 1 MiB default so reason attributes still fit. */
const MAX_MESSAGE_BYTES = 256 * 1024;

/** An SQS client for a local emulator: its endpoint for every call, whatever host the queue URL names. */
export function createEmulatorClient(endpoint: string, config: SQSClientConfig = {}): SQSClient {
  return new SQSClient({
    endpoint,
    region: EMULATOR_REGION,
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
    useQueueUrlAsEndpoint: false,
    maxAttempts: 2,
    ...config,
  });
}

/** The relay adapters' SQS client for a local emulator (what `createEmulatorClient` is for the SDK). */
export function createEmulatorJsonClient(
  endpoint: string,
  options: Partial<Omit<AwsJsonClientOptions, 'service'>> = {},
): AwsJsonClient {
  return createAwsJsonClient({
    service: 'sqs',
    endpoint,
    region: EMULATOR_REGION,
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
    maxAttempts: 2,
    ...options,
  });
}

/**
 * Starts fauxqs in this process on 127.0.0.1 and creates the delivery queue and its DLQ with the same
 * redrive policy, retention and size limit as the AWS stack.
 */
export async function startSqsEmulator(options: SqsEmulatorOptions): Promise<SqsEmulator> {
  if (!Number.isInteger(options.maxReceives) || options.maxReceives < 1) {
    throw new RangeError('maxReceives must be a whole number ≥ 1');
  }
  const app = buildApp({ logger: false });
  const address = await app.listen({ port: options.port ?? 0, host: '127.0.0.1' });
  const endpoint = new URL(address).origin;
  const client = createEmulatorClient(endpoint);
  try {
    const dead = await client.send(
      new CreateQueueCommand({
        QueueName: options.deadLetterQueueName ?? 'webhook-relay-dlq',
        Attributes: { MessageRetentionPeriod: String(DEAD_LETTER_RETENTION_SECONDS) },
      }),
    );
    const dlqUrl = requiredUrl(dead.QueueUrl);
    const { Attributes } = await client.send(
      new GetQueueAttributesCommand({ QueueUrl: dlqUrl, AttributeNames: ['QueueArn'] }),
    );
    const main = await client.send(
      new CreateQueueCommand({
        QueueName: options.queueName ?? 'webhook-relay-queue',
        Attributes: {
          VisibilityTimeout: String(options.visibilityTimeoutSeconds ?? 30),
          MessageRetentionPeriod: String(RETENTION_SECONDS),
          MaximumMessageSize: String(MAX_MESSAGE_BYTES),
          RedrivePolicy: JSON.stringify({
            deadLetterTargetArn: Attributes?.QueueArn,
            maxReceiveCount: options.maxReceives,
          }),
        },
      }),
    );
    return {
      endpoint,
      queueUrl: requiredUrl(main.QueueUrl),
      dlqUrl,
      client,
      jsonClient: createEmulatorJsonClient(endpoint),
      createClient: (config) => createEmulatorClient(endpoint, config),
      close: async () => {
        client.destroy();
        await app.close();
      },
    };
  } catch (error) {
    client.destroy();
    await app.close();
    throw error;
  }
}

function requiredUrl(url: string | undefined): string {
  if (!url) throw new Error('the SQS emulator returned no queue URL');
  return url;
}
