import { RemovalPolicy } from 'aws-cdk-lib';
import { AttributeType, BillingMode, Table, TableEncryption } from 'aws-cdk-lib/aws-dynamodb';
import { Construct } from 'constructs';
import { CHECKPOINT_KEY_ATTRIBUTE } from '../../shared/adapters/dynamodb-checkpoint-store';

export interface PollCheckpointTableProps {
  /**
   * What happens to the table when it leaves the stack (losing it makes every poll start again from now).
   * @default RemovalPolicy.RETAIN
   */
  readonly removalPolicy?: RemovalPolicy;
  /**
   * Blocks `DeleteTable` even outside CloudFormation.
   * @default false
   */
  readonly deletionProtection?: boolean;
}

/**
 * Where the poller keeps its place per party and resource (docs/polling.md): partition key `id`
 * (`<partyId>#<resource>`), on-demand, point-in-time recovery, encrypted with the AWS managed key. No TTL:
 * a checkpoint lives as long as its party is polled.
 */
export class PollCheckpointTable extends Construct {
  readonly table: Table;

  constructor(scope: Construct, id: string, props: PollCheckpointTableProps = {}) {
    super(scope, id);
    this.table = new Table(this, 'Table', {
      partitionKey: { name: CHECKPOINT_KEY_ATTRIBUTE, type: AttributeType.STRING },
      billingMode: BillingMode.PAY_PER_REQUEST,
      encryption: TableEncryption.AWS_MANAGED,
      pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true },
      deletionProtection: props.deletionProtection ?? false,
      removalPolicy: props.removalPolicy ?? RemovalPolicy.RETAIN,
    });
  }
}
