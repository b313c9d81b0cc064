/** The one webhook route, as the HTTP API declares it (infra/constructs/webhook-http-api.ts). */
export const WEBHOOK_ROUTE_KEY = 'POST /webhooks/{partyId}';

const WEBHOOK_PATH = /^\/webhooks\/([^/?#]+)\/?$/;

/**
 * The party id of a webhook path, percent-decoded; `undefined` off the route or when the segment does not
 * decode (`%zz`), which the core answers 404 party_unknown like any other unknown party.
 */
export function partyIdFromPath(rawPath: string): string | undefined {
  const segment = WEBHOOK_PATH.exec(rawPath)?.[1];
  if (segment === undefined) return undefined;
  try {
    return decodeURIComponent(segment);
  } catch {
    return undefined;
  }
}

/** A webhook path whose party segment is not valid percent-encoding (`/webhooks/%zz`). */
export function isMalformedPartyPath(rawPath: string): boolean {
  return WEBHOOK_PATH.test(rawPath) && partyIdFromPath(rawPath) === undefined;
}
