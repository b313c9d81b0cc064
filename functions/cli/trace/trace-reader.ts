import type { TraceRecord } from '../../../shared/observability/trace-fields';
import { buildTimeline, type Timeline, type TraceQuery } from './timeline';

/** Where log lines come from: the local relay's log file, or CloudWatch Logs Insights. */
export type TraceReader = {
  /** Trace lines that match the query (readers may over-fetch; the result is filtered again). */
  find(query: TraceQuery): Promise<TraceRecord[]>;
};

/**
 * Finds a webhook's log lines and builds its timeline. Asked by correlation or message id, it then asks
 * again by the party and event id those lines name, to add sender retries and the other deliveries the
 * event became.
 */
export async function traceWebhook(query: TraceQuery, reader: TraceReader): Promise<Timeline> {
  let records = await reader.find(query);
  if (query.by !== 'event') {
    const known = records.find((record) => record.partyId && record.eventId);
    if (known?.partyId && known.eventId) {
      const more = await reader.find({ by: 'event', partyId: known.partyId, eventId: known.eventId });
      records = distinct([...records, ...more]);
    }
  }
  return buildTimeline(records, query);
}

function distinct(records: readonly TraceRecord[]): TraceRecord[] {
  const seen = new Set<string>();
  return records.filter((record) => {
    const key = JSON.stringify(record);
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}
