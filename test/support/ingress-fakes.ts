import type { PartySecret } from '../../shared/config/secret-value';
import type { QueueMessage } from '../../shared/envelope/queue-message';
import { type MessageQueue, QueueUnavailableError } from '../../shared/ports/message-queue';
import { type SecretStore, SecretUnavailableError } from '../../shared/ports/secret-store';

/** A queue that keeps what it was given, and can be told to refuse. */
export class RecordingQueue implements MessageQueue {
  readonly sent: QueueMessage[] = [];
  refuse = false;

  async sendAll(messages: readonly QueueMessage[]): Promise<void> {
    if (this.refuse) throw new QueueUnavailableError('test queue refuses', 0);
    this.sent.push(...messages);
  }
}

/** Secrets from a plain object; missing names behave like a missing secret. */
export class StaticSecretStore implements SecretStore {
  readonly reads: string[] = [];
  constructor(private readonly secrets: Record<string, PartySecret>) {}

  async get(secretName: string): Promise<PartySecret> {
    this.reads.push(secretName);
    const secret = this.secrets[secretName];
    if (!secret) throw new SecretUnavailableError(secretName, 'not found');
    return secret;
  }
}

/** Collects log lines as JSON text, so tests can assert what never appears in them. */
export function capturingLogger() {
  const lines: string[] = [];
  const write =
    (level: string) =>
    (message: string, ...extra: unknown[]) =>
      lines.push(JSON.stringify({ level, message, extra }));
  return {
    lines,
    logger: {
      debug: write('debug'),
      info: write('info'),
      warn: write('warn'),
      error: write('error'),
      appendKeys: () => {},
      removeKeys: () => {},
    },
  };
}
