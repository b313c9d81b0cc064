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
};

export type QueueState = { version: 1; savedAt: string; main: SavedMessage[]; deadLetter: SavedMessage[] };

type FauxqsMessage = {
  body: string;
  messageAttributes?: Record<string, { DataType: string; StringValue?: string }>;
  approximateReceiveCount?: number;
};
type FauxqsInspection = {
  messages: { ready: FauxqsMessage[]; delayed: FauxqsMessage[]; inflight: { message: FauxqsMessage }[] };
};

export const PRIOR_RECEIVE_COUNT_ATTRIBUTE = 'priorReceiveCount';

/** Reads every message of a queue without consuming it (fauxqs's inspection endpoint). */
export async function inspectQueue(sqsEndpoint: string, queueUrl: string): Promise<SavedMessage[]> {
  const name = queueUrl.split('/').pop() ?? '';
  const response = await fetch(`${sqsEndpoint}/_fauxqs/queues/${encodeURIComponent(name)}`);
  if (!response.ok) throw new Error(`cannot inspect queue ${name}: HTTP ${response.status}`);
  const inspection = (await response.json()) as FauxqsInspection;
  const all = [
    ...inspection.messages.ready,
    ...inspection.messages.delayed,
    ...inspection.messages.inflight.map((entry) => entry.message),
  ];
  return all.map((message) => {
    const attributes = { ...(message.messageAttributes ?? {}) };
    const prior = Number(attributes[PRIOR_RECEIVE_COUNT_ATTRIBUTE]?.StringValue ?? 0);
    delete attributes[PRIOR_RECEIVE_COUNT_ATTRIBUTE];
    return { body: message.body, attributes, receiveCount: prior + (message.approximateReceiveCount ?? 0) };
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
): Promise<void> {
  for (let start = 0; start < messages.length; start += 10) {
    const chunk = messages.slice(start, start + 10);
    const response = await client.send(
      new SendMessageBatchCommand({
        QueueUrl: queueUrl,
        Entries: chunk.map((message, index) => ({
          Id: String(index),
          MessageBody: message.body,
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
