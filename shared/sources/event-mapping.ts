import type { FieldErrors } from '../workspace365/responses';
import type * as z from '../zod';
import { toFieldErrors } from '../zod-errors';
import { parseEnvelope, type SourceEnvelope } from './envelope';
import type { MappedPayload, SourceContext, SourceResult, WebhookSource } from './source';

/** What mapping one event's data gives; the envelope source adds event and eventId. */
export type MappingOutcome =
  | { outcome: 'mapped'; payloads: MappedPayload[]; unresolvedRecipients?: string[] }
  | { outcome: 'ignored'; reason: string }
  | { outcome: 'invalid'; message: string; fieldErrors: FieldErrors };

/** One event type of an envelope source: the schema of its `data` and the mapper. */
export type EventMapping<Deps> = {
  run(data: unknown, envelope: SourceEnvelope, deps: Deps): Promise<MappingOutcome>;
};

export function defineEvent<Schema extends z.ZodMiniType, Deps>(
  schema: Schema,
  map: (
    data: z.output<Schema>,
    envelope: SourceEnvelope,
    deps: Deps,
  ) => Promise<MappingOutcome> | MappingOutcome,
): EventMapping<Deps> {
  return {
    async run(data, envelope, deps) {
      const parsed = schema.safeParse(data);
      if (!parsed.success) {
        return {
          outcome: 'invalid',
          message: `the data of the ${envelope.event} event does not match its schema`,
          fieldErrors: toFieldErrors(parsed.error.issues, 'data'),
        };
      }
      return map(parsed.data, envelope, deps);
    },
  };
}

/**
 * A source whose body is the relay envelope `{ id, event, occurredAt, data }` (WorkDrive, Huddle):
 * validates the envelope, picks the event type's mapping, and reports unknown types as ignored.
 */
export function envelopeSource<Deps>(
  sourceName: string,
  events: Readonly<Record<string, EventMapping<Deps>>>,
  depsFor: (context: SourceContext) => Deps,
): WebhookSource {
  return {
    async map(body, context): Promise<SourceResult> {
      const parsed = parseEnvelope(body);
      if (!parsed.ok) {
        return {
          outcome: 'invalid',
          message: `the body is not a ${sourceName} event envelope { id, event, occurredAt, data }`,
          fieldErrors: parsed.fieldErrors,
        };
      }
      const { envelope } = parsed;
      const mapping = Object.hasOwn(events, envelope.event) ? events[envelope.event] : undefined;
      if (mapping === undefined) {
        return {
          outcome: 'ignored',
          event: envelope.event,
          eventId: envelope.id,
          reason: `event type "${envelope.event}" is not mapped for source ${sourceName}`,
        };
      }
      const result = await mapping.run(envelope.data, envelope, depsFor(context));
      if (result.outcome === 'invalid') return result;
      return { ...result, event: envelope.event, eventId: envelope.id };
    },
  };
}
