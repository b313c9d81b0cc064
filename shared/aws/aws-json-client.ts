import { AwsRequestError, AwsServiceError, toServiceError } from './aws-errors';
import { signRequest } from './sigv4';
import { standardBackoffMs } from './standard-backoff';
import { fetchTransport, nodeHttpTransport } from './transport';

export { AwsRequestError, AwsServiceError } from './aws-errors';

export type AwsJsonService = 'dynamodb' | 'sqs' | 'secretsmanager';

export type AwsJsonClientOptions = {
  service: AwsJsonService;
  /** @default process.env.AWS_REGION ?? AWS_DEFAULT_REGION ?? 'us-east-1' */
  region?: string;
  /** @default AWS_ENDPOINT_URL_<SQS|DYNAMODB|SECRETS_MANAGER> ?? AWS_ENDPOINT_URL ?? https://<svc>.<region>.amazonaws.com */
  endpoint?: string;
  /** @default from AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY / AWS_SESSION_TOKEN, read per call */
  credentials?: { accessKeyId: string; secretAccessKey: string; sessionToken?: string };
  /** @default 3 (the SDK's standard retry mode) */
  maxAttempts?: number;
  /** per attempt @default 10000 */
  timeoutMs?: number;
  /** Sends through this `fetch` instead. @default node:http(s) with keep-alive (a fifth of fetch's CPU per call) */
  fetch?: typeof fetch;
};

export interface AwsJsonClient {
  /** One operation, e.g. call('PutItem', {...}); resolves with the parsed JSON body ({} if empty). */
  call<TOutput = Record<string, unknown>>(operation: string, input: object): Promise<TOutput>;
}

/** What differs between the three services on the wire (their Smithy models' protocol traits). */
const PROTOCOLS: Record<
  AwsJsonService,
  {
    title: string;
    targetPrefix: string;
    contentType: string;
    endpointEnv: string;
    extraHeaders?: Record<string, string>;
  }
> = {
  dynamodb: {
    title: 'DynamoDB',
    targetPrefix: 'DynamoDB_20120810',
    contentType: 'application/x-amz-json-1.0',
    endpointEnv: 'AWS_ENDPOINT_URL_DYNAMODB',
  },
  sqs: {
    title: 'SQS',
    targetPrefix: 'AmazonSQS',
    contentType: 'application/x-amz-json-1.0',
    endpointEnv: 'AWS_ENDPOINT_URL_SQS',
    // SQS is "query compatible": with this header it also names the legacy error code (x-amzn-query-error).
    extraHeaders: { 'x-amzn-query-mode': 'true' },
  },
  secretsmanager: {
    title: 'Secrets Manager',
    targetPrefix: 'secretsmanager',
    contentType: 'application/x-amz-json-1.1',
    endpointEnv: 'AWS_ENDPOINT_URL_SECRETS_MANAGER',
  },
};

/**
 * A client for the AWS JSON protocols (docs/cost.md, "Start fast"): the request is the operation's input
 * as JSON, signed with SigV4 (node:crypto), sent over node:http(s) with keep-alive; an answer is the output
 * as JSON or an error typed as `AwsServiceError`. Retries like the SDK's standard mode (network errors,
 * timeouts, 5xx, 429 and throttling codes; never another 4xx). Loads in a few milliseconds where the
 * SDK's clients take ~100, and costs a fifth of the SDK's CPU per call. Credentials come from the
 * environment, as Lambda provides them; there is no profile, SSO or IMDS chain.
 */
