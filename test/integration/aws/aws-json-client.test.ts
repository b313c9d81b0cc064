import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type DynamoDbLocal, startDynamoDbLocal } from '../../../devkit/dynamodb-local';
import { startSecretsManagerStub } from '../../../devkit/secrets-manager-stub';
import { type SqsEmulator, startSqsEmulator } from '../../../devkit/sqs/sqs-emulator';
import { AwsServiceError, createAwsJsonClient } from '../../../shared/aws/aws-json-client';

const credentials = { accessKeyId: 'test', secretAccessKey: 'test' };

describe('AWS JSON client against dynalite (DynamoDB JSON 1.0)', () => {
  let db: DynamoDbLocal;
  beforeAll(async () => {
    db = await startDynamoDbLocal();
  });
  afterAll(() => db.close());

  const client = () => createAwsJsonClient({ service: 'dynamodb', endpoint: db.endpoint, credentials });

  it('writes, reads and updates an item', async () => {
    const dynamodb = client();
    await dynamodb.call('PutItem', { TableName: db.tableName, Item: { id: { S: 'a' }, n: { N: '1' } } });
    await dynamodb.call('UpdateItem', {
      TableName: db.tableName,
      Key: { id: { S: 'a' } },
      UpdateExpression: 'SET n = n + :one',
      ExpressionAttributeValues: { ':one': { N: '1' } },
    });
    const output = await dynamodb.call<{ Item?: Record<string, unknown> }>('GetItem', {
      TableName: db.tableName,
      Key: { id: { S: 'a' } },
      ConsistentRead: true,
    });
    expect(output.Item).toEqual({ id: { S: 'a' }, n: { N: '2' } });
    expect(await dynamodb.call('GetItem', { TableName: db.tableName, Key: { id: { S: 'none' } } })).toEqual(
      {},
    );
  });

  it('types a failed condition as ConditionalCheckFailedException, not retried', async () => {
    const dynamodb = client();
    const put = {
      TableName: db.tableName,
      Item: { id: { S: 'once' } },
      ConditionExpression: 'attribute_not_exists(id)',
    };
    await dynamodb.call('PutItem', put);
    const error = await dynamodb.call('PutItem', put).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AwsServiceError);
    expect(error).toMatchObject({
      name: 'ConditionalCheckFailedException',
      statusCode: 400,
      retryable: false,
    });
    expect((error as Error).message).toBe(
      'DynamoDB PutItem failed: ConditionalCheckFailedException (HTTP 400)',
    );
  });

  it('types a missing table as ResourceNotFoundException', async () => {
    const error = await client()
      .call('GetItem', { TableName: 'no-such-table', Key: { id: { S: 'a' } } })
      .catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'ResourceNotFoundException', retryable: false });
  });
});

describe('AWS JSON client against fauxqs (SQS JSON 1.0)', () => {
  let sqs: SqsEmulator;
  beforeAll(async () => {
    sqs = await startSqsEmulator({ maxReceives: 3 });
  });
  afterAll(() => sqs.close());

  it('sends a batch with attributes and receives it back', async () => {
    const client = createAwsJsonClient({ service: 'sqs', endpoint: sqs.endpoint, credentials });
    const sent = await client.call<{ Successful: { Id: string }[]; Failed?: unknown[] }>('SendMessageBatch', {
      QueueUrl: sqs.queueUrl,
      Entries: [
        {
          Id: '0',
          MessageBody: 'first',
          MessageAttributes: { party: { DataType: 'String', StringValue: 'p1' } },
        },
        { Id: '1', MessageBody: 'second' },
      ],
    });
    expect(sent.Successful.map((entry) => entry.Id).sort()).toEqual(['0', '1']);
    const received = await client.call<{ Messages: { Body: string; MessageAttributes?: unknown }[] }>(
      'ReceiveMessage',
      { QueueUrl: sqs.queueUrl, MaxNumberOfMessages: 10, MessageAttributeNames: ['All'] },
    );
    expect(received.Messages.map((message) => message.Body).sort()).toEqual(['first', 'second']);
    expect(received.Messages.find((message) => message.Body === 'first')?.MessageAttributes).toEqual({
      party: { DataType: 'String', StringValue: 'p1' },
    });
  });

  it('types a missing queue by its JSON code, with the legacy query code beside it', async () => {
    const error = (await createAwsJsonClient({ service: 'sqs', endpoint: sqs.endpoint, credentials })
      .call('SendMessage', { QueueUrl: `${sqs.endpoint}/000000000000/no-such-queue`, MessageBody: 'x' })
      .catch((e: unknown) => e)) as AwsServiceError;
    expect(error).toBeInstanceOf(AwsServiceError);
    expect(error.code).toBe('QueueDoesNotExist');
    expect(error.details.queryErrorCode).toBe('AWS.SimpleQueueService.NonExistentQueue');
    expect(error.retryable).toBe(false);
  });
});

describe('AWS JSON client against the Secrets Manager stub (JSON 1.1)', () => {
  it('reads a secret value and types a missing one', async () => {
    const stub = await startSecretsManagerStub({ 'party-a': { workspace365ApiKey: 'k' } });
    try {
      const client = createAwsJsonClient({ service: 'secretsmanager', endpoint: stub.endpoint, credentials });
      const output = await client.call<{ SecretString: string }>('GetSecretValue', { SecretId: 'party-a' });
      expect(JSON.parse(output.SecretString)).toEqual({ workspace365ApiKey: 'k' });
      const error = await client.call('GetSecretValue', { SecretId: 'party-b' }).catch((e: unknown) => e);
      expect(error).toMatchObject({ code: 'ResourceNotFoundException', statusCode: 400, retryable: false });
      expect(stub.calls).toEqual(['party-a', 'party-b']);
    } finally {
      await stub.close();
    }
  });
});
