import { parseArgs } from 'node:util';
import { toDeadLetterEntry } from '../dlq/entry';
import { peekAll } from '../dlq/receive-all';
import { onQueueTarget, resolveQueueTarget, TARGET_OPTIONS, TARGET_USAGE } from '../queue-target';
import { type CliCommand, UsageError } from '../router';

export const dlqShow: CliCommand = {
  name: 'dlq show',
  summary:
    'Show one dead-lettered delivery (by SQS message id or delivery id): metadata and reason; the Workspace 365 payload only with --payload.',
  usage: `<id> [--payload] [--json] ${TARGET_USAGE}`,
  async run(args, io) {
    const { values, positionals } = parseArgs({
      args,
      options: { ...TARGET_OPTIONS, payload: { type: 'boolean' }, json: { type: 'boolean' } },
      strict: true,
      allowPositionals: true,
    });
    const [id, ...extra] = positionals;
    if (!id || extra.length > 0) throw new UsageError('give exactly one message id');
    const target = resolveQueueTarget(values, io);
    const entry = (
      await onQueueTarget(target, () =>
        peekAll(target.client, target.dlqUrl, { waitTimeSeconds: target.local ? 0 : 1 }),
      )
    )
      .map(toDeadLetterEntry)
      .find((candidate) => candidate.sqsMessageId === id || candidate.deliveryId === id);
    if (!entry) {
      io.err(`no message ${id} in the dead-letter queue of ${target.description}`);
      return 1;
    }
    const { body, payload, ...metadata } = entry;
    if (values.json) {
      io.out(JSON.stringify(values.payload ? { ...metadata, payload: payload ?? body } : metadata, null, 2));
      return 0;
    }
    const fields: [string, unknown][] = [
      ['message id', metadata.sqsMessageId],
      ['delivery id', metadata.deliveryId],
      ['party', metadata.partyId],
      ['kind', metadata.kind],
      ['event', metadata.event],
      ['event id', metadata.eventId],
      ['correlation id', metadata.correlationId],
      ['received at', metadata.receivedAt],
      [
        'reason',
        metadata.reason ?? 'none recorded (moved by the SQS redrive policy, e.g. after a worker crash)',
      ],
      ['status', metadata.status],
      ['attempts', metadata.attempts],
      ['failed at', metadata.failedAt],
      ['error', metadata.errorMessage],
      ['main queue message id', metadata.sourceMessageId],
    ];
    const width = Math.max(...fields.map(([label]) => label.length));
    for (const [label, value] of fields)
      if (value !== undefined) io.out(`${label.padEnd(width)}  ${String(value)}`);
    if (values.payload) {
      io.out('\npayload:');
      io.out(payload === undefined ? body : JSON.stringify(payload, null, 2));
    } else {
      io.out('\n(the Workspace 365 payload is not shown; add --payload to print it)');
    }
    return 0;
  },
};
