import {
  DeleteMessageBatchCommand,
  GetQueueAttributesCommand,
  ListMessageMoveTasksCommand,
  type Message,
  type MessageAttributeValue,
  ReceiveMessageCommand,
  SendMessageBatchCommand,
  type SQSClient,
  StartMessageMoveTaskCommand,
} from '@aws-sdk/client-sqs';
import { decodeQueueMessageAttributes } from '../../../shared/envelope/queue-message';
import { toDeadLetterEntry } from './entry';
import { release } from './receive-all';

export type RedriveOptions = {
  client: SQSClient;
  /** The main queue. Optional for a move task (SQS then returns messages to where they came from). */
  queueUrl?: string;
  dlqUrl: string;
  /** Only this party's messages; the others stay in the DLQ untouched. */
  partyId?: string;
  /** Only messages dead-lettered for this reason (e.g. `retries_exhausted`). */
  reason?: string;
  /**
   * `auto`: SQS's own StartMessageMoveTask when nothing is filtered, falling back to receive → send →
   * delete where that API is missing (the local emulator); `receive-send` always for filters.
   * @default 'auto'
   */
  method?: 'auto' | 'move-task' | 'receive-send';
  /** Wait for a move task to finish and report what it moved. @default true */
  wait?: boolean;
  /** Long-poll wait per receive (see receiveAll). @default 1 */
  waitTimeSeconds?: number;
  /** @default 2000 */
  pollIntervalMs?: number;
  /** Give up waiting for a move task after this long (it keeps running). @default 300000 */
  waitTimeoutMs?: number;
};

export type RedriveResult =
  | { method: 'receive-send'; moved: number; kept: number; failed: number }
  | {
      method: 'move-task';
      /** Messages moved so far (all of them once `status` is COMPLETED). */
      moved: number;
      status: string;
      taskHandle?: string;
      failureReason?: string;
    };

/** Error names of an SQS endpoint that does not implement an action (fauxqs: InvalidAction). */
const MISSING_ACTION = /InvalidAction|UnsupportedOperation|UnknownOperation|NotImplemented/;

/** Moves dead-lettered messages back to the main queue, bodies unchanged, and counts what moved. */
export async function redriveDeadLetters(options: RedriveOptions): Promise<RedriveResult> {
  const filtered = options.partyId !== undefined || options.reason !== undefined;
  const method = options.method ?? 'auto';
  if (method === 'move-task' || (method === 'auto' && !filtered)) {
    if (filtered) throw new Error('a move task moves every message: it cannot filter by party or reason');
    try {
      return await moveTask(options);
    } catch (error) {
      if (method === 'move-task' || !MISSING_ACTION.test((error as Error).name ?? '')) throw error;
    }
  }
  return receiveAndSend(options);
}

async function moveTask(options: RedriveOptions): Promise<RedriveResult> {
  const sourceArn = await queueArn(options.client, options.dlqUrl);
  const destinationArn = options.queueUrl ? await queueArn(options.client, options.queueUrl) : undefined;
  const started = await options.client.send(
    new StartMessageMoveTaskCommand({
      SourceArn: sourceArn,
      ...(destinationArn ? { DestinationArn: destinationArn } : {}),
    }),
  );
  const taskHandle = started.TaskHandle;
  const deadline = Date.now() + (options.waitTimeoutMs ?? 300_000);
  for (;;) {
    const { Results = [] } = await options.client.send(
      new ListMessageMoveTasksCommand({ SourceArn: sourceArn, MaxResults: 10 }),
    );
    const task = Results.find((result) => result.TaskHandle === taskHandle) ?? Results[0];
    const status = task?.Status ?? 'UNKNOWN';
    const done = status !== 'RUNNING' || options.wait === false || Date.now() >= deadline;
    if (done) {
      return {
        method: 'move-task',
        moved: task?.ApproximateNumberOfMessagesMoved ?? 0,
        status,
        ...(taskHandle ? { taskHandle } : {}),
        ...(task?.FailureReason ? { failureReason: task.FailureReason } : {}),
      };
    }
    await new Promise((resolve) => setTimeout(resolve, options.pollIntervalMs ?? 2000));
  }
}

