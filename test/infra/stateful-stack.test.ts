import { Match } from 'aws-cdk-lib/assertions';
import { beforeAll, describe, expect, it } from 'vitest';
import { SYNTH_TIMEOUT_MS, type SynthesizedRelay, synthRelay } from './support/relay-app';

type Resource = { Type: string; Properties: Record<string, unknown>; DeletionPolicy?: string };

let relay: SynthesizedRelay;
let queues: [string, Resource][];
let mainQueueId: string;
let deadLetterQueueId: string;

beforeAll(() => {
  relay = synthRelay();
  queues = Object.entries(
    relay.statefulTemplate.findResources('AWS::SQS::Queue') as Record<string, Resource>,
  );
  const main = queues.find(([, queue]) => queue.Properties.RedrivePolicy !== undefined);
  const dead = queues.find(([, queue]) => queue.Properties.RedrivePolicy === undefined);
  if (!main || !dead) throw new Error('expected a main queue with a redrive policy and a DLQ');
  mainQueueId = main[0];
  deadLetterQueueId = dead[0];
}, SYNTH_TIMEOUT_MS);

describe('stateful stack: queues', () => {
  it('is named WebhookRelay-<stage>-Stateful', () => {
    expect(relay.stateful.stackName).toBe('WebhookRelay-test-Stateful');
  });

  it('has exactly a main queue and a DLQ, redriven after config.retry.maxReceives receives', () => {
    expect(queues).toHaveLength(2);
    expect(relay.settings.config.retry.maxReceives).toBe(7);
    relay.statefulTemplate.hasResource('AWS::SQS::Queue', {
      Properties: Match.objectLike({
        RedrivePolicy: {
          deadLetterTargetArn: { 'Fn::GetAtt': [deadLetterQueueId, 'Arn'] },
          maxReceiveCount: 7,
        },
      }),
    });
  });

  it('encrypts both queues (SQS-managed SSE) and retains them', () => {
    for (const [, queue] of queues) {
      expect(queue.Properties.SqsManagedSseEnabled).toBe(true);
      expect(queue.DeletionPolicy).toBe('Retain');
    }
  });

  it('keeps dead-lettered messages 14 days, longer than the main queue', () => {
    const byId = Object.fromEntries(queues);
    expect(byId[deadLetterQueueId]?.Properties.MessageRetentionPeriod).toBe(14 * 24 * 3600);
    expect(Number(byId[mainQueueId]?.Properties.MessageRetentionPeriod)).toBeLessThan(14 * 24 * 3600);
  });

  it('keeps undelivered messages 7 days: the retry schedule, a wait behind an open breaker and a backlog fit', () => {
    const byId = Object.fromEntries(queues);
    expect(byId[mainQueueId]?.Properties.MessageRetentionPeriod).toBe(7 * 24 * 3600);
  });

  it('denies non-TLS access to each queue (enforceSSL)', () => {
    for (const queueId of [mainQueueId, deadLetterQueueId]) {
      relay.statefulTemplate.hasResourceProperties('AWS::SQS::QueuePolicy', {
        Queues: [{ Ref: queueId }],
        PolicyDocument: {
          Statement: Match.arrayWith([
            Match.objectLike({
              Effect: 'Deny',
              Action: 'sqs:*',
              Condition: { Bool: { 'aws:SecureTransport': 'false' } },
            }),
          ]),
        },
      });
    }
  });

  it('sets the visibility timeout to at least 6 × the worker timeout', () => {
    const functions = relay.apiTemplate.findResources('AWS::Lambda::Function') as Record<string, Resource>;
    const worker = Object.values(functions).find(
      (fn) =>
        (fn.Properties.Environment as { Variables: Record<string, unknown> }).Variables
          .POWERTOOLS_SERVICE_NAME === 'webhook-relay-test-worker',
    );
    const workerTimeout = Number(worker?.Properties.Timeout);
    const visibility = Number(Object.fromEntries(queues)[mainQueueId]?.Properties.VisibilityTimeout);
    expect(workerTimeout).toBeGreaterThan(0);
    expect(visibility).toBeGreaterThanOrEqual(6 * workerTimeout);
  });
});

describe('stateful stack: idempotency table', () => {
  it('is keyed by id (string) with TTL on expiration, on-demand, PITR, encrypted and retained', () => {
    relay.statefulTemplate.resourceCountIs('AWS::DynamoDB::Table', 1);
    relay.statefulTemplate.hasResource('AWS::DynamoDB::Table', {
      DeletionPolicy: 'Retain',
      Properties: Match.objectLike({
        KeySchema: [{ AttributeName: 'id', KeyType: 'HASH' }],
        AttributeDefinitions: [{ AttributeName: 'id', AttributeType: 'S' }],
        TimeToLiveSpecification: { AttributeName: 'expiration', Enabled: true },
        BillingMode: 'PAY_PER_REQUEST',
        PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true },
        SSESpecification: { SSEEnabled: true },
      }),
    });
  });
});

describe('stateful stack: party secrets', () => {
  it('creates no secret: `relay party add` does, under webhook-relay/<stage>/, outside every stack', () => {
    relay.statefulTemplate.resourceCountIs('AWS::SecretsManager::Secret', 0);
    relay.apiTemplate.resourceCountIs('AWS::SecretsManager::Secret', 0);
  });
});

describe('stateful stack: alarm topic', () => {
  it('encrypts the topic with a rotating customer-managed key CloudWatch may use', () => {
    const keys = relay.statefulTemplate.findResources('AWS::KMS::Key') as Record<string, Resource>;
    const [keyId, key] = Object.entries(keys)[0] ?? [];
    expect(key?.Properties.EnableKeyRotation).toBe(true);
    relay.statefulTemplate.hasResourceProperties('AWS::SNS::Topic', {
      KmsMasterKeyId: { 'Fn::GetAtt': [keyId, 'Arn'] },
    });
    relay.statefulTemplate.hasResourceProperties('AWS::KMS::Key', {
      KeyPolicy: {
        Statement: Match.arrayWith([
          Match.objectLike({
            Principal: { Service: 'cloudwatch.amazonaws.com' },
            Action: ['kms:Decrypt', 'kms:GenerateDataKey'],
          }),
        ]),
      },
    });
  });

  it('accepts TLS publishing only, and publishing by CloudWatch', () => {
    relay.statefulTemplate.hasResourceProperties('AWS::SNS::TopicPolicy', {
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({
            Effect: 'Deny',
            Action: 'sns:Publish',
            Condition: { Bool: { 'aws:SecureTransport': 'false' } },
          }),
          Match.objectLike({
            Effect: 'Allow',
            Action: 'sns:Publish',
            Principal: { Service: 'cloudwatch.amazonaws.com' },
          }),
        ]),
      },
    });
  });

  it('subscribes no e-mail unless alarmEmail is given', () => {
    relay.statefulTemplate.resourceCountIs('AWS::SNS::Subscription', 0);
  });
});

describe('stateful stack: outputs', () => {
  it('outputs the queue and DLQ URLs, and nothing per party (200 outputs is a template limit)', () => {
    const outputs = relay.statefulTemplate.toJSON().Outputs as Record<string, { Value: unknown }>;
    expect(outputs.QueueUrl?.Value).toEqual({ Ref: mainQueueId });
    expect(outputs.DeadLetterQueueUrl?.Value).toEqual({ Ref: deadLetterQueueId });
    expect(Object.keys(outputs).filter((id) => id.startsWith('PartySecret'))).toEqual([]);
  });
});
