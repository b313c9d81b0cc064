import { writeFileSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
import { AUTH_SCHEMES, type RelayConfigInput } from '../shared/config/relay-config';

/**
 * A config of `count` plausible parties (every scheme, https targets), to check that the stacks stay
 * inside the AWS limits as parties grow (docs/deploy.md "A thousand parties"):
 *   npx tsx devkit/many-parties.ts 1000 .scratch/parties-1000.json
 *   npx cdk synth -c stage=scale -c configFile=.scratch/parties-1000.json --quiet
 */
export function manyPartiesConfig(count: number): RelayConfigInput {
  return {
    parties: Array.from({ length: count }, (_, index) => {
      const id = `party-${String(index + 1).padStart(4, '0')}`;
      return {
        id,
        source: 'workspace365',
        auth: { scheme: AUTH_SCHEMES[index % AUTH_SCHEMES.length] ?? 'token' },
        target: {
          baseUrl: `https://tenant-${index % 50}.workspace365.net`,
          environment: `env-${index % 50}`,
        },
        secretName: `webhook-relay/${id}`,
        options: {},
      };
    }),
  };
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const [countText = '1000', file] = process.argv.slice(2);
  const count = Number(countText);
  if (!Number.isInteger(count) || count < 1) {
    console.error('usage: tsx devkit/many-parties.ts <count> [output file]');
    process.exit(2);
  }
  const text = `${JSON.stringify(manyPartiesConfig(count), null, 2)}\n`;
  if (file) writeFileSync(file, text);
  else process.stdout.write(text);
}
