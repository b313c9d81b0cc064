import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { SQSClient } from '@aws-sdk/client-sqs';
import { createEmulatorClient } from '../../devkit/sqs/sqs-emulator';
import { type CliIo, UsageError } from './router';
import { localRelayNotRunning, networkErrorCode } from './unreachable';

/** The queue options every `dlq` command takes (node:util parseArgs shape). */
export const TARGET_OPTIONS = {
  local: { type: 'boolean' },
  'state-file': { type: 'string' },
  'queue-url': { type: 'string' },
  'dlq-url': { type: 'string' },
  region: { type: 'string' },
} as const;

export const TARGET_USAGE =
  '[--local [--state-file <path>]] [--queue-url <url>] [--dlq-url <url>] [--region <region>]';

export type TargetFlags = {
  local?: boolean | undefined;
  'state-file'?: string | undefined;
  'queue-url'?: string | undefined;
  'dlq-url'?: string | undefined;
  region?: string | undefined;
};

export type QueueTarget = {
  client: SQSClient;
  queueUrl: string;
  dlqUrl: string;
  /** The local relay's emulator (no StartMessageMoveTask there). */
  local: boolean;
  /** Where the target came from, for the first line of output. */
  description: string;
  /** The SQS endpoint (local) or region (AWS) the client calls, for error messages. */
  endpoint: string;
};

/** What local mode writes while it runs, so the CLI can reach its in-process SQS emulator. */
export type LocalState = { sqsEndpoint: string; queueUrl: string; dlqUrl: string };

/**
 * AWS by default (`--queue-url`/`--dlq-url` or `QUEUE_URL`/`DLQ_URL`, credentials and region from the
 * usual AWS chain), or the running local relay with `--local` / `RELAY_TARGET=local`, or when no DLQ URL
 * is configured but local mode's state file exists.
 */
export function resolveQueueTarget(flags: TargetFlags, io: CliIo): QueueTarget {
  const stateFile = resolve(
    io.cwd,
    flags['state-file'] ?? io.env.RELAY_LOCAL_STATE ?? `${io.env.STATE_DIR ?? '.state'}/local.json`,
  );
  const dlqUrl = flags['dlq-url'] ?? io.env.DLQ_URL;
  const wantsLocal =
    flags.local === true || io.env.RELAY_TARGET === 'local' || (!dlqUrl && existsSync(stateFile));
  if (wantsLocal) {
    const state = readLocalState(stateFile);
    return {
      client: createEmulatorClient(state.sqsEndpoint, { maxAttempts: 1 }),
      queueUrl: state.queueUrl,
      dlqUrl: state.dlqUrl,
      local: true,
      description: `local relay (${state.sqsEndpoint})`,
      endpoint: state.sqsEndpoint,
    };
  }
  const queueUrl = flags['queue-url'] ?? io.env.QUEUE_URL;
  if (!dlqUrl) {
    throw new UsageError(
      'no dead-letter queue: pass --dlq-url or set DLQ_URL (stack output DeadLetterQueueUrl), or use --local',
    );
  }
  const region = flags.region ?? io.env.AWS_REGION ?? io.env.AWS_DEFAULT_REGION ?? regionOf(dlqUrl);
  return {
    client: new SQSClient(region ? { region } : {}),
    queueUrl: queueUrl ?? '',
    dlqUrl,
    local: false,
    description: `AWS (${dlqUrl})`,
    endpoint: region ? `region ${region}` : 'the region of your AWS configuration',
  };
}

/**
 * Runs a command's queue work; a failure is restated with what it tried to reach: the local relay that
 * is not running, or the AWS region and queue (a wrong stage, region or credentials show up here).
 */
export async function onQueueTarget<T>(target: QueueTarget, work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    if (target.local && networkErrorCode(error) === 'ECONNREFUSED')
      throw localRelayNotRunning(target.endpoint, error);
    if (target.local) throw error;
    const reason = error instanceof Error ? error.message : String(error);
    const code = networkErrorCode(error);
    throw new Error(
      `${reason}${code && !reason.includes(code) ? ` (${code})` : ''} — tried the dead-letter queue ${target.dlqUrl}${target.queueUrl ? ` and main queue ${target.queueUrl}` : ''} in ${target.endpoint}; check --dlq-url/DLQ_URL (the stack output of the stage you mean), --region and your AWS credentials`,
      { cause: error },
    );
  }
}

export function readLocalState(file: string): LocalState {
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(file, 'utf8'));
  } catch {
    throw new Error(`cannot read ${file}: is the local relay running (npm start)?`);
  }
  const state = raw as Partial<LocalState> | null;
  if (
    !state ||
    typeof state.sqsEndpoint !== 'string' ||
    typeof state.queueUrl !== 'string' ||
    typeof state.dlqUrl !== 'string'
  ) {
    throw new Error(`${file} does not name { sqsEndpoint, queueUrl, dlqUrl }`);
  }
  return { sqsEndpoint: state.sqsEndpoint, queueUrl: state.queueUrl, dlqUrl: state.dlqUrl };
}

/** `https://sqs.eu-west-1.amazonaws.com/…` → `eu-west-1`. */
function regionOf(queueUrl: string): string | undefined {
  if (!URL.canParse(queueUrl)) return undefined;
  return /^sqs\.([a-z0-9-]+)\.amazonaws\.com/.exec(new URL(queueUrl).hostname)?.[1];
}
