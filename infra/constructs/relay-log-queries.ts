import { CfnQueryDefinition, type ILogGroup } from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';

/**
 * Saved Logs Insights queries over the trace fields (shared/observability/trace-fields.ts, docs/tracing.md)
 * that ingress and the worker write. `relay trace` runs the same kind of query through the SDK.
 */

/** One webhook's timeline: replace PARTY_ID and EVENT_ID (or filter on correlationId / messageId). */
export const TIMELINE_QUERY = [
  'fields @timestamp, step, status, code, receiveCount, reason, netError, latencyMs, retryInSeconds, backoff, activityIds.0, messageId, messageIds.0, correlationId',
  '| filter ispresent(step) and partyId = "PARTY_ID" and eventId = "EVENT_ID"',
  '| sort @timestamp asc',
  '| limit 1000',
].join('\n');

/** Which senders are refused, and why (unknown parties have no party id: they count under the code). */
export const REJECTIONS_QUERY = [
  'filter step = "rejected"',
  '| stats count(*) as rejections by code, partyId',
  '| sort rejections desc',
].join('\n');

/** What ends in the DLQ, per party and reason. */
export const DEAD_LETTERS_QUERY = [
  'filter step = "dead_lettered"',
  '| stats count(*) as deadLetters by partyId, reason',
  '| sort deadLetters desc',
].join('\n');

/** The latest refusals and dead letters, newest first: the dashboard's log widget. */
export const LATEST_FAILURES_QUERY = [
  'fields @timestamp, step, partyId, eventId, code, reason, status, errorMessage, correlationId',
  '| filter step = "rejected" or step = "dead_lettered"',
  '| sort @timestamp desc',
  '| limit 50',
].join('\n');

export interface RelayLogQueriesProps {
  /** The ingress and worker log groups. */
  readonly logGroups: readonly ILogGroup[];
  /**
   * Folder of the saved queries in the Logs Insights console (`<folder>/<query>`).
   * @default 'WebhookRelay'
   */
  readonly folder?: string;
}

/** The relay's saved Logs Insights queries (`AWS::Logs::QueryDefinition`), one folder per stage. */
export class RelayLogQueries extends Construct {
  readonly timeline: CfnQueryDefinition;
  readonly rejections: CfnQueryDefinition;
  readonly deadLetters: CfnQueryDefinition;

  constructor(scope: Construct, id: string, props: RelayLogQueriesProps) {
    super(scope, id);
    const folder = props.folder ?? 'WebhookRelay';
    const logGroupNames = props.logGroups.map((group) => group.logGroupName);
    const define = (queryId: string, name: string, queryString: string) =>
      new CfnQueryDefinition(this, queryId, { name: `${folder}/${name}`, queryString, logGroupNames });
    this.timeline = define('Timeline', 'webhook timeline (set PARTY_ID and EVENT_ID)', TIMELINE_QUERY);
    this.rejections = define('Rejections', 'rejections by reason and party', REJECTIONS_QUERY);
    this.deadLetters = define('DeadLetters', 'dead letters by party and reason', DEAD_LETTERS_QUERY);
  }
}
