import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { DynamoDBClient, GetItemCommand, PutItemCommand, UpdateItemCommand } from '@aws-sdk/client-dynamodb';
import { SendMessageBatchCommand, SQSClient } from '@aws-sdk/client-sqs';
import { createEmulatorJsonClient } from '../../../devkit/sqs/sqs-emulator';
import { DynamoDbCheckpointStore } from '../../../shared/adapters/dynamodb-checkpoint-store';
import { DynamoDbDedupLedger } from '../../../shared/adapters/dynamodb-dedup-ledger';
import { FileCheckpointStore } from '../../../shared/adapters/file-checkpoint-store';
import { FileSecretStore } from '../../../shared/adapters/file-secret-store';
import { SqsMessageQueue } from '../../../shared/adapters/sqs-message-queue';
import { loadRelayConfig, resolveConfigPath } from '../../../shared/config/load-config';
import { PartyRegistry } from '../../../shared/ingress/party-registry';
import { silentLogger } from '../../../shared/observability/logger';
import { InMemoryMetrics } from '../../../shared/observability/metrics';
import type { PartyPollReport } from '../../../shared/polling/poll-party';
import { runPolls } from '../../../shared/polling/poll-runner';
import type { CheckpointStore } from '../../../shared/ports/checkpoint-store';
import { systemClock } from '../../../shared/ports/clock';
import type { MessageQueue } from '../../../shared/ports/message-queue';
import { loadSourceEngines } from '../../../shared/sources';
import { resolveSecretsPath } from '../../local/local-settings';
import { readLocalState } from '../queue-target';
import { type CliCommand, type CliIo, UsageError } from '../router';
import { sdkBackedClient } from '../sdk-backed-client';

/**
 * `relay poll <partyId>`: polls one party by hand (docs/polling.md) and prints what it found and what it
 * queued, or with `--dry-run` what it would queue (nothing is queued, no checkpoint moves). Checkpoints:
 * `CHECKPOINT_TABLE_NAME` (DynamoDB), else `STATE_DIR`. Queue: `QUEUE_URL` (with `IDEMPOTENCY_TABLE_NAME`
 * for dedup), else the running local relay. Without `--once` it keeps polling at the party's interval.
 */
export const poll: CliCommand = {
  name: 'poll',
  summary:
    'Poll a party’s source API now; print what was found and what is (or with --dry-run would be) queued.',
  usage: '<partyId> [--once] [--dry-run]',
  async run(args, io) {
    const { values, positionals } = parseArgs({
      args,
      options: { once: { type: 'boolean' }, 'dry-run': { type: 'boolean' } },
      strict: true,
      allowPositionals: true,
    });
    const [partyId] = positionals;
    const config = loadRelayConfig(resolveConfigPath(io.env, io.cwd));
    const polled = config.parties.filter((party) => party.poll !== undefined).map((party) => party.id);
    if (!partyId || !polled.includes(partyId)) {
      throw new UsageError(
        `"${partyId ?? ''}" is not a polled party; polled parties: ${polled.join(', ') || 'none (add "poll" to a party)'}`,
      );
    }
    const dryRun = values['dry-run'] === true;
    const party = new PartyRegistry(config, await loadSourceEngines(config.parties)).get(partyId);
    if (!party) throw new UsageError(`unknown party ${partyId}`);
    const metrics = new InMemoryMetrics();
    const deps = {
      checkpoints: checkpointStore(io),
      secrets: new FileSecretStore(resolveSecretsPath(io.env, io.cwd)),
      fetch: globalThis.fetch,
      clock: systemClock,
      logger: silentLogger,
      metrics,
      pipeline: { ...(dryRun ? dryRunPipeline() : await pipeline(io)), metrics },
    };
    io.out(
      `polling ${partyId} (${party.config.source}) at ${party.config.poll?.baseUrl}${dryRun ? ', dry run' : ''}`,
    );
    for (;;) {
      const { polled: reports } = await runPolls([party], deps, { force: true, dryRun });
      const report = reports[0];
      if (report) print(report, io, dryRun);
      if (values.once || dryRun) return report?.status === 'completed' ? 0 : 1;
      await new Promise((done) => setTimeout(done, (party.config.poll?.intervalSeconds ?? 60) * 1000));
    }
  },
};

function print(report: PartyPollReport, io: CliIo, dryRun: boolean): void {
  for (const resource of report.started) {
    io.out(
      `${resource}: first poll, starting point ${dryRun ? 'would be ' : ''}recorded; nothing older is sent`,
    );
  }
  for (const event of report.events) {
    io.out(
      `${event.outcome.padEnd(9)} ${event.event} ${event.id}${event.reason ? ` (${event.reason})` : ''}`,
    );
    for (const request of event.requests ?? []) {
      io.out(`  would ${request.method} ${request.url}\n  ${JSON.stringify(request.body)}`);
    }
  }
  const summary = `found ${report.found}, queued ${report.queued}`;
  if (report.status === 'completed') io.out(`completed: ${summary}`);
  else io.err(`failed (${report.reason}): ${report.message}; ${summary}`);
}

function checkpointStore(io: CliIo): CheckpointStore {
  const table = io.env.CHECKPOINT_TABLE_NAME;
  if (table) {
    const client = sdkBackedClient(new DynamoDBClient({}), {
      GetItem: GetItemCommand,
      PutItem: PutItemCommand,
    });
    return new DynamoDbCheckpointStore({ client, tableName: table });
  }
  return new FileCheckpointStore(resolve(io.cwd, io.env.STATE_DIR ?? '.state'));
}

function dryRunPipeline() {
  const queue: MessageQueue = {
    sendAll: async () => {
      throw new Error('a dry run queues nothing');
    },
  };
  return { queue };
}

/**
 * AWS with QUEUE_URL (and the dedup ledger with IDEMPOTENCY_TABLE_NAME), else the running local relay's
 * queue. The local relay's ledger lives in its own process, so events queued there are not deduplicated.
 */
async function pipeline(io: CliIo) {
  const queueUrl = io.env.QUEUE_URL;
  const table = io.env.IDEMPOTENCY_TABLE_NAME;
  // The SDK's credential chain (profiles, SSO) behind the ledger's client interface.
  const ledger = table
    ? new DynamoDbDedupLedger({
        client: sdkBackedClient(new DynamoDBClient({}), { UpdateItem: UpdateItemCommand }),
        tableName: table,
      })
    : undefined;
  if (queueUrl) {
    const client = sdkBackedClient(new SQSClient({}), { SendMessageBatch: SendMessageBatchCommand });
    return { queue: new SqsMessageQueue({ client, queueUrl }), ledger };
  }
  const stateFile = resolve(io.cwd, io.env.STATE_DIR ?? '.state', 'local.json');
  if (!existsSync(stateFile)) {
    throw new UsageError(
      'nowhere to queue: set QUEUE_URL, start the local relay (npm start), or use --dry-run',
    );
  }
  const state = readLocalState(stateFile);
  const client = createEmulatorJsonClient(state.sqsEndpoint, { maxAttempts: 1 });
  return { queue: new SqsMessageQueue({ client, queueUrl: state.queueUrl }) };
}
