/**
 * How the AWS JSON protocols answer with an error, typed the way callers need it: which error (`code`),
 * whether trying again can help (`retryable`), and nothing from the request (no body, key or signature).
 */

/** An error answer from the service. `name` === `code` (e.g. 'ConditionalCheckFailedException'). */
export class AwsServiceError extends Error {
  readonly code: string;
  readonly statusCode: number;
  readonly retryable: boolean;
  readonly requestId?: string;
  /** The error body's other fields, e.g. `Item` with ReturnValuesOnConditionCheckFailure. */
  readonly details: Record<string, unknown>;

  constructor(fields: {
    /** e.g. 'DynamoDB PutItem' */
    call: string;
    code: string;
    statusCode: number;
    retryable: boolean;
    requestId?: string | undefined;
    details: Record<string, unknown>;
  }) {
    // The service's own message stays in `details`: some (signature errors) quote the canonical request.
    super(`${fields.call} failed: ${fields.code} (HTTP ${fields.statusCode})`);
    this.name = fields.code;
    this.code = fields.code;
    this.statusCode = fields.statusCode;
    this.retryable = fields.retryable;
    if (fields.requestId !== undefined) this.requestId = fields.requestId;
    this.details = fields.details;
  }
}

/** No answer: network error, timeout (after the retries); `cause` = the underlying error. */
export class AwsRequestError extends Error {
  override readonly name = 'AwsRequestError';
}

/**
 * Codes the SDK's standard retry mode treats as throttling or transient (`@smithy/service-error-classification`).
 * They are retried whatever the status; other 4xx answers are the caller's to handle.
 */
const RETRYABLE_CODES = new Set([
  'BandwidthLimitExceeded',
  'EC2ThrottledException',
  'LimitExceededException',
  'PriorRequestNotComplete',
  'ProvisionedThroughputExceededException',
  'RequestLimitExceeded',
  'RequestThrottled',
  'RequestThrottledException',
  'SlowDown',
  'ThrottledException',
  'Throttling',
  'ThrottlingException',
  'TooManyRequestsException',
  'TransactionInProgressException',
  'RequestTimeout',
  'RequestTimeoutException',
  // SQS's legacy query codes for the same (x-amzn-query-error).
  'AWS.SimpleQueueService.RequestThrottled',
  'AWS.SimpleQueueService.ThrottlingException',
]);

/** 429 and the 5xx the SDK retries; any other 5xx too (the service failed, not the request). */
export function isRetryableAnswer(statusCode: number, codes: readonly (string | undefined)[]): boolean {
  return (
    statusCode === 429 ||
    statusCode >= 500 ||
    codes.some((code) => code !== undefined && RETRYABLE_CODES.has(code))
  );
}

/** Error codes whose service message quotes the canonical request (headers, the session token). */
const SIGNATURE_CODES = new Set([
  'InvalidSignatureException',
  'SignatureDoesNotMatch',
  'IncompleteSignature',
]);

/**
 * Reads an error answer of the JSON protocols: the code from `x-amzn-errortype` or the body's
 * `__type`/`code` (`com.amazonaws.dynamodb.v20120810#ConditionalCheckFailedException` →
 * `ConditionalCheckFailedException`), SQS's legacy code from `x-amzn-query-error`
 * (`AWS.SimpleQueueService.NonExistentQueue;Sender`, kept as `details.queryErrorCode`).
 */
export function toServiceError(
  call: string,
  statusCode: number,
  header: (name: string) => string | undefined,
  text: string,
): AwsServiceError {
  let body: Record<string, unknown> = {};
  try {
    const parsed: unknown = text ? JSON.parse(text) : {};
    if (parsed && typeof parsed === 'object' && !Array.isArray(parsed))
      body = parsed as Record<string, unknown>;
  } catch {
    // Not JSON (a proxy's HTML page): the status says enough.
  }
  const { __type, code: bodyCode, Code, message, Message, ...rest } = body;
  const code =
    sanitizeCode(header('x-amzn-errortype')) ??
    sanitizeCode(stringOrUndefined(bodyCode) ?? stringOrUndefined(Code) ?? stringOrUndefined(__type)) ??
    (statusCode >= 500 ? 'InternalFailure' : 'UnknownError');
  const details: Record<string, unknown> = { ...rest };
  const serviceMessage = stringOrUndefined(message) ?? stringOrUndefined(Message);
  if (serviceMessage !== undefined && !SIGNATURE_CODES.has(code)) details.message = serviceMessage;
  const queryErrorCode = header('x-amzn-query-error')?.split(';')[0] || undefined;
  if (queryErrorCode !== undefined) details.queryErrorCode = queryErrorCode;
  return new AwsServiceError({
    call,
    code,
    statusCode,
    retryable: isRetryableAnswer(statusCode, [code, queryErrorCode]),
    requestId: header('x-amzn-requestid') ?? header('x-amz-request-id'),
    details,
  });
}

/** `aws.protocoltests#Name:http://internal…` or `prefix#Name` → `Name` (the SDK's sanitizeErrorCode). */
function sanitizeCode(raw: string | undefined | null): string | undefined {
  if (!raw) return undefined;
  let code = raw.split(',')[0] ?? '';
  if (code.includes(':')) code = code.split(':')[0] ?? '';
  if (code.includes('#')) code = code.split('#')[1] ?? '';
  return code.trim() || undefined;
}

const stringOrUndefined = (value: unknown) => (typeof value === 'string' ? value : undefined);