export function createAwsJsonClient(options: AwsJsonClientOptions): AwsJsonClient {
  const protocol = PROTOCOLS[options.service];
  const env = process.env;
  const region = options.region ?? env.AWS_REGION ?? env.AWS_DEFAULT_REGION ?? 'us-east-1';
  const endpoint = new URL(
    options.endpoint ??
      env[protocol.endpointEnv] ??
      env.AWS_ENDPOINT_URL ??
      `https://${options.service}.${region}.amazonaws.com`,
  );
  // JSON-protocol calls always go to `/`: an endpoint's path (none in practice) is not part of them.
  endpoint.pathname = '/';
  const maxAttempts = Math.max(1, Math.floor(options.maxAttempts ?? 3));
  const timeoutMs = options.timeoutMs ?? 10_000;
  const transport = options.fetch ? fetchTransport(options.fetch) : nodeHttpTransport(endpoint.protocol);
  // The derived signing key of the day: four HMACs saved on every call after the first.
  const signingKeys = new Map<string, Buffer>();

  return {
    async call<TOutput>(operation: string, input: object): Promise<TOutput> {
      const call = `${protocol.title} ${operation}`;
      const credentials = options.credentials ?? credentialsFromEnvironment(call);
      const body = JSON.stringify(input);
      const headers = {
        'content-type': protocol.contentType,
        'x-amz-target': `${protocol.targetPrefix}.${operation}`,
        ...protocol.extraHeaders,
      };
      for (let attemptNumber = 1; ; attemptNumber++) {
        let failure: AwsServiceError | AwsRequestError;
        try {
          // Signed per attempt: the signature carries the time.
          const signed = signRequest(
            { host: endpoint.host, headers, body, service: options.service, region, credentials },
            signingKeys,
          );
          const answer = await transport(endpoint, { headers: signed, body, timeoutMs });
          if (answer.status >= 200 && answer.status < 300) return parseOutput<TOutput>(call, answer.text);
          failure = toServiceError(call, answer.status, answer.header, answer.text);
          if (!failure.retryable) throw failure;
        } catch (error) {
          if (error instanceof AwsServiceError || error instanceof AwsRequestError) throw error;
          failure = noAnswer(call, error, attemptNumber, timeoutMs);
        }
        if (attemptNumber >= maxAttempts) throw failure;
        await sleep(standardBackoffMs(attemptNumber));
      }
    },
  };
}

function parseOutput<TOutput>(call: string, text: string): TOutput {
  if (text === '') return {} as TOutput;
  try {
    return JSON.parse(text) as TOutput;
  } catch (error) {
    // No cause: JSON.parse's message quotes the text, which may hold secret values.
    throw new AwsRequestError(`${call}: the answer is not JSON (${text.length} characters)`, {
      cause: new Error((error as Error).name),
    });
  }
}

function noAnswer(call: string, error: unknown, attempts: number, timeoutMs: number): AwsRequestError {
  const reason =
    (error as Error)?.name === 'TimeoutError'
      ? `no answer within ${timeoutMs} ms`
      : `no answer (${networkReason(error)})`;
  return new AwsRequestError(`${call}: ${reason} after ${attempts} attempt(s)`, { cause: error });
}

/** node:http's errors carry a `code` (ECONNREFUSED, ECONNRESET…); fetch's `TypeError` keeps it in `cause`. */
function networkReason(error: unknown): string {
  const direct = error as NodeJS.ErrnoException | undefined;
  const cause = direct?.cause as NodeJS.ErrnoException | undefined;
  return direct?.code ?? cause?.code ?? cause?.name ?? direct?.name ?? 'unknown';
}

function credentialsFromEnvironment(call: string) {
  const { AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY, AWS_SESSION_TOKEN } = process.env;
  if (!AWS_ACCESS_KEY_ID || !AWS_SECRET_ACCESS_KEY) {
    throw new AwsRequestError(
      `${call}: no AWS credentials (AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY are not set; Lambda sets them)`,
    );
  }
  return {
    accessKeyId: AWS_ACCESS_KEY_ID,
    secretAccessKey: AWS_SECRET_ACCESS_KEY,
    ...(AWS_SESSION_TOKEN ? { sessionToken: AWS_SESSION_TOKEN } : {}),
  };
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
