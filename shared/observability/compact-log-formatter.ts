import { LogFormatter, LogItem } from '@aws-lambda-powertools/logger';
import type { LogAttributes, UnformattedAttributes } from '@aws-lambda-powertools/logger/types';

/**
 * Powertools' log line without what every line of a log group repeats: the function ARN, name, memory
 * size and service are the log group's own, and `sampling_rate` is constant. Kept: level, message, time,
 * the Lambda request id (ties a line to its invocation), the X-Ray trace id when tracing is on,
 * `cold_start` only on the invocation that had one, and every key the relay adds (party, ids, outcome).
 * CloudWatch bills each byte of each line; these fields were about 200 of a 550-byte line.
 */
export class CompactLogFormatter extends LogFormatter {
  formatAttributes(attributes: UnformattedAttributes, additionalLogAttributes: LogAttributes): LogItem {
    const context = attributes.lambdaContext;
    return new LogItem({
      attributes: {
        level: attributes.logLevel,
        message: attributes.message,
        timestamp: this.formatTimestamp(attributes.timestamp),
        requestId: context?.awsRequestId,
        ...(context?.coldStart ? { cold_start: true } : {}),
        xray_trace_id: attributes.xRayTraceId,
      },
    }).addAttributes(additionalLogAttributes);
  }
}