/**
 * Receive → SendMessageBatch to the main queue → delete from the DLQ, ten at a time. Messages that do not
 * match the filters are made visible again at the end, untouched. A message is deleted from the DLQ only
 * after the main queue took it, so a failure half-way can duplicate (delivery idempotency absorbs that)
 * but never lose.
 */
async function receiveAndSend(options: RedriveOptions): Promise<RedriveResult> {
  const { client, dlqUrl } = options;
  const queueUrl = options.queueUrl;
  if (!queueUrl)
    throw new Error('redriving with receive/send needs the main queue URL (--queue-url or QUEUE_URL)');
  const kept = new Map<string, Message>();
  let moved = 0;
  let failed = 0;
  try {
    for (;;) {
      const { Messages = [] } = await client.send(
        new ReceiveMessageCommand({
          QueueUrl: dlqUrl,
          MaxNumberOfMessages: 10,
          WaitTimeSeconds: options.waitTimeSeconds ?? 1,
          VisibilityTimeout: 60,
          MessageSystemAttributeNames: ['All'],
          MessageAttributeNames: ['All'],
        }),
      );
      const toMove: Message[] = [];
      let fresh = 0;
      for (const message of Messages) {
        const id = message.MessageId ?? '';
        if (!kept.has(id)) fresh++;
        if (kept.has(id) || !matches(message, options)) kept.set(id, message);
        else toMove.push(message);
      }
      if (fresh === 0) break;
      if (toMove.length === 0) continue;

      const sent = await client.send(
        new SendMessageBatchCommand({
          QueueUrl: queueUrl,
          Entries: toMove.map((message, index) => ({
            Id: String(index),
            MessageBody: message.Body ?? '',
            MessageAttributes: ingressAttributes(message),
          })),
        }),
      );
      const refused = new Set((sent.Failed ?? []).map((entry) => entry.Id));
      const accepted = toMove.filter((_, index) => !refused.has(String(index)));
      for (const [index, message] of toMove.entries()) {
        if (refused.has(String(index))) kept.set(message.MessageId ?? '', message);
      }
      failed += refused.size;
      if (accepted.length === 0) continue;
      const deleted = await client.send(
        new DeleteMessageBatchCommand({
          QueueUrl: dlqUrl,
          Entries: accepted.map((message, index) => ({
            Id: String(index),
            ReceiptHandle: message.ReceiptHandle ?? '',
          })),
        }),
      );
      moved += accepted.length;
      // Sent but still in the DLQ: it will be delivered once (same delivery id) and can be removed later.
      failed += deleted.Failed?.length ?? 0;
    }
  } finally {
    await release(client, dlqUrl, [...kept.values()]);
  }
  return { method: 'receive-send', moved, kept: kept.size, failed };
}

function matches(message: Message, options: Pick<RedriveOptions, 'partyId' | 'reason'>): boolean {
  if (options.partyId === undefined && options.reason === undefined) return true;
  const entry = toDeadLetterEntry(message);
  if (options.partyId !== undefined && entry.partyId !== options.partyId) return false;
  if (options.reason !== undefined && entry.reason !== options.reason) return false;
  return true;
}

/** Back on the main queue a message carries what ingress gave it (partyId, kind), not the DLQ reason. */
function ingressAttributes(message: Message): Record<string, MessageAttributeValue> {
  const out: Record<string, MessageAttributeValue> = {};
  for (const [name, value] of Object.entries(decodeQueueMessageAttributes(message.MessageAttributes))) {
    out[name] = { DataType: 'String', StringValue: value };
  }
  return out;
}

async function queueArn(client: SQSClient, queueUrl: string): Promise<string> {
  const { Attributes } = await client.send(
    new GetQueueAttributesCommand({ QueueUrl: queueUrl, AttributeNames: ['QueueArn'] }),
  );
  if (!Attributes?.QueueArn) throw new Error(`no ARN for queue ${queueUrl}`);
  return Attributes.QueueArn;
}
