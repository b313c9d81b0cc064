import type { ActivityWithoutUser, PayloadKind } from '../../shared/workspace365/schemas';

export type SandboxUser = { id: number; upn: string; displayName?: string; groups?: string[] };

export type SandboxEnvironmentConfig = { apiKeys: string[]; users?: SandboxUser[] };

export type SandboxOptions = {
  /** @default '127.0.0.1' */
  host?: string;
  /** @default 0 (any free port) */
  port?: number;
  /** Several valid keys per environment (one per party). Users default to a small demo directory. */
  environments?: Record<string, SandboxEnvironmentConfig>;
  /** A single activity for an unknown Upn creates that user; an unknown numeric Id is always a 400. @default true */
  autoCreateUsers?: boolean;
  /** Seed of the chaos RNG, so a chaos run can be replayed. @default 365 */
  seed?: number;
  /** Activities recorded by an earlier run (`activities()`), shown in the feed again. @default [] */
  activities?: RecordedActivity[];
};

type ScriptFilter = {
  /** How many requests this entry answers. @default 1 */
  times?: number;
  /** Only requests for this environment consume the entry. */
  environment?: string;
  /** Only requests to this endpoint consume the entry. */
  kind?: PayloadKind;
};

export type ScriptedStatus = ScriptFilter & {
  status: number;
  headers?: Record<string, string>;
  /** A string is sent as is; anything else as JSON. */
  body?: unknown;
  /** Wait this long before answering. */
  delayMs?: number;
};

/** `timeout`: hold the request open, never answering; `reset`: destroy the connection. */
export type ScriptedFault = ScriptFilter & { fault: 'timeout' | 'reset' };

export type ScriptedResponse = ScriptedStatus | ScriptedFault;

/** Rates are probabilities per request (0–1), drawn in this order from one seeded random number. */
export type ChaosOptions = {
  error500Rate?: number;
  timeoutRate?: number;
  resetRate?: number;
  rate429?: number;
  /** `Retry-After` on chaos 429s. @default 1 */
  retryAfterSeconds?: number;
  /** A chaos timeout drops the connection after this long; without it the request hangs until the client gives up. */
  hangMs?: number;
  /** Overrides the sandbox seed for this chaos run. */
  seed?: number;
};

export type RecordedActivity = {
  id: number;
  environment: string;
  user: { id: number; upn: string };
  activity: ActivityWithoutUser;
  /** First 12 hex digits of the SHA-256 of the key; never the key itself. */
  apiKeyFingerprint: string;
  idempotencyKey?: string;
  correlationId?: string;
  receivedAt: string;
  kind: PayloadKind;
};

export type RecordedRequest = {
  environment: string;
  kind: string;
  /** The status answered; 0 when a `timeout` or `reset` fault gave no answer. */
  status: number;
  fault?: 'timeout' | 'reset';
  apiKeyFingerprint?: string;
  idempotencyKey?: string;
  correlationId?: string;
  acceptLanguage?: string;
  /** When the request arrived (ISO 8601). */
  at: string;
};

export interface Sandbox {
  /** `http://127.0.0.1:<port>` */
  url: string;
  /** Stops listening and ends every open connection, hung (timeout-fault) requests included. */
  close(): Promise<void>;
  /** Adds an environment, or replaces its keys and users. */
  addEnvironment(name: string, config: SandboxEnvironmentConfig): void;
  /** Replaces an environment's keys (key rotation in tests). */
  setApiKeys(environment: string, apiKeys: string[]): void;
  activities(filter?: { environment?: string; upn?: string }): RecordedActivity[];
  /** Every request to the activity endpoints, with the answer given. */
  requests(): RecordedRequest[];
  /** Queues responses, consumed FIFO before normal handling; `times` repeats an entry. */
  script(...responses: ScriptedResponse[]): void;
  /** Drops the scripted responses not yet used (only one environment's, when given): an outage ends. */
  unscript(filter?: { environment?: string }): void;
  chaos(options: ChaosOptions | null): void;
  /** Clears activities, requests, scripts and chaos. Environments, keys and users stay. */
  reset(): void;
}
