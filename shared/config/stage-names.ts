/**
 * How a deployment stage appears in the names the relay uses in AWS (docs/deploy.md). Shared by the CDK app,
 * the functions and the CLI, so a secret the CLI writes is the one the functions read.
 */

/** Environment variable the stack sets on both functions: the prefix of every party secret's physical name. */
export const SECRET_NAME_PREFIX_ENV = 'SECRET_NAME_PREFIX';

/**
 * `webhook-relay/<stage>/`: a party's secret lives at `<prefix><secretName>`, so one config serves every
 * stage and the functions' IAM grant is one ARN pattern (`secret:webhook-relay/<stage>/*`).
 */
export function partySecretPrefix(stage: string): string {
  return `webhook-relay/${stage}/`;
}

/** The physical Secrets Manager name of a party's secret in a stage. */
export function partySecretId(stage: string, secretName: string): string {
  return `${partySecretPrefix(stage)}${secretName}`;
}

/**
 * `POWERTOOLS_SERVICE_NAME` of a function in a stage: the `service` dimension of every metric, so each
 * stage's alarms and dashboard see only their own series while the dimension sets stay the same.
 */
export function relayServiceName(stage: string, fn: 'ingress' | 'worker' | 'poller'): string {
  return `webhook-relay-${stage}-${fn}`;
}
