import { COMMANDS } from './commands';
import { createRouter } from './router';

// `npm run relay -- <command>`: the operator's tool for the relay's queues.
const router = createRouter('relay', COMMANDS);
process.exitCode = await router.run(process.argv.slice(2), {
  out: (line) => process.stdout.write(`${line}\n`),
  err: (line) => process.stderr.write(`${line}\n`),
  env: process.env,
  cwd: process.cwd(),
});
