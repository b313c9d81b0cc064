import { LogFormatter, LogItem } from '@aws-lambda-powertools/logger';
import type { LogAttributes, UnformattedAttributes } from '@aws-lambda-powertools/logger/types';

export type CompactLogOptions = {
  /**
   * Print each line's own time. CloudWatch Logs stamps every log event with the time it was written
   * (`@timestamp`, what Logs Insights and `relay trace` read), so Lambda lines leave it out; a host
   * whose lines go nowhere else (local mode's stdout) keeps it.
   * @default false
   */
  timestamps?: boolean;
};

/**
 * Powertools' log line without what CloudWatch already knows or what every line would repeat
 * (docs/cost.md, "Logs"): the function ARN, name, memory size and service are the log group's own,
 * `sampling_rate` is constant, and the time is the log event's. INFO lines — the hot path, one or more
 * per webhook — also leave out their level (a line without `level` is INFO, as Lambda's log-level
 * filter reads it too) and the Lambda request id (the trace fields identify the webhook; an invocation
 * that fails or times out prints no INFO line of its own). Every other level keeps both, so a warning or
 * an error can be matched to the invocation's platform lines. Kept everywhere: the message, the X-Ray
 * trace id when tracing is on, `cold_start` on the invocation that had one, and every key the relay
 * adds (party, ids, outcome).
 */
export class CompactLogFormatter extends LogFormatter {
  readonly #timestamps: boolean;

  constructor(options: CompactLogOptions = {}) {
    super();
    this.#timestamps = options.timestamps ?? false;
  }

  formatAttributes(attributes: UnformattedAttributes, additionalLogAttributes: LogAttributes): LogItem {
    const context = attributes.lambdaContext;
    const info = attributes.logLevel === 'INFO';
    return new LogItem({
      attributes: {
        level: info ? undefined : attributes.logLevel,
        message: attributes.message,
        timestamp: this.#timestamps ? this.formatTimestamp(attributes.timestamp) : undefined,
        requestId: info ? undefined : context?.awsRequestId,
        ...(context?.coldStart ? { cold_start: true } : {}),
        xray_trace_id: attributes.xRayTraceId,
      },
    }).addAttributes(additionalLogAttributes);
  }
}
