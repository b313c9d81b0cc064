import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { App, Stack, Validations } from 'aws-cdk-lib';
import { Queue } from 'aws-cdk-lib/aws-sqs';
import { AwsSolutionsChecks } from 'cdk-nag';
import type { IConstruct } from 'constructs';
import { beforeAll, describe, expect, it } from 'vitest';
import { addNagChecks } from '../../infra/relay-app';
import { SYNTH_TIMEOUT_MS, type SynthesizedRelay, synthRelay } from './support/relay-app';

let relay: SynthesizedRelay;

beforeAll(() => {
  // Synthesized with the plugin registered, as `cdk synth` does: this throws if any finding is unacknowledged.
  relay = synthRelay({ nag: true });
}, SYNTH_TIMEOUT_MS);

/** Every `Validations.of(x).acknowledge(...)` in the tree, with the construct it was made on. */
function acknowledgements(root: IConstruct) {
  return root.node.findAll().flatMap((construct) =>
    construct.node.metadata
      .filter((entry) => entry.type === Validations.ACKNOWLEDGED_RULES_METADATA_KEY)
      .flatMap((entry) =>
        Object.entries(entry.data as Record<string, string>).map(([id, reason]) => ({
          path: construct.node.path,
          id: id.replace(/^annotation::/i, ''),
          reason,
        })),
      ),
  );
}

describe('cdk-nag AwsSolutions checks', () => {
  it('report no unacknowledged error or warning on either stack', () => {
    const report = new AwsSolutionsChecks().validateScope(relay.app);
    const findings = report.violations.map(
      (violation) =>
        `${violation.severity} ${violation.ruleName} at ${violation.violatingResources.map((r) => r.constructPath).join(', ')}`,
    );
    expect(findings).toEqual([]);
    expect(report.success).toBe(true);
  });

  it('run at synth time (as in infra/app.ts) and leave no violation in the validation report', () => {
    const report = JSON.parse(
      readFileSync(join(relay.app.synth().directory, 'validation-report.json'), 'utf8'),
    ) as { pluginReports: { pluginName?: string; violations?: unknown[] }[] };
    expect(report.pluginReports.flatMap((plugin) => plugin.violations ?? [])).toEqual([]);
  });

  it('fail synthesis when a finding is not acknowledged (the plugin is really wired in)', () => {
    const app = new App();
    new Queue(new Stack(app, 'Careless'), 'PlainQueue');
    addNagChecks(app);
    expect(() => app.synth()).toThrow(/AwsSolutions-SQS/);
  });

  it('acknowledge only reviewed findings, each with a real reason', () => {
    const acks = acknowledgements(relay.app);
    expect([...new Set(acks.map((ack) => ack.id.replace(/\[.*\]$/, '')))].sort()).toEqual([
      'AwsSolutions-APIG4',
      'AwsSolutions-IAM5',
    ]);
    for (const ack of acks) expect(ack.reason.length).toBeGreaterThan(100);
    // APIG4 on the one public route only; IAM5 on each function's policy, for the stage's secret prefix only.
    expect(acks.filter((ack) => ack.id === 'AwsSolutions-APIG4').map((ack) => ack.path)).toEqual([
      expect.stringMatching(/^WebhookRelay-test-Api\/WebhookApi\/HttpApi\/POST--webhooks--\{partyId\}$/),
    ]);
    expect(
      acks
        .filter((ack) => ack.id.startsWith('AwsSolutions-IAM5'))
        .map((ack) => ack.path)
        .sort(),
    ).toEqual(['WebhookRelay-test-Api/Ingress/Role', 'WebhookRelay-test-Api/Worker/Role']);
    for (const ack of acks.filter((candidate) => candidate.id.includes('IAM5'))) {
      expect(ack.id).toBe(
        'AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:secretsmanager:<AWS::Region>:<AWS::AccountId>:secret:webhook-relay/test/*]',
      );
    }
  });
});
