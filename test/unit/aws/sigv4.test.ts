import { AwsV4Signer } from 'aws4fetch';
import { describe, expect, it } from 'vitest';
import { signRequest } from '../../../shared/aws/sigv4';

const credentials = {
  accessKeyId: 'AKIDEXAMPLE',
  secretAccessKey: 'wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY',
};

/** aws4fetch (a widely used SigV4 implementation on WebCrypto) as the reference for the same request. */
async function reference(input: {
  url: string;
  headers: Record<string, string>;
  body: string;
  service: string;
  region: string;
  sessionToken?: string;
  amzDate: string;
}) {
  const signed = await new AwsV4Signer({
    method: 'POST',
    url: input.url,
    headers: input.headers,
    body: input.body,
    ...credentials,
    ...(input.sessionToken ? { sessionToken: input.sessionToken } : {}),
    service: input.service,
    region: input.region,
    datetime: input.amzDate,
  }).sign();
  return signed.headers.get('authorization');
}

type Case = {
  name: string;
  url: string;
  headers: Record<string, string>;
  body: string;
  service: string;
  region: string;
  sessionToken?: string;
};

describe('SigV4 signing', () => {
  it.each<Case>([
    {
      name: 'DynamoDB with a session token',
      url: 'https://dynamodb.eu-west-1.amazonaws.com/',
      headers: { 'content-type': 'application/x-amz-json-1.0', 'x-amz-target': 'DynamoDB_20120810.PutItem' },
      body: '{"TableName":"t","Item":{"id":{"S":"a"}}}',
      service: 'dynamodb',
      region: 'eu-west-1',
      sessionToken: 'IQoJb3JpZ2luX2VjEJr//////////wEaCWV1LXdlc3QtMSJHMEUCIQ==',
    },
    {
      name: 'SQS with its query-mode header, a multibyte body and a port',
      url: 'http://127.0.0.1:4566/',
      headers: {
        'content-type': 'application/x-amz-json-1.0',
        'x-amz-target': 'AmazonSQS.SendMessageBatch',
        'x-amzn-query-mode': 'true',
      },
      body: '{"Entries":[{"Id":"0","MessageBody":"Grüße, 世界 🚀"}]}',
      service: 'sqs',
      region: 'us-east-1',
    },
    {
      name: 'Secrets Manager without a body',
      url: 'https://secretsmanager.ap-southeast-2.amazonaws.com/',
      headers: {
        'content-type': 'application/x-amz-json-1.1',
        'x-amz-target': 'secretsmanager.GetSecretValue',
      },
      body: '',
      service: 'secretsmanager',
      region: 'ap-southeast-2',
    },
  ])('signs $name exactly as the reference does', async (request) => {
    const amzDate = '20261201T030405Z';
    const signed = signRequest(
      {
        host: new URL(request.url).host,
        headers: request.headers,
        body: request.body,
        service: request.service,
        region: request.region,
        credentials: {
          ...credentials,
          ...(request.sessionToken ? { sessionToken: request.sessionToken } : {}),
        },
        amzDate,
      },
      new Map(),
    );
    expect(signed.authorization).toBe(await reference({ ...request, amzDate }));
    expect(signed['x-amz-date']).toBe(amzDate);
    expect(signed['x-amz-security-token']).toBe(request.sessionToken);
  });

  it('caches the derived key of the day and derives a new one the next day', async () => {
    const keys = new Map<string, Buffer>();
    const input = {
      host: 'dynamodb.eu-west-1.amazonaws.com',
      headers: { 'x-amz-target': 'DynamoDB_20120810.GetItem' },
      body: '{}',
      service: 'dynamodb',
      region: 'eu-west-1',
      credentials,
    };
    signRequest({ ...input, amzDate: '20261201T000000Z' }, keys);
    const [first] = keys.values();
    signRequest({ ...input, amzDate: '20261201T235959Z' }, keys);
    expect([...keys.values()]).toEqual([first]);
    const nextDay = signRequest({ ...input, amzDate: '20261202T000001Z' }, keys);
    expect(keys.size).toBe(1);
    expect(nextDay.authorization).toBe(
      await reference({ url: `https://${input.host}/`, ...input, amzDate: '20261202T000001Z' }),
    );
  });
});
