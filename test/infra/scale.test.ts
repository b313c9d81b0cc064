import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { manyPartiesConfig } from '../../devkit/many-parties';
import { SYNTH_TIMEOUT_MS, type SynthesizedRelay, synthRelay } from './support/relay-app';

/** CloudFormation and IAM quotas a template must stay inside (documented AWS limits). */
const MAX_RESOURCES_PER_STACK = 500;
const MAX_OUTPUTS_PER_STACK = 200;
const MAX_TEMPLATE_BODY_BYTES = 1_000_000; // 1 MB from S3 (`cdk deploy` uploads the template)
const MAX_INLINE_ROLE_POLICY_CHARS = 10_240; // whitespace does not count

const PARTIES = 1000;
let dir: string;
let relay: SynthesizedRelay;

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'relay-scale-'));
  const configFile = join(dir, 'relay.config.json');
  writeFileSync(configFile, JSON.stringify(manyPartiesConfig(PARTIES)));
  // With cdk-nag, as `cdk synth` runs it.
  relay = synthRelay({ context: { stage: 'scale', configFile }, nag: true });
}, 2 * SYNTH_TIMEOUT_MS);
afterAll(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe(`${PARTIES} parties`, () => {
  it('are all in the config the stacks were built from', () => {
    expect(relay.settings.config.parties).toHaveLength(PARTIES);
  });

  it.each(['stateful', 'api'] as const)(
    '%s stack: resources, outputs and template size inside the limits',
    (name) => {
      const template = (name === 'stateful' ? relay.statefulTemplate : relay.apiTemplate).toJSON();
      expect(Object.keys(template.Resources ?? {}).length).toBeLessThanOrEqual(MAX_RESOURCES_PER_STACK);
      expect(Object.keys(template.Outputs ?? {}).length).toBeLessThanOrEqual(MAX_OUTPUTS_PER_STACK);
      // `cdk synth` writes the template indented: measure that, the larger form.
      expect(Buffer.byteLength(JSON.stringify(template, null, 1))).toBeLessThanOrEqual(
        MAX_TEMPLATE_BODY_BYTES,
      );
    },
  );

  it(
    'no party adds a resource: as many as for the two-party fixture',
    () => {
      const count = (r: SynthesizedRelay) =>
        Object.keys(r.statefulTemplate.toJSON().Resources).length +
        Object.keys(r.apiTemplate.toJSON().Resources).length;
      expect(count(relay)).toBe(count(synthRelay({ context: { stage: 'scale' } })));
    },
    SYNTH_TIMEOUT_MS,
  );

  it('every inline policy stays under the IAM limit for a role', () => {
    const policies = Object.values(
      relay.apiTemplate.findResources('AWS::IAM::Policy') as Record<
        string,
        { Properties: { PolicyDocument: unknown } }
      >,
    );
    expect(policies.length).toBeGreaterThanOrEqual(2);
    for (const policy of policies) {
      expect(JSON.stringify(policy.Properties.PolicyDocument).length).toBeLessThanOrEqual(
        MAX_INLINE_ROLE_POLICY_CHARS,
      );
    }
  });
});
