/**
 * AWS list prices the bench turns its counts into dollars with: us-east-1, arm64 Lambda, on-demand, no
 * free tier, the first (most expensive) volume tier. Checked against the public pricing pages on the
 * date below; update the date with the figures.
 */
export const PRICES = {
  checked: '2026-12-01',
  region: 'us-east-1',
  /** HTTP API, per million requests (first 300 million a month; each 512 KB counts as one). */
  apiGatewayHttpPerMillionRequests: 1.0,
  /** Per million invocations. */
  lambdaPerMillionRequests: 0.2,
  /** Arm64, per GB-second (first 7.5 billion GB-s a month), billed per 1 ms. */
  lambdaArmPerGbSecond: 0.0000133334,
  /** Standard queue, per million requests (each 64 KB chunk of a request is one). */
  sqsStandardPerMillionRequests: 0.4,
  /** On-demand, per million write / read request units (1 WRU = 1 KB written; 1 RRU = 4 KB strongly read). */
  dynamoPerMillionWru: 0.625,
  dynamoPerMillionRru: 0.125,
  /** CloudWatch Logs standard class, per GB ingested (EMF metrics are extracted from it at no extra charge). */
  logsPerGbIngested: 0.5,
  /** Per GB of data sent from AWS to the internet (first 10 TB a month). */
  dataOutPerGb: 0.09,
  /** Secrets Manager: per secret a month, and per 10,000 API calls. */
  secretPerMonth: 0.4,
  secretsManagerPer10kCalls: 0.05,
  /** CloudWatch: per custom metric series a month (first 10,000), per standard alarm metric, per dashboard. */
  metricSeriesPerMonth: 0.3,
  alarmMetricPerMonth: 0.1,
  dashboardPerMonth: 3.0,
  /** KMS: per customer managed key a month. */
  kmsKeyPerMonth: 1.0,
} as const;

/**
 * In-region latencies the bench adds to its loopback wall time to bill Lambda duration like AWS would
 * (the loopback stand-ins answer in well under a millisecond). Assumptions, not measurements.
 */
export const ASSUMED_LATENCY_MS = {
  dynamodb: 5,
  sqs: 8,
  secretsmanager: 20,
  /** One Workspace 365 POST, over the internet; the worker's records of a batch post in parallel. */
  workspace365: 150,
} as const;
