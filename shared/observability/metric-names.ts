/** Metric names (docs/architecture.md §7, fixed): the dashboard and alarms are built from these. Namespace `WebhookRelay`. */
export const METRICS_NAMESPACE = 'WebhookRelay';

export const MetricName = {
  WebhookReceived: 'WebhookReceived',
  WebhookRejected: 'WebhookRejected',
  WebhookIgnored: 'WebhookIgnored',
  WebhookDuplicate: 'WebhookDuplicate',
  DeliveryQueued: 'DeliveryQueued',
  DeliveryDelivered: 'DeliveryDelivered',
  DeliveryRetried: 'DeliveryRetried',
  DeliveryDeadLettered: 'DeliveryDeadLettered',
  DeliveryAuthFailure: 'DeliveryAuthFailure',
  EndToEndLatency: 'EndToEndLatency',
  Workspace365Latency: 'Workspace365Latency',
  /** Extension: Secrets Manager reads, to prove the cache holds (one per party per TTL per instance). */
  SecretsManagerCalls: 'SecretsManagerCalls',
  /** Extension (docs/polling.md): a party's poll ran to the end. Dimensions `[service]`. */
  PollCompleted: 'PollCompleted',
  /** Extension: a party's poll stopped early; dimensions `[service, Reason]` (rate_limited, auth_failed, ...) and `[service]`. */
  PollFailed: 'PollFailed',
  /** Extension: source events a party's poll found (queued, duplicate, ignored or invalid). Dimensions `[service]`. */
  PollEventsFound: 'PollEventsFound',
  /** Extension (docs/outage.md): a circuit breaker opened / closed, no dimension (the log line names the environment). */
  CircuitBreakerOpened: 'CircuitBreakerOpened',
  CircuitBreakerClosed: 'CircuitBreakerClosed',
  /** Extension: how long the breaker of a message's environment has been open, each time a message is deferred (seconds). */
  CircuitBreakerOpenSeconds: 'CircuitBreakerOpenSeconds',
  /** Extension: messages put back unposted because their environment's breaker is open. */
  DeliveryDeferred: 'DeliveryDeferred',
} as const;
export type MetricName = (typeof MetricName)[keyof typeof MetricName];

export type MetricUnit = 'Count' | 'Milliseconds' | 'Seconds';
export type MetricDimensions = Readonly<Record<string, string>>;
