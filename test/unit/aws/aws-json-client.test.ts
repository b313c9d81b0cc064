import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { AwsRequestError, AwsServiceError, createAwsJsonClient } from '../../../shared/aws/aws-json-client';

type Seen = { headers: IncomingMessage['headers']; body: string };
type Answer = (seen: Seen, response: ServerResponse) => void;

/** A loopback service answering with the scripted answers in order (the last one repeats). */
let server: Server;
let endpoint: string;
let seen: Seen[];
let answers: Answer[];

beforeEach(async () => {
  seen = [];
  answers = [];
  server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      const entry = { headers: request.headers, body: Buffer.concat(chunks).toString() };
      seen.push(entry);
      const answer = answers[Math.min(seen.length, answers.length) - 1];
      answer?.(entry, response);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterEach(async () => {
  vi.unstubAllEnvs();
  server.closeAllConnections();
  await new Promise<void>((resolve) => server.close(() => resolve()));
});

const json =
  (status: number, body: unknown, headers: Record<string, string> = {}): Answer =>
  (_seen, response) =>
    response
      .writeHead(status, { 'content-type': 'application/x-amz-json-1.0', ...headers })
      .end(body === undefined ? '' : JSON.stringify(body));

const credentials = {
  accessKeyId: 'AKIDEXAMPLE',
  secretAccessKey: 'wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY',
};

function dynamo(options: Partial<Parameters<typeof createAwsJsonClient>[0]> = {}) {
  return createAwsJsonClient({ service: 'dynamodb', region: 'eu-west-1', endpoint, credentials, ...options });
}

describe('AWS JSON client: the request', () => {
  it('posts the input as JSON with the protocol headers, signed for the service and region', async () => {
    answers = [json(200, { Item: { id: { S: 'a' } } })];
    const output = await createAwsJsonClient({
      service: 'dynamodb',
      region: 'eu-west-1',
      endpoint,
      credentials: { ...credentials, sessionToken: 'session-token' },
    }).call('GetItem', { TableName: 't', Key: { id: { S: 'a' } } });

    expect(output).toEqual({ Item: { id: { S: 'a' } } });
    const [request] = seen;
    expect(JSON.parse(request?.body ?? '')).toEqual({ TableName: 't', Key: { id: { S: 'a' } } });
    expect(request?.headers['x-amz-target']).toBe('DynamoDB_20120810.GetItem');
    expect(request?.headers['content-type']).toBe('application/x-amz-json-1.0');
    expect(request?.headers['x-amz-security-token']).toBe('session-token');
    expect(request?.headers['x-amz-date']).toMatch(/^\d{8}T\d{6}Z$/);
    expect(request?.headers.authorization).toMatch(
      /^AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE\/\d{8}\/eu-west-1\/dynamodb\/aws4_request, SignedHeaders=host;x-amz-date;x-amz-security-token;x-amz-target, Signature=[0-9a-f]{64}$/,
    );
  });

  it('speaks each service’s protocol: JSON 1.1 for Secrets Manager, SQS with query-compatible errors', async () => {
    answers = [json(200, {})];
    await createAwsJsonClient({ service: 'secretsmanager', endpoint, credentials }).call(
      'GetSecretValue',
      {},
    );
    await createAwsJsonClient({ service: 'sqs', endpoint, credentials }).call('SendMessage', {});
    expect(seen.map((request) => [request.headers['x-amz-target'], request.headers['content-type']])).toEqual(
      [
        ['secretsmanager.GetSecretValue', 'application/x-amz-json-1.1'],
        ['AmazonSQS.SendMessage', 'application/x-amz-json-1.0'],
      ],
    );
    expect(seen[1]?.headers['x-amzn-query-mode']).toBe('true');
    expect(seen[1]?.headers.authorization).toContain('/us-east-1/sqs/aws4_request');
  });

  it('keeps one connection across calls (no handshake per call)', async () => {
    let connections = 0;
    server.on('connection', () => connections++);
    answers = [json(200, {})];
    const client = dynamo();
    for (let call = 0; call < 4; call++) await client.call('GetItem', { call });
    expect(seen).toHaveLength(4);
    expect(connections).toBe(1);
    expect(seen[3]?.headers.connection).toBe('keep-alive');
  });

  it('resolves {} when the answer has no body', async () => {
    answers = [json(200, undefined)];
    expect(await dynamo().call('DeleteItem', {})).toEqual({});
  });

  it('takes region, endpoint and credentials from the environment, credentials read on every call', async () => {
    vi.stubEnv('AWS_REGION', 'ap-southeast-2');
    vi.stubEnv('AWS_ENDPOINT_URL', 'http://127.0.0.1:1');
    vi.stubEnv('AWS_ENDPOINT_URL_DYNAMODB', endpoint);
    vi.stubEnv('AWS_ACCESS_KEY_ID', 'FIRSTKEY');
    vi.stubEnv('AWS_SECRET_ACCESS_KEY', 'first-secret');
    vi.stubEnv('AWS_SESSION_TOKEN', '');
    answers = [json(200, {})];
    const client = createAwsJsonClient({ service: 'dynamodb' });
    await client.call('GetItem', {});
    vi.stubEnv('AWS_ACCESS_KEY_ID', 'ROTATEDKEY');
    vi.stubEnv('AWS_SECRET_ACCESS_KEY', 'rotated-secret');
    vi.stubEnv('AWS_SESSION_TOKEN', 'rotated-token');
    await client.call('GetItem', {});

    expect(seen[0]?.headers.authorization).toMatch(/Credential=FIRSTKEY\/\d{8}\/ap-southeast-2\/dynamodb\//);
    expect(seen[0]?.headers['x-amz-security-token']).toBeUndefined();
    expect(seen[1]?.headers.authorization).toContain('Credential=ROTATEDKEY/');
    expect(seen[1]?.headers['x-amz-security-token']).toBe('rotated-token');
  });

  it('refuses to send without credentials, naming the variables and not calling the service', async () => {
    vi.stubEnv('AWS_ACCESS_KEY_ID', '');
    vi.stubEnv('AWS_SECRET_ACCESS_KEY', '');
    const error = await createAwsJsonClient({ service: 'sqs', endpoint })
      .call('SendMessage', {})
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AwsRequestError);
    expect((error as Error).message).toMatch(/^SQS SendMessage: no AWS credentials \(AWS_ACCESS_KEY_ID/);
    expect(seen).toHaveLength(0);
  });
});

describe('AWS JSON client: error answers', () => {
  it('types a 4xx by its code, keeps the body’s other fields, and does not retry it', async () => {
    answers = [
      json(
        400,
        {
          __type: 'com.amazonaws.dynamodb.v20120810#ConditionalCheckFailedException',
          message: 'The conditional request failed',
          Item: { id: { S: 'a' }, status: { S: 'COMPLETED' } },
        },
        { 'x-amzn-requestid': 'REQ123' },
      ),
    ];
    const error = await dynamo()
      .call('PutItem', { Item: { id: { S: 'body-value' } } })
      .catch((e: unknown) => e);

    expect(error).toBeInstanceOf(AwsServiceError);
    expect(error).toMatchObject({
      name: 'ConditionalCheckFailedException',
      code: 'ConditionalCheckFailedException',
      statusCode: 400,
      retryable: false,
      requestId: 'REQ123',
      details: {
        message: 'The conditional request failed',
        Item: { id: { S: 'a' }, status: { S: 'COMPLETED' } },
      },
    });
    expect((error as Error).message).toBe(
      'DynamoDB PutItem failed: ConditionalCheckFailedException (HTTP 400)',
    );
    expect(seen).toHaveLength(1);
  });

  it('prefers the x-amzn-errortype header and strips its namespace and suffix', async () => {
    answers = [
      json(
        400,
        { message: 'x' },
        { 'x-amzn-errortype': 'ResourceNotFoundException:http://internal.amazon.com/' },
      ),
    ];
    const error = (await dynamo()
      .call('GetItem', {})
      .catch((e: unknown) => e)) as AwsServiceError;
    expect(error.code).toBe('ResourceNotFoundException');
  });

  it('keeps SQS’s legacy query code beside the JSON code', async () => {
    answers = [
      json(
        400,
        { __type: 'com.amazonaws.sqs#QueueDoesNotExist', message: 'The specified queue does not exist.' },
        { 'x-amzn-query-error': 'AWS.SimpleQueueService.NonExistentQueue;Sender' },
      ),
    ];
    const error = (await createAwsJsonClient({ service: 'sqs', endpoint, credentials })
      .call('SendMessage', {})
      .catch((e: unknown) => e)) as AwsServiceError;
    expect(error.code).toBe('QueueDoesNotExist');
    expect(error.details.queryErrorCode).toBe('AWS.SimpleQueueService.NonExistentQueue');
    expect(error.retryable).toBe(false);
  });

  it('never carries a signature error’s message (it quotes the canonical request) nor the request', async () => {
    answers = [
      json(403, {
        __type: 'InvalidSignatureException',
        message: 'The Canonical String for this request should have been x-amz-security-token:secret-token',
      }),
    ];
    const error = (await dynamo({ credentials: { ...credentials, sessionToken: 'secret-token' } })
      .call('PutItem', { Item: { secret: { S: 'payload-secret' } } })
      .catch((e: unknown) => e)) as AwsServiceError;
    expect(error.code).toBe('InvalidSignatureException');
    const everything = JSON.stringify({ message: error.message, details: error.details, stack: error.stack });
    for (const secret of ['secret-token', 'payload-secret', credentials.secretAccessKey, 'Signature=']) {
      expect(everything).not.toContain(secret);
    }
  });

  it('names a 5xx without a JSON body by its status', async () => {
    answers = [(_seen, response) => response.writeHead(502).end('<html>bad gateway</html>')];
    const error = (await dynamo({ maxAttempts: 1 })
      .call('GetItem', {})
      .catch((e: unknown) => e)) as AwsServiceError;
    expect(error).toMatchObject({ code: 'InternalFailure', statusCode: 502, retryable: true });
  });

  it('fails without retrying when a success answer is not JSON, without quoting it', async () => {
    answers = [(_seen, response) => response.writeHead(200).end('{"SecretString":"hunter2"')];
    const error = await createAwsJsonClient({ service: 'secretsmanager', endpoint, credentials })
      .call('GetSecretValue', {})
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AwsRequestError);
    expect((error as Error).message).toBe(
      'Secrets Manager GetSecretValue: the answer is not JSON (25 characters)',
    );
    expect(JSON.stringify({ m: (error as Error).message, c: String((error as Error).cause) })).not.toContain(
      'hunter2',
    );
    expect(seen).toHaveLength(1);
  });
});

describe('AWS JSON client: retries', () => {
  it.each([
    ['ThrottlingException', 400],
    ['ProvisionedThroughputExceededException', 400],
    ['RequestLimitExceeded', 400],
    ['TooManyRequestsException', 400],
    ['SlowDownUnknownCode', 429],
    ['InternalServerError', 500],
    ['ServiceUnavailable', 503],
  ])('retries %s (HTTP %i), then answers with the success', async (code, status) => {
    answers = [json(status, { __type: code }), json(200, { ok: true })];
    expect(await dynamo().call('PutItem', {})).toEqual({ ok: true });
    expect(seen).toHaveLength(2);
  });

  it('retries a throttled SQS call by its legacy query code', async () => {
    answers = [
      json(
        400,
        { __type: 'com.amazonaws.sqs#SomethingNew' },
        { 'x-amzn-query-error': 'AWS.SimpleQueueService.RequestThrottled;Receiver' },
      ),
      json(200, {}),
    ];
    await createAwsJsonClient({ service: 'sqs', endpoint, credentials }).call('SendMessageBatch', {});
    expect(seen).toHaveLength(2);
  });

  it('gives up after maxAttempts with the last error, marked retryable, each attempt signed afresh', async () => {
    answers = [json(503, { __type: 'ServiceUnavailable' })];
    const error = (await dynamo({ maxAttempts: 4 })
      .call('UpdateItem', {})
      .catch((e: unknown) => e)) as AwsServiceError;
    expect(error).toMatchObject({ code: 'ServiceUnavailable', statusCode: 503, retryable: true });
    expect(seen).toHaveLength(4);
    expect(new Set(seen.map((request) => request.body))).toEqual(new Set(['{}']));
  });

  it('times out an attempt that gets no answer, retries it, then fails with the timeout as cause', async () => {
    answers = [() => undefined];
    const error = await dynamo({ maxAttempts: 2, timeoutMs: 50 })
      .call('GetItem', {})
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AwsRequestError);
    expect((error as Error).message).toBe('DynamoDB GetItem: no answer within 50 ms after 2 attempt(s)');
    expect(((error as Error).cause as Error).name).toBe('TimeoutError');
    expect(seen).toHaveLength(2);
  });

  it('times out an answer that stalls half-way through its body', async () => {
    answers = [
      (_seen, response) => {
        response.writeHead(200, { 'content-type': 'application/x-amz-json-1.0', 'content-length': '100' });
        response.write('{"Item":');
      },
    ];
    const error = await dynamo({ maxAttempts: 1, timeoutMs: 80 })
      .call('GetItem', {})
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AwsRequestError);
    expect((error as Error).message).toBe('DynamoDB GetItem: no answer within 80 ms after 1 attempt(s)');
  });

  it('retries a call whose kept connection is reset (a socket the service closed while frozen)', async () => {
    answers = [json(200, { n: 1 }), (_seen, response) => response.socket?.destroy(), json(200, { n: 2 })];
    const client = dynamo();
    expect(await client.call('GetItem', {})).toEqual({ n: 1 });
    expect(await client.call('GetItem', {})).toEqual({ n: 2 });
    expect(seen).toHaveLength(3);
  });

  it('retries a refused connection and reports the network error', async () => {
    const closed = endpoint;
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
    server = createServer().listen(0, '127.0.0.1');
    const error = await createAwsJsonClient({ service: 'sqs', endpoint: closed, credentials })
      .call('SendMessage', {})
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AwsRequestError);
    expect((error as Error).message).toBe('SQS SendMessage: no answer (ECONNREFUSED) after 3 attempt(s)');
    expect(((error as Error).cause as NodeJS.ErrnoException).code).toBe('ECONNREFUSED');
  });
});

