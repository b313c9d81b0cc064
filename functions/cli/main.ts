import { COMMANDS } from './commands';
import { createRouter } from './router';

// `npm run relay -- <command>`: the operator's tool for the relay's queues.

// `relay dlq list | head -1`: once the reader has gone, there is no one left to tell; end quietly.
for (const stream of [process.stdout, process.stderr]) {
  stream.on('error', (error: NodeJS.ErrnoException) => {
    if (error.code === 'EPIPE') process.exit(0);
    throw error;
  });
}
const router = createRouter('relay', COMMANDS);
// Node 20 is supported; the SDK's notice about its 2027 releases belongs in the README, not every command.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
process.exitCode = await router.run(process.argv.slice(2), {
  out: (line) => process.stdout.write(`${line}\n`),
  err: (line) => process.stderr.write(`${line}\n`),
  env: process.env,
  cwd: process.cwd(),
  stdin: process.stdin,
});
