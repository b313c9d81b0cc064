import {
  ChangeMessageVisibilityBatchCommand,
  type Message,
  ReceiveMessageCommand,
  type SQSClient,
} from '@aws-sdk/client-sqs';

export type ReceiveAllOptions = {
  /** Stop after this many messages. @default 1000 */
  max?: number;
  /**
   * Long-poll wait per receive. Real SQS may answer a short poll from a subset of its servers, so an
   * empty answer proves nothing without a wait. @default 1
   */
  waitTimeSeconds?: number;
  /** How long received messages stay hidden while we work through them. @default 60 */
  visibilityTimeoutSeconds?: number;
};

/** Receives messages until the queue has no more visible ones; each distinct message once. */
export async function receiveAll(
  client: SQSClient,
  queueUrl: string,
  options: ReceiveAllOptions = {},
): Promise<Message[]> {
  const max = options.max ?? 1000;
  const seen = new Map<string, Message>();
  while (seen.size < max) {
    const { Messages = [] } = await client.send(
      new ReceiveMessageCommand({
        QueueUrl: queueUrl,
        MaxNumberOfMessages: Math.min(10, max - seen.size),
        WaitTimeSeconds: options.waitTimeSeconds ?? 1,
        VisibilityTimeout: options.visibilityTimeoutSeconds ?? 60,
        MessageSystemAttributeNames: ['All'],
        MessageAttributeNames: ['All'],
      }),
    );
    const fresh = Messages.filter((message) => message.MessageId && !seen.has(message.MessageId)).length;
    // Keep the newest receipt handle: only that one can release the message again.
    for (const message of Messages) if (message.MessageId) seen.set(message.MessageId, message);
    // Nothing new: the queue is empty, or what we hid first is visible again and we have gone round once.
    if (fresh === 0) break;
  }
  return [...seen.values()];
}

/** Makes received messages visible again at once (visibility 0), 10 per call. */
export async function release(
  client: SQSClient,
  queueUrl: string,
  messages: readonly Message[],
): Promise<void> {
  for (let start = 0; start < messages.length; start += 10) {
    const chunk = messages.slice(start, start + 10).filter((message) => message.ReceiptHandle);
    if (chunk.length === 0) continue;
    await client.send(
      new ChangeMessageVisibilityBatchCommand({
        QueueUrl: queueUrl,
        Entries: chunk.map((message, index) => ({
          Id: String(index),
          ReceiptHandle: message.ReceiptHandle as string,
          VisibilityTimeout: 0,
        })),
      }),
    );
  }
}

/** Lists a queue without consuming it: receive everything, then make it visible again. */
export async function peekAll(
  client: SQSClient,
  queueUrl: string,
  options: ReceiveAllOptions = {},
): Promise<Message[]> {
  const messages = await receiveAll(client, queueUrl, options);
  await release(client, queueUrl, messages);
  return messages;
}
