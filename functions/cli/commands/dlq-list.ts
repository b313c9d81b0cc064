import { parseArgs } from 'node:util';
import { type DeadLetterEntry, toDeadLetterEntry } from '../dlq/entry';
import { peekAll } from '../dlq/receive-all';
import { onQueueTarget, resolveQueueTarget, TARGET_OPTIONS, TARGET_USAGE } from '../queue-target';
import type { CliCommand, CliIo } from '../router';

export const dlqList: CliCommand = {
  name: 'dlq list',
  summary: 'List dead-lettered deliveries with their reasons (nothing is removed).',
  usage: `[--party <id>] [--max <n>] [--json] ${TARGET_USAGE}`,
  async run(args, io) {
    const { values } = parseArgs({
      args,
      options: {
        ...TARGET_OPTIONS,
        party: { type: 'string' },
        max: { type: 'string' },
        json: { type: 'boolean' },
      },
      strict: true,
      allowPositionals: false,
    });
    const target = resolveQueueTarget(values, io);
    const messages = await onQueueTarget(target, () =>
      peekAll(target.client, target.dlqUrl, {
        max: values.max === undefined ? 1000 : Number(values.max),
        waitTimeSeconds: target.local ? 0 : 1,
      }),
    );
    const entries = messages
      .map(toDeadLetterEntry)
      .filter((entry) => values.party === undefined || entry.partyId === values.party);
    if (values.json) {
      io.out(
        JSON.stringify(
          entries.map(({ body: _body, payload: _payload, ...metadata }) => metadata),
          null,
          2,
        ),
      );
      return 0;
    }
    printTable(entries, io, target.description);
    return 0;
  },
};

function printTable(entries: DeadLetterEntry[], io: CliIo, where: string): void {
  io.out(`${entries.length} dead-lettered deliver${entries.length === 1 ? 'y' : 'ies'} in ${where}`);
  if (entries.length === 0) return;
  const rows = entries.map((entry) => [
    entry.sqsMessageId,
    entry.deliveryId ?? '-',
    entry.partyId ?? '-',
    entry.kind ?? '-',
    entry.reason ?? 'moved by SQS (no reason)',
    entry.status === undefined ? '-' : String(entry.status),
    entry.attempts === undefined ? '-' : String(entry.attempts),
    entry.failedAt ?? '-',
  ]);
  const header = ['MESSAGE ID', 'DELIVERY ID', 'PARTY', 'KIND', 'REASON', 'STATUS', 'ATTEMPTS', 'FAILED AT'];
  const widths = header.map((title, column) =>
    Math.max(title.length, ...rows.map((row) => (row[column] ?? '').length)),
  );
  const line = (cells: string[]) =>
    cells
      .map((cell, column) => cell.padEnd(widths[column] ?? 0))
      .join('  ')
      .trimEnd();
  io.out('');
  io.out(line(header));
  for (const [index, row] of rows.entries()) {
    io.out(line(row));
    const message = entries[index]?.errorMessage;
    if (message) io.out(`  └ ${message}`);
  }
}
