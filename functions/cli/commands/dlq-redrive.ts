import { parseArgs } from 'node:util';
import { redriveDeadLetters } from '../dlq/redrive';
import { onQueueTarget, resolveQueueTarget, TARGET_OPTIONS, TARGET_USAGE } from '../queue-target';
import type { CliCommand } from '../router';

export const dlqRedrive: CliCommand = {
  name: 'dlq redrive',
  summary:
    'Move dead-lettered deliveries back to the main queue (all, or one party / one reason), bodies unchanged, and count what moved.',
  usage: `[--party <id>] [--reason <code>] [--no-wait] ${TARGET_USAGE}`,
  async run(args, io) {
    const { values } = parseArgs({
      args,
      options: {
        ...TARGET_OPTIONS,
        party: { type: 'string' },
        reason: { type: 'string' },
        'no-wait': { type: 'boolean' },
      },
      strict: true,
      allowPositionals: false,
    });
    const target = resolveQueueTarget(values, io);
    const result = await onQueueTarget(target, () =>
      redriveDeadLetters({
        client: target.client,
        dlqUrl: target.dlqUrl,
        ...(target.queueUrl ? { queueUrl: target.queueUrl } : {}),
        ...(values.party === undefined ? {} : { partyId: values.party }),
        ...(values.reason === undefined ? {} : { reason: values.reason }),
        method: target.local ? 'receive-send' : 'auto',
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
      if (result.failureReason) io.err(`the move task failed: ${result.failureReason}`);
      return result.status === 'FAILED' ? 1 : 0;
    }
    io.out(`moved ${result.moved} message(s) back to the main queue${filter ? ` (${filter})` : ''}`);
    if (result.kept > 0) io.out(`${result.kept} other message(s) left in the dead-letter queue`);
    if (result.failed > 0) io.err(`${result.failed} message(s) could not be moved; run the command again`);
    return result.failed > 0 ? 1 : 0;
  },
};
