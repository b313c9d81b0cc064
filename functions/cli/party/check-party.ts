import { signWebhook, UnusableSecretError } from '../../../shared/auth';
import type { PartyConfig } from '../../../shared/config/relay-config';
import type { PartySecret } from '../../../shared/config/secret-value';
import type { SecretStore } from '../../../shared/ports/secret-store';
import { endpointUrl } from '../../../shared/workspace365/client';

export type CheckStep = {
  check: 'secret' | 'webhook secrets' | 'target' | 'api key';
  ok: boolean;
  detail: string;
};

export type CheckDeps = {
  secrets: SecretStore;
  fetch: typeof fetch;
  /** How long to wait for Workspace 365. @default 10000 */
  timeoutMs?: number;
};

/**
 * Everything a party needs before its first webhook, in order, stopping at the first step the rest depend
 * on: the secret is readable and has the fixed shape; each webhook secret can sign for the party's
 * scheme; the target answers; and it accepts the party's key. The key is tested with an empty activity
 * (`{}`): Workspace 365 checks the key before the body, so 400 means "key accepted, body refused" and
 * nothing is created; 401/403 means the key is refused.
 */
export async function checkParty(party: PartyConfig, deps: CheckDeps): Promise<CheckStep[]> {
  const steps: CheckStep[] = [];
  let secret: PartySecret;
  try {
    secret = await deps.secrets.get(party.secretName, { forceFetch: true });
    steps.push({ check: 'secret', ok: true, detail: 'readable and well-formed' });
  } catch (error) {
    // SecretUnavailableError says what is wrong (missing, not JSON, which field), never the value.
    steps.push({ check: 'secret', ok: false, detail: (error as Error).message });
    return steps;
  }

  const unusable = secret.webhookSecrets.flatMap((webhookSecret, index) => {
    try {
      signWebhook(party.auth, webhookSecret, Buffer.from('{}'));
      return [];
    } catch (error) {
      if (error instanceof UnusableSecretError) return [`webhookSecrets[${index}]: ${error.message}`];
      throw error;
    }
  });
  steps.push(
    unusable.length === 0
      ? {
          check: 'webhook secrets',
          ok: true,
          detail: `${secret.webhookSecrets.length} usable for ${party.auth.scheme}`,
        }
      : { check: 'webhook secrets', ok: false, detail: unusable.join('; ') },
  );

  const url = endpointUrl('activity', party.target);
  let response: Response;
  try {
    response = await deps.fetch(url, {
      method: 'POST',
      headers: {
        Authorization: `Workspace365 ${secret.workspace365ApiKey}`,
        'Content-Type': 'application/json',
        Accept: 'application/json',
      },
      body: '{}',
      redirect: 'manual',
      signal: AbortSignal.timeout(deps.timeoutMs ?? 10_000),
    });
    await response.body?.cancel();
  } catch (error) {
    steps.push({
      check: 'target',
      ok: false,
      detail: `${url.origin} is not reachable: ${networkCause(error)}`,
    });
    return steps;
  }
  steps.push({ check: 'target', ok: true, detail: `${url.origin} answers (${response.status})` });

  const environment = `environment "${party.target.environment}"`;
  const status = response.status;
  if (status === 400) {
    steps.push({
      check: 'api key',
      ok: true,
      detail: `accepted by ${environment} (the empty test activity was refused for its body: nothing was created)`,
    });
  } else if (status === 401 || status === 403) {
    steps.push({
      check: 'api key',
      ok: false,
      detail: `${environment} refused party "${party.id}"'s Workspace 365 API key (${status}): put the key issued for this environment in the secret`,
    });
  } else if (status === 404) {
    steps.push({
      check: 'api key',
      ok: false,
      detail: `no Workspace 365 API at ${url.href} (404): check target.baseUrl and target.environment`,
    });
  } else if (status >= 200 && status < 300) {
    steps.push({
      check: 'api key',
      ok: false,
      detail: `${url.href} accepted an empty activity (${status}): that is not how the Workspace 365 API answers; check target.baseUrl`,
    });
  } else {
    steps.push({
      check: 'api key',
      ok: false,
      detail: `could not confirm: ${url.origin} answered ${status} to an empty activity (expected 400 or 401/403)`,
    });
  }
  return steps;
}

/** What undici puts in `cause`: a DNS, TLS or socket code (ENOTFOUND, ECONNREFUSED, CERT_HAS_EXPIRED…). */
function networkCause(error: unknown): string {
  if ((error as Error).name === 'TimeoutError') return 'no answer in time (timeout)';
  const cause = (error as { cause?: { code?: unknown; message?: unknown } }).cause;
  const code = typeof cause?.code === 'string' ? cause.code : undefined;
  const hint = code ? CAUSE_HINTS[code] : undefined;
  if (code) return hint ? `${code} (${hint})` : code;
  return typeof cause?.message === 'string' ? cause.message : (error as Error).message;
}

const CAUSE_HINTS: Record<string, string> = {
  ENOTFOUND: 'DNS: the host name does not resolve',
  EAI_AGAIN: 'DNS: lookup failed, try again',
  ECONNREFUSED: 'nothing listens on that port',
  ECONNRESET: 'the connection was reset',
  ETIMEDOUT: 'the connection timed out',
  UND_ERR_CONNECT_TIMEOUT: 'the connection timed out',
  CERT_HAS_EXPIRED: 'TLS: the certificate has expired',
  DEPTH_ZERO_SELF_SIGNED_CERT: 'TLS: self-signed certificate',
  SELF_SIGNED_CERT_IN_CHAIN: 'TLS: self-signed certificate in the chain',
  UNABLE_TO_VERIFY_LEAF_SIGNATURE: 'TLS: the certificate chain is incomplete',
  ERR_TLS_CERT_ALTNAME_INVALID: 'TLS: the certificate is for another host name',
  EPROTO: 'TLS: protocol error (is it really https?)',
};
