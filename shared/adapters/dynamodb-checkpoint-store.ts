import type { AwsJsonClient } from '../aws/aws-json-client';
import { type CheckpointStore, CheckpointUnavailableError } from '../ports/checkpoint-store';

/** Attribute names of the checkpoint table (partition key `id` = `<partyId>#<resource>`). */
export const CHECKPOINT_KEY_ATTRIBUTE = 'id';
export const CHECKPOINT_VALUE_ATTRIBUTE = 'checkpoint';

export type DynamoDbCheckpointStoreOptions = {
  /** A DynamoDB client (`createAwsJsonClient({ service: 'dynamodb' })`). */
  client: AwsJsonClient;
  tableName: string;
};

/**
 * Checkpoints in DynamoDB: one item per party and resource, the value as a JSON string (an item holds
 * at most 400 KB, which bounds a Huddle membership snapshot; docs/polling.md). Strongly consistent reads,
 * so a run always starts from the last checkpoint written.
 */
export class DynamoDbCheckpointStore implements CheckpointStore {
  readonly #client: AwsJsonClient;
  readonly #tableName: string;

  constructor(options: DynamoDbCheckpointStoreOptions) {
    this.#client = options.client;
    this.#tableName = options.tableName;
  }

  async get(partyId: string, resource: string): Promise<unknown> {
    try {
      const { Item } = await this.#client.call<{ Item?: Record<string, { S?: string }> }>('GetItem', {
        TableName: this.#tableName,
        Key: { [CHECKPOINT_KEY_ATTRIBUTE]: { S: itemKey(partyId, resource) } },
        ConsistentRead: true,
      });
      const text = Item?.[CHECKPOINT_VALUE_ATTRIBUTE]?.S;
      return text === undefined ? undefined : JSON.parse(text);
    } catch (error) {
      throw new CheckpointUnavailableError(`cannot read the checkpoint of ${partyId}/${resource}`, {
        cause: error,
      });
    }
  }

  async put(partyId: string, resource: string, value: unknown): Promise<void> {
    try {
      await this.#client.call('PutItem', {
        TableName: this.#tableName,
        Item: {
          [CHECKPOINT_KEY_ATTRIBUTE]: { S: itemKey(partyId, resource) },
          [CHECKPOINT_VALUE_ATTRIBUTE]: { S: JSON.stringify(value) },
          updatedAt: { S: new Date().toISOString() },
        },
      });
    } catch (error) {
      throw new CheckpointUnavailableError(`cannot write the checkpoint of ${partyId}/${resource}`, {
        cause: error,
      });
    }
  }
}

const itemKey = (partyId: string, resource: string) => `${partyId}#${resource}`;
