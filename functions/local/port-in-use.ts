import { readFileSync } from 'node:fs';
import { join, relative } from 'node:path';

/** `npm start` could not listen: the message says which port, who needed it and what to do. */
export class PortInUseError extends Error {
  override readonly name = 'PortInUseError';
}

export function isAddressInUse(error: unknown): boolean {
  return (error as { code?: unknown } | null)?.code === 'EADDRINUSE';
}

type Holder = { kind: 'relay'; pid: number; stateFile: string } | { kind: 'unknown' };

/**
 * Who probably holds the port: an earlier relay whose process is still alive (its pid is in the
 * connection file it wrote at start), else someone we cannot name.
 */
export function portHolder(stateDir: string, cwd = process.cwd()): Holder {
  const stateFile = join(stateDir, 'local.json');
  try {
    const { pid } = JSON.parse(readFileSync(stateFile, 'utf8')) as { pid?: unknown };
    if (typeof pid !== 'number' || pid === process.pid) return { kind: 'unknown' };
    process.kill(pid, 0);
    const shown = relative(cwd, stateFile);
    return { kind: 'relay', pid, stateFile: shown && !shown.startsWith('..') ? shown : stateFile };
  } catch {
    return { kind: 'unknown' };
  }
}

function earlierRelay(holder: Holder): string {
  return holder.kind === 'relay'
    ? ` An earlier relay is still running (pid ${holder.pid}, from ${holder.stateFile}): stop it with "kill ${holder.pid}" (it saves its queue first).`
    : '';
}

export function ingressPortInUse(port: number, holder: Holder, cause: unknown): PortInUseError {
  const advice =
    holder.kind === 'relay'
      ? `${earlierRelay(holder)} Or run this one on another port: PORT=${port + 1} npm start (PORT=0 takes any free port).`
      : ` Something else listens there: stop it, or run the relay on another port: PORT=${port + 1} npm start (PORT=0 takes any free port).`;
  return new PortInUseError(
    `port ${port} is already in use, so the relay cannot take webhooks on 127.0.0.1:${port} (PORT).${advice}`,
    { cause },
  );
}

export function sandboxPortInUse(
  port: number,
  parties: readonly { id: string; target: { baseUrl: string } }[],
  holder: Holder,
  cause: unknown,
): PortInUseError {
  const names = parties.map((party) => party.id).join(', ');
  const targets = [...new Set(parties.map((party) => party.target.baseUrl))].join(', ');
  return new PortInUseError(
    `port ${port} is already in use, so the built-in Workspace 365 sandbox cannot start there. ` +
      `Part${parties.length === 1 ? 'y' : 'ies'} ${names} deliver${parties.length === 1 ? 's' : ''} to ${targets} ` +
      `(target.baseUrl), which RELAY_SANDBOX=auto serves with the sandbox.${earlierRelay(holder)} ` +
      `If that server is your own Workspace 365 stand-in or a tunnel, start with RELAY_SANDBOX=off to deliver to it; ` +
      `otherwise free the port, or set SANDBOX_PORT=0 to run the sandbox on any free port.`,
    { cause },
  );
}
