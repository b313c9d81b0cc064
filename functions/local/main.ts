import { ConfigError } from '../../shared/config/load-config';
import { TemplatesInvalidError } from '../../shared/sources';
import { MissingSecretsError } from './check-secrets';
import { startLocalRelay } from './local-relay';
import { readLocalSettings } from './local-settings';
import { watchParent } from './parent-watch';
import { PortInUseError } from './port-in-use';
import { printWelcome } from './welcome';

// `npm start`: the whole relay in one process. Prints the fixed ready line, then how to try it.
async function main(): Promise<void> {
  // Node 20 is supported here; the SDK's notice about its 2027 releases is for the README, not every start.
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
  // A closed terminal or pipe must not stop the relay before it has saved its state.
  process.stdout.on('error', () => {});
  process.stderr.on('error', () => {});
  const settings = readLocalSettings(process.env, process.cwd(), process.argv.slice(2));
  const relay = await startLocalRelay(settings);
  console.log(`relay listening on ${relay.ingress.url}`);
  printWelcome(relay, settings);

  let stopping = false;
  const shutdown = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    console.log(
      `${signal}: no new webhooks; delivering for up to ${settings.shutdownGraceMs} ms, then saving the rest`,
    );
    const { saved } = await relay.stop();
    console.log(
      saved > 0
        ? `saved ${saved} undelivered message(s) to ${settings.stateDir}; the next npm start re-queues them`
        : 'nothing left to deliver; bye',
    );
    process.exit(0);
  };
  process.on('SIGINT', () => void shutdown('SIGINT'));
  process.on('SIGTERM', () => void shutdown('SIGTERM'));
  // `kill <npm's pid>` ends npm and its shell but never reaches this process: stop as on SIGTERM.
  watchParent(() => void shutdown('parent process ended'));
}

main().catch((error: unknown) => {
  if (
    error instanceof ConfigError ||
    error instanceof PortInUseError ||
    error instanceof MissingSecretsError ||
    error instanceof TemplatesInvalidError
  )
    console.error(error.message);
  else if ((error as { code?: string }).code?.startsWith('ERR_PARSE_ARGS_'))
    console.error(`${(error as Error).message}\nusage: npm start [-- --fresh]`);
  else console.error(`relay failed to start: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
});
