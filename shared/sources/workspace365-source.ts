import type { FieldErrors } from '../workspace365/responses';
import { detectPayloadKind } from '../workspace365/validate';
import type { MappedPayload, SourceResult, WebhookSource } from './source';

const NOT_A_PAYLOAD =
  'is neither a Workspace 365 Activity (with User) nor a Batch Activity (with Scope and Data)';

/**
 * The body is already Workspace 365: one Activity, one Batch Activity, or a JSON array of them (each
 * delivered on its own). Nothing is rewritten; the ingress validates each payload as the sender wrote it.
 * There is no event id in the body, so the ingress falls back to its headers or the body's hash.
 */
export function createWorkspace365Source(): WebhookSource {
  return {
    async map(body): Promise<SourceResult> {
      const items = Array.isArray(body) ? body : [body];
      if (items.length === 0) {
        return {
          outcome: 'invalid',
          message: 'the body is an empty list; send at least one Activity or Batch Activity',
          fieldErrors: { $: { message: 'must hold at least one Activity or Batch Activity' } },
        };
      }
      const payloads: MappedPayload[] = [];
      const fieldErrors: FieldErrors = {};
      items.forEach((item, index) => {
        const kind = detectPayloadKind(item);
        if (kind === undefined)
          fieldErrors[Array.isArray(body) ? `[${index}]` : '$'] = { message: NOT_A_PAYLOAD };
        else payloads.push({ kind, payload: item });
      });
      if (Object.keys(fieldErrors).length > 0) {
        return {
          outcome: 'invalid',
          message: Array.isArray(body)
            ? `some items of the list are not Workspace 365 payloads: each needs User (Activity) or Scope and Data (Batch Activity)`
            : `the body ${NOT_A_PAYLOAD}`,
          fieldErrors,
        };
      }
      const kinds = new Set(payloads.map((payload) => payload.kind));
      const event = kinds.size === 1 ? (payloads[0]?.kind ?? 'activity') : 'mixed';
      return { outcome: 'mapped', event, payloads };
    },
  };
}
