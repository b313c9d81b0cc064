import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { demoConfig, demoSecrets } from '../../../../devkit/fakes/demo';
import { checkPartySecrets, MissingSecretsError } from '../../../../functions/local/check-secrets';
import { FileSecretStore } from '../../../../shared/adapters/file-secret-store';

function secretsFile(text: string): string {
  const file = join(mkdtempSync(join(tmpdir(), 'relay-secrets-')), 'secrets.local.json');
  writeFileSync(file, text);
  return file;
}

describe('local secrets checked at npm start', () => {
  it('lists every party whose secret is missing or malformed, not only the first', async () => {
    const config = demoConfig();
    const [first, second, third] = config.parties;
    const secrets = demoSecrets();
    delete secrets[first?.secretName ?? ''];
    delete secrets[third?.secretName ?? ''];
    const all = secrets as Record<string, unknown>;
    all[second?.secretName ?? ''] = { workspace365ApiKey: 'k' };
    const file = secretsFile(JSON.stringify(secrets));
    const failure = await checkPartySecrets(config, new FileSecretStore(file), file).catch(
      (error: unknown) => error,
    );
    expect(failure).toBeInstanceOf(MissingSecretsError);
    const { problems, message } = failure as MissingSecretsError;
    expect(problems).toHaveLength(3);
    expect(problems[0]).toMatch(new RegExp(`^parties\\[${first?.id}\\]\\.secretName: .*not found`));
    expect(problems[1]).toMatch(new RegExp(`^parties\\[${second?.id}\\]\\.secretName: .*webhookSecrets`));
    expect(problems[2]).toMatch(new RegExp(`^parties\\[${third?.id}\\]\\.secretName: .*not found`));
    expect(message).toContain(file);
  });

  it('a secrets file that is not JSON: names the file and the position, never quotes it', async () => {
    const file = secretsFile(
      '{\n  "webhook-relay/a": {\n    "webhookSecrets": [supersecretvalue123]\n  }\n}',
    );
    const failure = (await new FileSecretStore(file)
      .get('webhook-relay/a')
      .catch((error: unknown) => error)) as Error;
    expect(failure.message).toContain(`secrets file ${file} is not valid JSON`);
    expect(failure.message).toContain('line 3, column 24');
    expect(failure.message).not.toContain('supersecret');
  });
});
