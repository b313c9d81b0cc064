import { parseArgs } from 'node:util';
import { redriveDeadLetters } from '../dlq/redrive';
import { onQueueTarget, resolveQueueTarget, TARGET_OPTIONS, TARGET_USAGE } from '../queue-target';
import { type CliCommand, UsageError } from '../router';

export const dlqRedrive: CliCommand = {
  name: 'dlq redrive',
  summary:
    'Move the messages that are in the dead-letter queue now (all, or one party / one reason) back to the main queue, each at most once, bodies unchanged; print the true count.',
  usage: `[--party <id>] [--reason <code>] [--dry-run] [--max <n>] [--move-task [--no-wait]] ${TARGET_USAGE}`,
  async run(args, io) {
    const { values } = parseArgs({
      args,
      options: {
        ...TARGET_OPTIONS,
        party: { type: 'string' },
        reason: { type: 'string' },
        'dry-run': { type: 'boolean' },
        max: { type: 'string' },
        'move-task': { type: 'boolean' },
        'no-wait': { type: 'boolean' },
      },
      strict: true,
      allowPositionals: false,
    });
    const max = values.max === undefined ? undefined : Number(values.max);
    if (max !== undefined && (!Number.isInteger(max) || max < 1)) {
      throw new UsageError('--max must be a whole number of at least 1');
    }
    const moveTask = values['move-task'] === true;
    if (moveTask && (values.party !== undefined || values.reason !== undefined || values['dry-run'])) {
      throw new UsageError('--move-task moves every message: it takes no --party, --reason or --dry-run');
    }
    const target = resolveQueueTarget(values, io);
    if (moveTask && target.local) throw new UsageError('the local SQS emulator has no move tasks');
    const result = await onQueueTarget(target, () =>
      redriveDeadLetters({
        client: target.client,
        dlqUrl: target.dlqUrl,
        ...(target.queueUrl ? { queueUrl: target.queueUrl } : {}),
        ...(values.party === undefined ? {} : { partyId: values.party }),
        ...(values.reason === undefined ? {} : { reason: values.reason }),
        method: moveTask ? 'move-task' : 'receive-send',
        dryRun: values['dry-run'] === true,
        ...(max === undefined ? {} : { max }),
        wait: values['no-wait'] !== true,
        waitTimeSeconds: target.local ? 0 : 1,
      }),
    );
    const filter = [values.party && `party ${values.party}`, values.reason && `reason ${values.reason}`]
      .filter(Boolean)
      .join(', ');
    if (result.method === 'move-task') {
      io.out(
        `moved ${result.moved} message(s) back to the main queue with an SQS move task (${result.status}${result.taskHandle ? `, task ${result.taskHandle}` : ''})`,
      );
      io.err(
        'note: a move task may also move copies that fail again and return while it runs; without --move-task each message moves at most once',
      );
      if (result.failureReason) io.err(`the move task failed: ${result.failureReason}`);
      return result.status === 'FAILED' ? 1 : 0;
    }
    const suffix = filter ? ` (${filter})` : '';
    if (result.dryRun) {
      io.out(
        `would move ${result.selected.length} message(s) back to the main queue${suffix} (dry run: nothing moved)`,
      );
      for (const entry of result.selected) {
        io.out(
          `  ${entry.deliveryId ?? entry.sqsMessageId}  ${entry.partyId ?? '-'}  ${entry.reason ?? 'moved by SQS (no reason)'}${entry.eventId ? `  event ${entry.eventId}` : ''}`,
        );
      }
    } else {
      io.out(`moved ${result.moved} message(s) back to the main queue${suffix}`);
    }
    if (result.kept > 0) io.out(`${result.kept} other message(s) left in the dead-letter queue`);
    if (result.more) io.out('the run stopped at --max; more messages may be waiting: run it again');
    if (result.failed > 0) io.err(`${result.failed} message(s) could not be moved; run the command again`);
    return result.failed > 0 ? 1 : 0;
  },
};
