import { type AwsJsonClient, AwsServiceError } from '../aws/aws-json-client';
import type { CircuitState, CircuitStateStore, StoredCircuit } from '../ports/circuit-state-store';

export type DynamoDbCircuitStateStoreOptions = {
  /** A DynamoDB client (`createAwsJsonClient({ service: 'dynamodb' })`). */
  client: AwsJsonClient;
  /** The idempotency table (partition key `id`, TTL on `expiration`): breakers use their own key prefix. */
  tableName: string;
  /** An item nobody wrote for this long is removed by the table's TTL. @default 14 days */
  expiresAfterSeconds?: number;
};

/** Keeps breaker items apart from the Powertools idempotency records in the same table. */
export const CIRCUIT_KEY_PREFIX = 'circuit-breaker#';

/**
 * Circuit breaker state in DynamoDB: one item per environment in the idempotency table, written with
 * PutItem conditioned on the version it replaces (docs/outage.md). Reads are strongly consistent, so a
 * worker that lost a race sees the winner's state.
 */
export class DynamoDbCircuitStateStore implements CircuitStateStore {
  readonly #client: AwsJsonClient;
  readonly #tableName: string;
  readonly #expiresAfterSeconds: number;

  constructor(options: DynamoDbCircuitStateStoreOptions) {
    this.#client = options.client;
    this.#tableName = options.tableName;
    this.#expiresAfterSeconds = options.expiresAfterSeconds ?? 14 * 24 * 3600;
  }

  async read(key: string): Promise<StoredCircuit | undefined> {
    const { Item } = await this.#client.call<{ Item?: Record<string, { S?: string; N?: string }> }>(
      'GetItem',
      {
        TableName: this.#tableName,
        Key: { id: { S: CIRCUIT_KEY_PREFIX + key } },
        ConsistentRead: true,
      },
    );
    if (!Item) return undefined;
    const version = Number(Item.version?.N);
    const state = parseState(Item.state?.S);
    // An item this code cannot read is treated as a closed breaker at its version, so the next write replaces it.
    return { state: state ?? { status: 'closed' }, version: Number.isSafeInteger(version) ? version : 0 };
  }

  async compareAndSet(key: string, expectedVersion: number, state: CircuitState): Promise<boolean> {
    try {
      await this.#client.call('PutItem', {
        TableName: this.#tableName,
        Item: {
          id: { S: CIRCUIT_KEY_PREFIX + key },
          version: { N: String(expectedVersion + 1) },
          state: { S: JSON.stringify(state) },
          expiration: { N: String(Math.floor(Date.now() / 1000) + this.#expiresAfterSeconds) },
        },
        ...(expectedVersion === 0
          ? { ConditionExpression: 'attribute_not_exists(id)' }
          : {
              ConditionExpression: '#version = :expected',
              ExpressionAttributeNames: { '#version': 'version' },
              ExpressionAttributeValues: { ':expected': { N: String(expectedVersion) } },
            }),
      });
      return true;
    } catch (error) {
      if (error instanceof AwsServiceError && error.code === 'ConditionalCheckFailedException') return false;
      throw error;
    }
  }
}

function parseState(text: string | undefined): CircuitState | undefined {
  if (text === undefined) return undefined;
  try {
    const value = JSON.parse(text) as CircuitState;
    return value && ['closed', 'open', 'half-open'].includes(value.status) ? value : undefined;
  } catch {
    return undefined;
  }
}
