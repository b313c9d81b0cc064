import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { loadRelayConfig, resolveConfigPath } from '../../../shared/config/load-config';
import { checkParty } from '../party/check-party';
import { secretTarget } from '../party/secret-target';
import { type CliCommand, UsageError } from '../router';

export const partyCheck: CliCommand = {
  name: 'party check',
  summary:
    'Check a party before traffic: its secret is readable and well-formed, its target reachable, its Workspace 365 key accepted (creates nothing).',
  usage: '<partyId> | --all [--config <file>] [--stage <stage> [--region <region>] | --secrets-file <file>]',
  async run(args, io) {
    const { values, positionals } = parseArgs({
      args,
      options: {
        config: { type: 'string' },
        stage: { type: 'string' },
        region: { type: 'string' },
        'secrets-file': { type: 'string' },
        all: { type: 'boolean' },
      },
      strict: true,
      allowPositionals: true,
    });
    const [partyId] = positionals;
    if (!partyId && !values.all) throw new UsageError('which party? give its id, or --all');
    if (partyId && values.all) throw new UsageError('give a party id or --all, not both');
    if (values.region !== undefined && values.stage === undefined) {
      throw new UsageError(
        '--region needs --stage (the secret is read from Secrets Manager only for a stage)',
      );
    }
    const configFile = values.config ? resolve(io.cwd, values.config) : resolveConfigPath(io.env, io.cwd);
    const config = loadRelayConfig(configFile);
    const parties = values.all
      ? config.parties
      : config.parties.filter((candidate) => candidate.id === partyId);
    if (parties.length === 0) {
      throw new UsageError(
        `no party "${partyId}" in ${configFile}; parties: ${config.parties.map((p) => p.id).join(', ')}`,
      );
    }
    const target = secretTarget(
      {
        purpose: 'read',
        ...(values.stage === undefined ? {} : { stage: values.stage }),
        ...(values.region === undefined ? {} : { region: values.region }),
        ...(values['secrets-file'] === undefined ? {} : { secretsFile: values['secrets-file'] }),
      },
      io.env,
      io.cwd,
    );
    const notReady: string[] = [];
    for (const party of parties) {
      io.out(
        `party "${party.id}" (${party.source}, ${party.auth.scheme}) → ${party.target.baseUrl}, environment "${party.target.environment}"`,
      );
      io.out(`secret: ${target.describe(party.secretName)}`);
      const steps = await checkParty(party, { secrets: target.store, fetch: globalThis.fetch });
      for (const step of steps) io.out(`  ${step.ok ? 'ok  ' : 'FAIL'}  ${step.check}: ${step.detail}`);
      const failed = steps.filter((step) => !step.ok).length;
      if (failed === 0) io.out(`party "${party.id}" is ready for traffic`);
      else {
        notReady.push(party.id);
        io.err(`party "${party.id}" is not ready: ${failed} check${failed === 1 ? '' : 's'} failed`);
      }
    }
    if (parties.length > 1) {
      io.out(
        `${parties.length - notReady.length} of ${parties.length} parties ready${notReady.length ? `; not ready: ${notReady.join(', ')}` : ''}`,
      );
    }
    return notReady.length === 0 ? 0 : 1;
  },
};
