import { Duration, RemovalPolicy, Stack } from 'aws-cdk-lib';
import { PolicyStatement, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import { Key } from 'aws-cdk-lib/aws-kms';
import { Topic } from 'aws-cdk-lib/aws-sns';
import { EmailSubscription } from 'aws-cdk-lib/aws-sns-subscriptions';
import { Construct } from 'constructs';

export interface AlarmTopicProps {
  /**
   * An e-mail address subscribed to the topic (AWS sends a confirmation mail first).
   * @default - no subscription; subscribe a pager, chat or mail endpoint yourself
   */
  readonly alarmEmail?: string;
  /**
   * Display name of the topic (shown as the sender of e-mail notifications).
   * @default 'Webhook relay alarms'
   */
  readonly displayName?: string;
}

/**
 * The SNS topic the relay's alarms notify: encrypted with a customer-managed KMS key (with rotation)
 * because the AWS managed `aws/sns` key cannot be used by CloudWatch alarms, TLS-only publishing, and
 * CloudWatch allowed to publish for alarms of this account only.
 */
export class AlarmTopic extends Construct {
  readonly topic: Topic;
  readonly key: Key;

  constructor(scope: Construct, id: string, props: AlarmTopicProps = {}) {
    super(scope, id);
    const account = Stack.of(this).account;
    const cloudWatch = new ServicePrincipal('cloudwatch.amazonaws.com');
    const fromThisAccount = { StringEquals: { 'aws:SourceAccount': account } };

    this.key = new Key(this, 'Key', {
      description: 'Encrypts the webhook relay alarm topic',
      enableKeyRotation: true,
      // Only in-flight notifications are encrypted with it; nothing to keep once the topic is gone.
      removalPolicy: RemovalPolicy.DESTROY,
      pendingWindow: Duration.days(7),
    });
    this.key.addToResourcePolicy(
      new PolicyStatement({
        sid: 'AllowCloudWatchAlarmsToPublishEncrypted',
        principals: [cloudWatch],
        actions: ['kms:Decrypt', 'kms:GenerateDataKey'],
        resources: ['*'], // in a key policy "*" means this key
        conditions: fromThisAccount,
      }),
    );

    this.topic = new Topic(this, 'Topic', {
      displayName: props.displayName ?? 'Webhook relay alarms',
      masterKey: this.key,
      enforceSSL: true,
    });
    this.topic.addToResourcePolicy(
      new PolicyStatement({
        sid: 'AllowCloudWatchAlarmsToPublish',
        principals: [cloudWatch],
        actions: ['sns:Publish'],
        resources: [this.topic.topicArn],
        conditions: fromThisAccount,
      }),
    );
    if (props.alarmEmail) this.topic.addSubscription(new EmailSubscription(props.alarmEmail));
  }
}
