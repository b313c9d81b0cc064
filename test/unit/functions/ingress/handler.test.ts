import { readFileSync } from 'node:fs';
import type { APIGatewayProxyEventV2, Context } from 'aws-lambda';
import { beforeEach, describe, expect, it } from 'vitest';
import { demoParty, demoSecrets } from '../../../../devkit/fakes/demo';
import { demoIngressDeps } from '../../../../devkit/fakes/demo-ingress';
import type { RecordingQueue } from '../../../../devkit/fakes/recording-queue';
import { sampleEvents } from '../../../../devkit/samples';
import { createIngressHandler } from '../../../../functions/ingress/create-handler';
import { signWebhook } from '../../../../shared/auth';
import { QueueMessage } from '../../../../shared/envelope/queue-message';

/** An HTTP API (payload 2.0) event as API Gateway delivers it for `POST /webhooks/huddle-demo`. */
const RECORDED: APIGatewayProxyEventV2 = JSON.parse(
  readFileSync(new URL('../../../fixtures/api-gateway/http-api-v2-webhook.json', import.meta.url), 'utf8'),
);

const context = { getRemainingTimeInMillis: () => 29_000, awsRequestId: 'req-1' } as Context;
const party = demoParty({ id: 'huddle-demo' });
const secret = demoSecrets()[party.secretName]?.webhookSecrets[0] ?? '';

let queue: RecordingQueue;
let handler: ReturnType<typeof createIngressHandler>;
beforeEach(() => {
  const demo = demoIngressDeps();
  queue = demo.queue;
  handler = createIngressHandler(demo.deps);
});

/** The recorded event carrying `body` (signed for the party unless told otherwise), plain or base64. */
function event(
  body: string,
  options: { base64?: boolean; partyId?: string; signature?: Record<string, string> } = {},
): APIGatewayProxyEventV2 {
  const partyId = options.partyId ?? party.id;
  const signature = options.signature ?? signWebhook(party.auth, secret, Buffer.from(body));
  return {
    ...RECORDED,
    rawPath: `/webhooks/${partyId}`,
    pathParameters: { partyId },
    headers: { ...RECORDED.headers, ...signature, 'content-length': String(Buffer.byteLength(body)) },
    body: options.base64 ? Buffer.from(body).toString('base64') : body,
    isBase64Encoded: options.base64 ?? false,
  };
}

const sample = () => JSON.stringify(Object.values(sampleEvents.huddle)[0]?.());
const parse = (result: { body?: string }) => JSON.parse(result.body ?? '{}');

describe('Lambda ingress handler driven by API Gateway HTTP API events', () => {
  it('a signed plain-text body: 202 with the ids, the message queued', async () => {
    const result = await handler(event(sample()), context);
    expect(result.statusCode).toBe(202);
    expect(parse(result)).toEqual({ accepted: 1, ids: [queue.sent[0]?.id] });
    expect(QueueMessage.parse(queue.sent[0])).toMatchObject({ partyId: 'huddle-demo', v: 1 });
    expect(result.headers?.['x-correlation-id']).toBeTruthy();
  });

  it('a signed base64 body (isBase64Encoded): the signature is checked over the decoded bytes, 202', async () => {
    const body = sample().replace('}', ',"note":"héllo ✓"}');
    const result = await handler(event(body, { base64: true }), context);
    expect(result.statusCode).toBe(202);
    expect(queue.sent).toHaveLength(1);
    // The same bytes sent plain are the same event: a duplicate, not a second delivery.
    const again = await handler(event(body), context);
    expect(parse(again)).toEqual({ accepted: 0, duplicate: true });
  });

  it('a base64 body whose signature covers the base64 text instead of the bytes: 401', async () => {
    const body = sample();
    const encoded = Buffer.from(body).toString('base64');
    const wrong = signWebhook(party.auth, secret, Buffer.from(encoded));
    const result = await handler(event(body, { base64: true, signature: wrong }), context);
    expect(result.statusCode).toBe(401);
    expect(parse(result)).toMatchObject({ globalError: { code: 'signature_invalid' } });
    expect(queue.sent).toHaveLength(0);
  });

  it('a bad signature: 401 in the Workspace 365 error shape, nothing queued', async () => {
    const result = await handler(event(sample(), { signature: { 'x-signature-256': 'sha256=00' } }), context);
    expect(result.statusCode).toBe(401);
    expect(parse(result).globalError.code).toMatch(/^signature_/);
    expect(result.headers?.['content-type']).toBe('application/json');
    expect(queue.sent).toHaveLength(0);
  });

  it('an unknown party: 404 party_unknown, nothing queued', async () => {
    const result = await handler(event(sample(), { partyId: 'nobody-here' }), context);
    expect(result.statusCode).toBe(404);
    expect(parse(result)).toMatchObject({ globalError: { code: 'party_unknown' } });
    expect(queue.sent).toHaveLength(0);
  });
});
