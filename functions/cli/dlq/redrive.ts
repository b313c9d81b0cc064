import {
  DeleteMessageBatchCommand,
  GetQueueAttributesCommand,
  ListMessageMoveTasksCommand,
  type Message,
  type MessageAttributeValue,
  SendMessageBatchCommand,
  type SQSClient,
  StartMessageMoveTaskCommand,
} from '@aws-sdk/client-sqs';
import { decodeQueueMessageAttributes } from '../../../shared/envelope/queue-message';
import { type DeadLetterEntry, toDeadLetterEntry } from './entry';
import { receiveAll, release } from './receive-all';

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
   * `receive-send`: snapshot the DLQ, then move exactly the messages in the snapshot (each at most once
   * per run). `move-task`: SQS's own StartMessageMoveTask, which moves everything and does not promise
   * to leave alone copies that return to the DLQ while it runs (docs/tracing.md, "Redrive").
   * @default 'receive-send'
   */
  method?: 'receive-send' | 'move-task';
  /** List what would move and move nothing. @default false */
  dryRun?: boolean;
  /** At most this many messages per run (the snapshot is held in memory). @default 10000 */
  max?: number;
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
  | {
      method: 'receive-send';
      /** Messages sent to the main queue and deleted from the DLQ (0 in a dry run). */
      moved: number;
      /** Matching messages in the snapshot; in a dry run, what would move. */
      selected: DeadLetterEntry[];
      /** Messages in the snapshot that did not match the filters, left in the DLQ. */
      kept: number;
      failed: number;
      /** The snapshot reached `max`: more messages may be waiting for the next run. */
      more: boolean;
      dryRun: boolean;
    }
  | {
      method: 'move-task';
      /** Messages moved so far (all of them once `status` is COMPLETED). */
      moved: number;
      status: string;
      taskHandle?: string;
      failureReason?: string;
    };

/**
 * How long the snapshot stays hidden while it is moved. Nothing else reads the DLQ; if the command dies
 * half-way, the rest becomes visible again after this.
 */
const SNAPSHOT_VISIBILITY_SECONDS = 900;

/** Moves dead-lettered messages back to the main queue, bodies unchanged, and counts what moved. */
export async function redriveDeadLetters(options: RedriveOptions): Promise<RedriveResult> {
  const filtered = options.partyId !== undefined || options.reason !== undefined;
  if (options.method === 'move-task') {
    if (filtered) throw new Error('a move task moves every message: it cannot filter by party or reason');
    if (options.dryRun) throw new Error('a move task cannot be a dry run; leave out --move-task');
    return moveTask(options);
  }
  return snapshotAndMove(options);
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
 * Exactly the messages in the DLQ when the run starts, each moved at most once: first receive them all
 * and keep them hidden (the snapshot), then send each to the main queue and delete it from the DLQ. No
 * receive happens after the first send, so a moved message that fails again and comes back to the DLQ
 * (under a new message id) during the run is not seen, let alone moved again; the next run moves it.
 * A message is deleted from the DLQ only after the main queue took it, so a failure half-way can
 * duplicate (delivery idempotency absorbs that) but never lose.
 */
async function snapshotAndMove(options: RedriveOptions): Promise<RedriveResult> {
  const { client, dlqUrl } = options;
  const queueUrl = options.queueUrl;
  if (!queueUrl && !options.dryRun)
    throw new Error('redriving needs the main queue URL (--queue-url or QUEUE_URL)');
  const max = options.max ?? 10_000;
  const snapshot = await receiveAll(client, dlqUrl, {
    max,
    waitTimeSeconds: options.waitTimeSeconds ?? 1,
    visibilityTimeoutSeconds: SNAPSHOT_VISIBILITY_SECONDS,
  });
  const selected = snapshot.filter((message) => matches(message, options));
  const leave = snapshot.filter((message) => !matches(message, options));
  const result = {
    method: 'receive-send' as const,
    selected: selected.map(toDeadLetterEntry),
    kept: leave.length,
    more: snapshot.length >= max,
    dryRun: options.dryRun === true,
  };
  if (options.dryRun || !queueUrl) {
    await release(client, dlqUrl, snapshot);
    return { ...result, moved: 0, failed: 0 };
  }

  let moved = 0;
  let failed = 0;
  let done = 0;
  try {
    for (; done < selected.length; ) {
      const chunk = selected.slice(done, done + 10);
      done += chunk.length;
      const sent = await client.send(
        new SendMessageBatchCommand({
          QueueUrl: queueUrl,
          Entries: chunk.map((message, index) => ({
            Id: String(index),
            MessageBody: message.Body ?? '',
            MessageAttributes: ingressAttributes(message),
          })),
        }),
      );
      const refused = new Set((sent.Failed ?? []).map((entry) => entry.Id));
      chunk.forEach((message, index) => {
        if (refused.has(String(index))) leave.push(message);
      });
      failed += refused.size;
      const accepted = chunk.filter((_, index) => !refused.has(String(index)));
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
    // What stays: the other messages, refused sends, and (after an error) whatever was not reached.
    await release(client, dlqUrl, [...leave, ...selected.slice(done)]);
  }
  return { ...result, moved, failed };
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