describe('AWS JSON client: through a fetch of the caller’s', () => {
  it('sends the signed request through it, with the same retries and error typing', async () => {
    answers = [json(503, { __type: 'ServiceUnavailable' }), json(200, { ok: 1 })];
    const fetchSpy = vi.fn(globalThis.fetch);
    const client = createAwsJsonClient({ service: 'dynamodb', endpoint, credentials, fetch: fetchSpy });
    expect(await client.call('GetItem', { Key: 1 })).toEqual({ ok: 1 });
    expect(fetchSpy).toHaveBeenCalledTimes(2);
    expect(seen[1]?.headers['x-amz-target']).toBe('DynamoDB_20120810.GetItem');
    expect(seen[1]?.headers.authorization).toMatch(/^AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE\//);
    answers = [json(400, { __type: 'ValidationException' })];
    await expect(client.call('GetItem', {})).rejects.toMatchObject({ code: 'ValidationException' });
  });

  it('times out through it too, with the timeout as cause', async () => {
    answers = [() => undefined];
    const error = await dynamo({ maxAttempts: 1, timeoutMs: 50, fetch: globalThis.fetch })
      .call('GetItem', {})
      .catch((e: unknown) => e);
    expect((error as Error).message).toBe('DynamoDB GetItem: no answer within 50 ms after 1 attempt(s)');
    expect(((error as Error).cause as Error).name).toBe('TimeoutError');
  });
});
