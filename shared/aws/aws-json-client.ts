import { AwsV4Signer } from 'aws4fetch';
import { AwsRequestError, AwsServiceError, toServiceError } from './aws-errors';
import { standardBackoffMs } from './standard-backoff';

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
 * as JSON, signed with SigV4 (aws4fetch), sent with `fetch`; an answer is the output as JSON or an error
 * typed as `AwsServiceError`. Retries like the SDK's standard mode (network errors, timeouts, 5xx, 429 and
 * throttling codes; never another 4xx). Loads in a few milliseconds where the SDK's clients take ~100.
 * Credentials come from the environment, as Lambda provides them; there is no profile, SSO or IMDS chain.
 */
export function createAwsJsonClient(options: AwsJsonClientOptions): AwsJsonClient {
  const protocol = PROTOCOLS[options.service];
  const env = process.env;
  const region = options.region ?? env.AWS_REGION ?? env.AWS_DEFAULT_REGION ?? 'us-east-1';
  const endpoint =
    options.endpoint ??
    env[protocol.endpointEnv] ??
    env.AWS_ENDPOINT_URL ??
    `https://${options.service}.${region}.amazonaws.com`;
  const url = new URL(endpoint).href;
  const maxAttempts = Math.max(1, Math.floor(options.maxAttempts ?? 3));
  const timeoutMs = options.timeoutMs ?? 10_000;
  const send = options.fetch ?? ((input, init) => globalThis.fetch(input, init));
  // The derived signing key per day, region and service: four HMACs saved on every call after the first.
  const signingKeys = new Map<string, ArrayBuffer>();

  async function attempt(
    operation: string,
    body: string,
    credentials: NonNullable<AwsJsonClientOptions['credentials']>,
  ): Promise<{ response: Response; text: string }> {
    const signed = await new AwsV4Signer({
      method: 'POST',
      url,
      headers: {
        'content-type': protocol.contentType,
        'x-amz-target': `${protocol.targetPrefix}.${operation}`,
        ...protocol.extraHeaders,
      },
      body,
      accessKeyId: credentials.accessKeyId,
      secretAccessKey: credentials.secretAccessKey,
      sessionToken: credentials.sessionToken,
      service: options.service,
      region,
      cache: signingKeys,
    }).sign();
    // The timeout covers reading the body too: an answer that stalls half-way is no answer.
    const response = await send(url, {
      method: 'POST',
      headers: signed.headers,
      body,
      signal: AbortSignal.timeout(timeoutMs),
    });
    return { response, text: await response.text() };
  }

  return {
    async call<TOutput>(operation: string, input: object): Promise<TOutput> {
      const call = `${protocol.title} ${operation}`;
      const credentials = options.credentials ?? credentialsFromEnvironment(call);
      const body = JSON.stringify(input);
      for (let attemptNumber = 1; ; attemptNumber++) {
        let failure: AwsServiceError | AwsRequestError;
        try {
          const { response, text } = await attempt(operation, body, credentials);
          if (response.ok) return parseOutput<TOutput>(call, text);
          failure = toServiceError(call, response.status, response.headers, text);
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

/** undici's `TypeError: fetch failed` keeps the reason in `cause` (ECONNREFUSED, UND_ERR_SOCKET…). */
function networkReason(error: unknown): string {
  const cause = (error as Error)?.cause as NodeJS.ErrnoException | undefined;
  return cause?.code ?? cause?.name ?? (error as Error)?.name ?? 'unknown';
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
