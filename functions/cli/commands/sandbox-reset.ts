import { parseArgs } from 'node:util';
import type { CliCommand } from '../router';
import { postControl, sandboxUrl } from '../sandbox-target';

export const sandboxReset: CliCommand = {
  name: 'sandbox reset',
  summary: 'Clear the local Workspace 365 sandbox: scripted faults, chaos, recorded requests and activities.',
  usage: '[--url <sandbox URL>]',
  async run(args, io) {
    const { values } = parseArgs({ args, options: { url: { type: 'string' } }, strict: true });
    const url = sandboxUrl(values.url, io);
    await postControl(url, '/_sandbox/reset');
    io.out(`${url}: reset`);
    return 0;
  },
};
