import { mkdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import { SendMessageBatchCommand, type SQSClient } from '@aws-sdk/client-sqs';

/**
 * The local SQS emulator lives in memory. At shutdown every message still on the main queue or the
 * DLQ (ready, delayed or in flight) is written here, and the next start puts them back before it
 * accepts traffic: this is what makes a local restart lose nothing.
 */
export type SavedMessage = {
  body: string;
  attributes: Record<string, { DataType: string; StringValue?: string }>;
  /** Receives so far; travels back as the `priorReceiveCount` attribute so retry budgets carry over. */
  receiveCount: number;
  /**
   * When it may be delivered again (ISO 8601): the end of its retry wait (backoff or Retry-After) or
   * of its send delay. Absent: at once. A restart keeps the wait instead of delivering early.
   */
  notBefore?: string;
};

export type QueueState = { version: 1; savedAt: string; main: SavedMessage[]; deadLetter: SavedMessage[] };

type FauxqsMessage = {
  body: string;
  messageAttributes?: Record<string, { DataType: string; StringValue?: string }>;
  approximateReceiveCount?: number;
  /** Epoch ms a delayed message becomes visible. */
  delayUntil?: number;
};
type FauxqsInspection = {
  messages: {
    ready: FauxqsMessage[];
    delayed: FauxqsMessage[];
    /** `visibilityDeadline`: epoch ms the message becomes visible again (a retry wait). */
    inflight: { message: FauxqsMessage; visibilityDeadline?: number }[];
  };
};

/** SQS caps a message's delay at 15 minutes; a longer saved wait resumes with that. */
export const MAX_DELAY_SECONDS = 900;

export const PRIOR_RECEIVE_COUNT_ATTRIBUTE = 'priorReceiveCount';

/** Reads every message of a queue without consuming it (fauxqs's inspection endpoint). */
export async function inspectQueue(sqsEndpoint: string, queueUrl: string): Promise<SavedMessage[]> {
  const name = queueUrl.split('/').pop() ?? '';
  const response = await fetch(`${sqsEndpoint}/_fauxqs/queues/${encodeURIComponent(name)}`);
  if (!response.ok) throw new Error(`cannot inspect queue ${name}: HTTP ${response.status}`);
  const inspection = (await response.json()) as FauxqsInspection;
  const now = Date.now();
  const all = [
    ...inspection.messages.ready.map((message) => ({ message, visibleAt: undefined })),
    ...inspection.messages.delayed.map((message) => ({ message, visibleAt: message.delayUntil })),
    ...inspection.messages.inflight.map((entry) => ({
      message: entry.message,
      visibleAt: Math.max(entry.visibilityDeadline ?? 0, entry.message.delayUntil ?? 0),
    })),
  ];
  return all.map(({ message, visibleAt }) => {
    const attributes = { ...(message.messageAttributes ?? {}) };
    const prior = Number(attributes[PRIOR_RECEIVE_COUNT_ATTRIBUTE]?.StringValue ?? 0);
    delete attributes[PRIOR_RECEIVE_COUNT_ATTRIBUTE];
    return {
      body: message.body,
      attributes,
      receiveCount: prior + (message.approximateReceiveCount ?? 0),
      ...(visibleAt !== undefined && visibleAt > now ? { notBefore: new Date(visibleAt).toISOString() } : {}),
    };
  });
}

export async function saveQueueState(
  file: string,
  state: Omit<QueueState, 'version' | 'savedAt'>,
): Promise<void> {
  await mkdir(dirname(file), { recursive: true });
  const full: QueueState = { version: 1, savedAt: new Date().toISOString(), ...state };
  // Write-then-rename: a crash mid-write never leaves half a state file.
  await writeFile(`${file}.tmp`, JSON.stringify(full));
  await rename(`${file}.tmp`, file);
}

export async function loadQueueState(file: string): Promise<QueueState | undefined> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch {
    return undefined;
  }
  const state = JSON.parse(text) as QueueState;
  if (state.version !== 1 || !Array.isArray(state.main) || !Array.isArray(state.deadLetter)) {
    throw new Error(`${file} is not a relay queue state file (version 1)`);
  }
  return state;
}

/** Puts saved messages back on a queue, 10 per call, failing loudly if any entry is refused. */
export async function requeue(
  client: SQSClient,
  queueUrl: string,
  messages: readonly SavedMessage[],
  now = Date.now(),
): Promise<void> {
  for (let start = 0; start < messages.length; start += 10) {
    const chunk = messages.slice(start, start + 10);
    const response = await client.send(
      new SendMessageBatchCommand({
        QueueUrl: queueUrl,
        Entries: chunk.map((message, index) => ({
          Id: String(index),
          MessageBody: message.body,
          ...delayUntil(message.notBefore, now),
          MessageAttributes: {
            ...message.attributes,
            [PRIOR_RECEIVE_COUNT_ATTRIBUTE]: {
              DataType: 'Number',
              StringValue: String(message.receiveCount),
            },
          },
        })),
      }),
    );
    if (response.Failed?.length)
      throw new Error(`could not re-queue ${response.Failed.length} saved message(s)`);
  }
}

export async function removeQueueState(file: string): Promise<void> {
  await rm(file, { force: true });
}

/** The rest of a saved wait, as the send delay SQS allows (whole seconds, at most 15 minutes). */
function delayUntil(notBefore: string | undefined, now: number): { DelaySeconds?: number } {
  const at = notBefore === undefined ? Number.NaN : Date.parse(notBefore);
  if (!Number.isFinite(at) || at <= now) return {};
  return { DelaySeconds: Math.min(MAX_DELAY_SECONDS, Math.ceil((at - now) / 1000)) };
}
