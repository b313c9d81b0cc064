import {
  ConditionalCheckFailedException,
  type DynamoDBClient,
  GetItemCommand,
  PutItemCommand,
} from '@aws-sdk/client-dynamodb';
import { type AcceptedEvents, AcceptedEventsUnavailableError } from '../ports/accepted-events';
import { acceptedEventRecordId } from './accepted-event-id';

export type DynamoDbAcceptedEventsOptions = {
  client: Pick<DynamoDBClient, 'send'>;
  tableName: string;
  /** Partition key attribute. @default 'id' */
  keyAttribute?: string;
  /** The table's TTL attribute, epoch seconds. @default 'expiration' */
  expiryAttribute?: string;
  /** @default Date.now */
  now?: () => number;
};

/**
 * Accepted events in the idempotency table: a strongly consistent GetItem (1 RRU: the record is tiny)
 * and one PutItem, conditional on no live record. DynamoDB's TTL
 * deletes a record up to two days late, so an expired one counts as absent and is overwritten.
 * A refused condition is a repeat; anything else (throttling after the SDK's retries, a network error)
 * is AcceptedEventsUnavailableError.
 */
export class DynamoDbAcceptedEvents implements AcceptedEvents {
  readonly #options: Required<DynamoDbAcceptedEventsOptions>;

  constructor(options: DynamoDbAcceptedEventsOptions) {
    this.#options = { keyAttribute: 'id', expiryAttribute: 'expiration', now: Date.now, ...options };
  }

  async has(key: string): Promise<boolean> {
    const { client, tableName, keyAttribute, expiryAttribute, now } = this.#options;
    try {
      const { Item } = await client.send(
        new GetItemCommand({
          TableName: tableName,
          Key: { [keyAttribute]: { S: acceptedEventRecordId(key) } },
          ConsistentRead: true,
          ProjectionExpression: '#expiry',
          ExpressionAttributeNames: { '#expiry': expiryAttribute },
        }),
      );
      const expiry = Number(Item?.[expiryAttribute]?.N ?? Number.NaN);
      return Number.isFinite(expiry) && expiry >= Math.floor(now() / 1000);
    } catch (error) {
      throw unavailable(error);
    }
  }

  async claim(key: string, ttlSeconds: number): Promise<boolean> {
    const { client, tableName, keyAttribute, expiryAttribute, now } = this.#options;
    const nowSeconds = Math.floor(now() / 1000);
    try {
      await client.send(
        new PutItemCommand({
          TableName: tableName,
          Item: {
            [keyAttribute]: { S: acceptedEventRecordId(key) },
            [expiryAttribute]: { N: String(nowSeconds + ttlSeconds) },
          },
          ConditionExpression: 'attribute_not_exists(#key) OR #expiry < :now',
          ExpressionAttributeNames: { '#key': keyAttribute, '#expiry': expiryAttribute },
          ExpressionAttributeValues: { ':now': { N: String(nowSeconds) } },
        }),
      );
      return true;
    } catch (error) {
      if (error instanceof ConditionalCheckFailedException) return false;
      throw unavailable(error);
    }
  }
}

function unavailable(error: unknown): AcceptedEventsUnavailableError {
  return new AcceptedEventsUnavailableError(`the dedup table did not answer (${(error as Error).name})`, {
    cause: error,
  });
}
