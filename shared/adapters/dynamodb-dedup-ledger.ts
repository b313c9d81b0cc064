import { createHash } from 'node:crypto';
import type { AwsJsonClient } from '../aws/aws-json-client';
import {
  DEFAULT_LEDGER_EXPIRY_SECONDS,
  type DedupLedger,
  DedupLedgerUnavailableError,
  type EventRecord,
} from '../ports/dedup-ledger';

export type DynamoDbDedupLedgerOptions = {
  /** A DynamoDB client (`createAwsJsonClient({ service: 'dynamodb' })`; the CLI's SDK-backed one). */
  client: AwsJsonClient;
  /** The stateful stack's table (partition key `id`, TTL on `expiration`); events use their own key prefix. */
  tableName: string;
  /** @default DEFAULT_LEDGER_EXPIRY_SECONDS (14 days) */
  expiresAfterSeconds?: number;
  /** @default Date.now */
  now?: () => number;
};

/** Keeps event records apart from the breaker items in the same table. */
export const EVENT_KEY_PREFIX = 'event#';
/** Longer keys (a sender's event id can be long) are stored as their SHA-256, well under DynamoDB's 2 KB. */
const MAX_PLAIN_KEY_BYTES = 512;

type AttributeValue = { S?: string; SS?: string[]; N?: string };

/**
 * The ledger as one small DynamoDB item per event (docs/cost.md): ingress claims it with one conditional
 * UpdateItem (1 WRU), the worker reads it strongly consistently (1 RRU); a given-up attempt, and a
 * posted message whose prompt delete failed, add themselves to a string set (failure paths only).
 */
export class DynamoDbDedupLedger implements DedupLedger {
  readonly #client: AwsJsonClient;
  readonly #tableName: string;
  readonly #expiresAfterSeconds: number;
  readonly #now: () => number;

  constructor(options: DynamoDbDedupLedgerOptions) {
    this.#client = options.client;
    this.#tableName = options.tableName;
    this.#expiresAfterSeconds = options.expiresAfterSeconds ?? DEFAULT_LEDGER_EXPIRY_SECONDS;
    this.#now = options.now ?? Date.now;
  }

  async claim(key: string, attempt: string): Promise<boolean> {
    try {
      await this.#call('UpdateItem', {
        TableName: this.#tableName,
        Key: this.#key(key),
        UpdateExpression: 'SET #owner = :attempt, #expiration = :expiration',
        ConditionExpression: 'attribute_not_exists(#owner) OR #owner = :attempt',
        ExpressionAttributeNames: { '#owner': 'owner', '#expiration': 'expiration' },
        ExpressionAttributeValues: { ':attempt': { S: attempt }, ':expiration': this.#expiration() },
      });
      return true;
    } catch (error) {
      if (isConditionFailure(error)) return false;
      throw unavailable('claim', error);
    }
  }

  async abandon(key: string, attempt: string): Promise<void> {
    try {
      await this.#call('UpdateItem', {
        TableName: this.#tableName,
        Key: this.#key(key),
        UpdateExpression: 'ADD #abandoned :attempt SET #expiration = :expiration',
        ExpressionAttributeNames: { '#abandoned': 'abandoned', '#expiration': 'expiration' },
        ExpressionAttributeValues: { ':attempt': { SS: [attempt] }, ':expiration': this.#expiration() },
      });
    } catch (error) {
      throw unavailable('abandon', error);
    }
  }

  async markDelivered(key: string, messageId: string): Promise<void> {
    try {
      await this.#call('UpdateItem', {
        TableName: this.#tableName,
        Key: this.#key(key),
        UpdateExpression: 'ADD #delivered :id SET #expiration = :expiration',
        ExpressionAttributeNames: { '#delivered': 'delivered', '#expiration': 'expiration' },
        ExpressionAttributeValues: { ':id': { SS: [messageId] }, ':expiration': this.#expiration() },
      });
    } catch (error) {
      throw unavailable('mark a delivery', error);
    }
  }

  async read(key: string): Promise<EventRecord | undefined> {
    let output: { Item?: Record<string, AttributeValue> };
    try {
      output = await this.#call<{ Item?: Record<string, AttributeValue> }>('GetItem', {
        TableName: this.#tableName,
        Key: this.#key(key),
        ConsistentRead: true,
        ProjectionExpression: '#owner, #abandoned, #delivered, #expiration',
        ExpressionAttributeNames: {
          '#owner': 'owner',
          '#abandoned': 'abandoned',
          '#delivered': 'delivered',
          '#expiration': 'expiration',
        },
      });
    } catch (error) {
      throw unavailable('read', error);
    }
    const item = output.Item;
    // The table's TTL deletes late (up to days): an expired item is treated as gone, as the in-process ledger does.
    if (!item || Number(item.expiration?.N ?? Number.POSITIVE_INFINITY) * 1000 <= this.#now())
      return undefined;
    const owner = item.owner?.S;
    return {
      ...(owner === undefined ? {} : { owner }),
      abandoned: item.abandoned?.SS ?? [],
      delivered: item.delivered?.SS ?? [],
    };
  }

  #call<TOutput = Record<string, unknown>>(operation: string, input: object): Promise<TOutput> {
    return this.#client.call<TOutput>(operation, input);
  }

  #key(key: string): { id: AttributeValue } {
    const plain = Buffer.byteLength(key) <= MAX_PLAIN_KEY_BYTES;
    const stored = plain ? key : `sha256:${createHash('sha256').update(key).digest('hex')}`;
    return { id: { S: EVENT_KEY_PREFIX + stored } };
  }

  #expiration(): AttributeValue {
    return { N: String(Math.floor(this.#now() / 1000) + this.#expiresAfterSeconds) };
  }
}

function isConditionFailure(error: unknown): boolean {
  return (error as Error | undefined)?.name === 'ConditionalCheckFailedException';
}

/** Names the operation and the service's error code; never the key (it holds the sender's event id). */
function unavailable(operation: string, error: unknown): DedupLedgerUnavailableError {
  const code = error instanceof Error ? error.name : typeof error;
  return new DedupLedgerUnavailableError(`the dedup ledger could not ${operation} (${code})`, {
    cause: error,
  });
}
