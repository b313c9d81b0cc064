import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import type { CliIo } from './router';

/** The demo target's sandbox address (relay.config.example.json). */
const DEFAULT_SANDBOX_URL = 'http://127.0.0.1:4365';

/** `--url`, else the sandbox the running local relay started (its state file), else the demo port. */
export function sandboxUrl(flag: string | undefined, io: CliIo): string {
  if (flag) return flag.replace(/\/+$/, '');
  const stateFile = resolve(io.cwd, io.env.STATE_DIR ?? '.state', 'local.json');
  if (existsSync(stateFile)) {
    const { sandboxUrl: url } = JSON.parse(readFileSync(stateFile, 'utf8')) as { sandboxUrl?: string };
    if (url) return url;
  }
  return DEFAULT_SANDBOX_URL;
}

/** POSTs to a sandbox control endpoint; a refusal becomes an error with the sandbox's own words. */
export async function postControl(url: string, path: string, body?: unknown): Promise<unknown> {
  let response: Response;
  try {
    response = await fetch(`${url}${path}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
  } catch (error) {
    throw new Error(`cannot reach the sandbox at ${url}: is the local relay (npm start) running?`, {
      cause: error,
    });
  }
  const text = await response.text();
  if (!response.ok) throw new Error(`the sandbox answered ${response.status}: ${text}`);
  return text ? JSON.parse(text) : undefined;
}
