import { ENDPOINT_PATH, type PayloadKind } from './schemas';

/** A target that does not form a valid URL (the config schema normally prevents this). */
export class InvalidTargetError extends Error {
  override readonly name = 'InvalidTargetError';
}

/** The endpoint URL: `{baseUrl}/{environment}/api/activities` or `/api/activities-batch`. */
export function endpointUrl(kind: PayloadKind, target: { baseUrl: string; environment: string }): URL {
  const base = target.baseUrl.replace(/\/+$/, '');
  const text = `${base}/${encodeURIComponent(target.environment)}/${ENDPOINT_PATH[kind]}`;
  if (!URL.canParse(text)) throw new InvalidTargetError('the Workspace 365 base URL is not a valid URL');
  return new URL(text);
}
