import { randomUUID } from 'node:crypto';
import type { Context } from 'aws-lambda';
import { nextMessage, reply, runHost } from './ipc';

/**
 * One Lambda execution environment: imports a function's real handler module (functions/<name>/handler.ts,
 * composed as for AWS, its env pointing at the bench's counting stand-ins) and invokes it one event at
 * a time, as Lambda does. Per invocation it reports CPU (user + system), wall time, and the bytes the
 * function printed — every stdout/stderr line is a CloudWatch log event in Lambda.
 */
export type LambdaJob = { events: unknown[] };
export type InvocationFigures = {
  cpuUs: number;
  wallMs: number;
  logBytes: number;
  logLines: number;
  /** Resident memory after the invocation, MB (REPORT's Max Memory Used). */
  rssMb: number;
  result: unknown;
};

let printedBytes = 0;
let printedLines = 0;
for (const stream of [process.stdout, process.stderr]) {
  const write = stream.write.bind(stream) as (...args: unknown[]) => boolean;
  stream.write = ((chunk: string | Uint8Array, ...rest: unknown[]) => {
    const text = typeof chunk === 'string' ? chunk : Buffer.from(chunk).toString('utf8');
    printedBytes += Buffer.byteLength(text);
    printedLines += text.split('\n').filter((line) => line.length > 0).length;
    return write(chunk, ...rest);
  }) as typeof stream.write;
}

function context(name: string): Context {
  const deadline = Date.now() + 30_000;
  return {
    callbackWaitsForEmptyEventLoop: false,
    functionName: `webhook-relay-bench-${name}`,
    functionVersion: '$LATEST',
    invokedFunctionArn: `arn:aws:lambda:us-east-1:123456789012:function:webhook-relay-bench-${name}`,
    memoryLimitInMB: process.env.AWS_LAMBDA_FUNCTION_MEMORY_SIZE ?? '512',
    awsRequestId: randomUUID(),
    logGroupName: `/aws/lambda/webhook-relay-bench-${name}`,
    logStreamName: 'bench',
    getRemainingTimeInMillis: () => Math.max(0, deadline - Date.now()),
    done: () => {},
    fail: () => {},
    succeed: () => {},
  };
}

runHost(async () => {
  const name = process.argv[2];
  if (name !== 'ingress' && name !== 'worker') throw new Error('usage: lambda-function.ts ingress|worker');
  const module = (await import(`../../functions/${name}/handler.ts`)) as {
    handler: (event: unknown, context: Context) => Promise<unknown>;
  };
  reply({ ready: true });
  for (;;) {
    const job = await nextMessage<LambdaJob | { stop: true }>();
    if ('stop' in job) return;
    const figures: InvocationFigures[] = [];
    for (const event of job.events) {
      const bytesBefore = printedBytes;
      const linesBefore = printedLines;
      const cpuBefore = process.cpuUsage();
      const started = performance.now();
      const result = await module.handler(event, context(name));
      const wallMs = performance.now() - started;
      const cpu = process.cpuUsage(cpuBefore);
      figures.push({
        cpuUs: cpu.user + cpu.system,
        wallMs,
        logBytes: printedBytes - bytesBefore,
        logLines: printedLines - linesBefore,
        rssMb: Math.round(process.memoryUsage.rss() / 1024 / 1024),
        result,
      });
    }
    reply({ figures });
  }
});
