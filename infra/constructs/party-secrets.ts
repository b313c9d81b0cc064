import { RemovalPolicy, SecretValue, Validations } from 'aws-cdk-lib';
import { Secret } from 'aws-cdk-lib/aws-secretsmanager';
import { Construct } from 'constructs';
import type { PartyConfig } from '../../shared/config/relay-config';

/**
 * The value every party secret is created with. It deliberately fails the PartySecret schema (empty key,
 * no webhook secrets, an unknown key), so ingress answers 503 and the worker retries until an operator
 * puts the real value. CloudFormation only rewrites a secret's value when this template value changes:
 * keep this text stable, or a deploy would overwrite the values operators have put.
 */
export const PLACEHOLDER_SECRET_VALUE = JSON.stringify({
  workspace365ApiKey: '',
  webhookSecrets: [],
  placeholder:
    'NOT USABLE - set the real value: aws secretsmanager put-secret-value --secret-id <name> --secret-string \'{"workspace365ApiKey":"...","webhookSecrets":["..."]}\'',
});

export interface PartySecretsProps {
  /** The configured parties; one secret is created per party, named exactly `party.secretName`. */
  readonly parties: readonly Pick<PartyConfig, 'id' | 'secretName'>[];
  /**
   * What happens to the secrets (and the values operators put in them) when they leave the stack.
   * @default RemovalPolicy.RETAIN
   */
  readonly removalPolicy?: RemovalPolicy;
}

/**
 * One Secrets Manager secret per party, encrypted with the account's `aws/secretsmanager` key and
 * created with an obviously unusable placeholder. Operators fill each one with
 * `aws secretsmanager put-secret-value --secret-id <secretName> --secret-string '{"workspace365ApiKey":"…","webhookSecrets":["…"]}'`.
 */
export class PartySecrets extends Construct {
  /** Secrets by party id. */
  readonly secrets: ReadonlyMap<string, Secret>;

  constructor(scope: Construct, id: string, props: PartySecretsProps) {
    super(scope, id);
    const secrets = new Map<string, Secret>();
    for (const party of props.parties) {
      const secret = new Secret(this, party.id, {
        secretName: party.secretName,
        description: `Webhook relay party "${party.id}": {"workspace365ApiKey","webhookSecrets":[...]} - fill with put-secret-value`,
        secretStringValue: SecretValue.unsafePlainText(PLACEHOLDER_SECRET_VALUE),
        removalPolicy: props.removalPolicy ?? RemovalPolicy.RETAIN,
      });
      Validations.of(secret).acknowledge({
        id: 'AwsSolutions-SMG4',
        reason:
          'No automatic rotation: the Workspace 365 API key is issued in the Workspace 365 portal and the webhook ' +
          'secrets are shared with the sender, so no Lambda can mint new ones. Operators rotate by putting a value ' +
          'with both the old and the new webhook secret (several are accepted at once), then removing the old one.',
      });
      secrets.set(party.id, secret);
    }
    this.secrets = secrets;
  }
}
