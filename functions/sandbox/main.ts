import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { startSandbox } from '../../devkit/workspace365-sandbox';
import { demoApiKeys } from '../../devkit/workspace365-sandbox/demo-keys';
import { watchParent } from '../local/parent-watch';

/**
 * `npm run sandbox`: the Workspace 365 sandbox on its own, for trying the relay without an account.
 * Environment `demo` accepts the keys in secrets.local.example.json, in the local secrets file
 * (`RELAY_SECRETS`, default secrets.local.json) when there is one, and `SANDBOX_API_KEYS` (comma separated).
 * `PORT` picks the port (default 4365; 0 = any free port).
 */

const DEFAULT_PORT = 4365;
const EXAMPLE_SECRETS_FILE = fileURLToPath(new URL('../../secrets.local.example.json', import.meta.url));

function portFrom(value: string | undefined): number {
  if (value === undefined || value === '') return DEFAULT_PORT;
  const port = Number(value);
  if (!Number.isInteger(port) || port < 0 || port > 65_535) {
    throw new Error('PORT must be a whole number from 0 to 65535');
  }
  return port;
}

async function main(): Promise<void> {
  const localSecretsFile = resolve(process.cwd(), process.env.RELAY_SECRETS || 'secrets.local.json');
  const apiKeys = demoApiKeys([EXAMPLE_SECRETS_FILE, localSecretsFile], process.env.SANDBOX_API_KEYS);
  const starting = startSandbox({ port: portFrom(process.env.PORT), environments: { demo: { apiKeys } } });

  // Installed before the listening line is printed: whoever waits for that line may signal at once.
  let stopping = false;
  const stop = () => {
    if (stopping) return;
    stopping = true;
    starting
      .then((sandbox) => sandbox.close())
      .then(
        () => process.exit(0),
        () => process.exit(1),
      );
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
  // Under `npm run sandbox`, a signal to npm never reaches this process (see parent-watch.ts).
  watchParent(stop);

  const sandbox = await starting;
  console.log(`sandbox listening on ${sandbox.url}`);
}

main().catch((error: unknown) => {
  console.error(`sandbox: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
});
