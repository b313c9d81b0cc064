import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { demoConfig } from '../../../devkit/fakes/demo';
import { startLocalRelay } from '../../../functions/local/local-relay';
import { readLocalSettings } from '../../../functions/local/local-settings';
import { TemplatesInvalidError } from '../../../shared/sources';

describe('npm start with a broken template', () => {
  it('refuses to start and lists every broken JSONata option by party, before anything listens', async () => {
    const config = demoConfig();
    const template = config.parties.find((party) => party.source === 'template');
    if (!template) throw new Error('the demo config has a template party');
    template.options = { ...template.options, filter: "status = 'won", eventId: 'deal.ids[0' };
    const dir = mkdtempSync(join(tmpdir(), 'relay-start-'));
    const configFile = join(dir, 'relay.config.json');
    writeFileSync(configFile, JSON.stringify(config));
    const failure = await startLocalRelay(
      readLocalSettings({
        RELAY_CONFIG: configFile,
        PORT: '0',
        SANDBOX_PORT: '0',
        STATE_DIR: join(dir, 'state'),
      }),
    ).catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(TemplatesInvalidError);
    expect((failure as TemplatesInvalidError).problems).toEqual([
      expect.stringMatching(new RegExp(`^parties\\[${template.id}\\]\\.options\\.eventId .*Expected "\\]"`)),
      expect.stringMatching(new RegExp(`^parties\\[${template.id}\\]\\.options\\.filter `)),
    ]);
  });
});
