import type { Context } from 'aws-lambda';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { createLogger } from '../../../shared/observability/logger';

const context = {
  functionName: 'webhook-relay-ingress',
  functionVersion: '$LATEST',
  invokedFunctionArn: 'arn:aws:lambda:us-east-1:123456789012:function:webhook-relay-ingress',
  memoryLimitInMB: '512',
  awsRequestId: 'c7f441e8-6aa9-46ce-b7e7-0b137cc51d0d',
} as Context;

function captureLines(): () => Record<string, unknown>[] {
  const lines: string[] = [];
  const capture = (chunk: unknown) => {
    lines.push(String(chunk));
    return true;
  };
  vi.spyOn(process.stdout, 'write').mockImplementation(capture);
  for (const method of ['log', 'info', 'warn', 'error', 'debug'] as const) {
    vi.spyOn(console, method).mockImplementation((line: unknown) => void capture(line));
  }
  return () =>
    lines
      .flatMap((chunk) => chunk.split('\n'))
      .filter((line) => line.trim().startsWith('{'))
      .map((line) => JSON.parse(line) as Record<string, unknown>);
}

afterEach(() => vi.restoreAllMocks());

describe('compact log lines', () => {
  it('keep the request id and every key the relay adds, without what the log group already says', () => {
    const lines = captureLines();
    const logger = createLogger('webhook-relay-ingress', { logLevel: 'INFO' });
    logger.addContext(context);
    logger.info('webhook handled', {
      partyId: 'workdrive-demo',
      correlationId: 'corr-1',
      status: 202,
      accepted: 1,
    });

    // cold_start is Powertools' per-process flag: whichever logger saw the first context has it.
    const { cold_start: _coldStart, ...line } = lines()[0] ?? {};
    expect(line).toEqual({
      level: 'INFO',
      message: 'webhook handled',
      timestamp: expect.any(String),
      requestId: context.awsRequestId,
      partyId: 'workdrive-demo',
      correlationId: 'corr-1',
      status: 202,
      accepted: 1,
    });
  });

  it('say cold_start only on the invocation that had one', () => {
    const lines = captureLines();
    const logger = createLogger('webhook-relay-worker', { logLevel: 'INFO' });
    logger.addContext(context);
    logger.addContext(context);
    logger.info('delivered', { messageId: 'm-1' });

    const [line] = lines();
    expect(line).not.toHaveProperty('cold_start');
    expect(line).not.toHaveProperty('function_arn');
    expect(line).not.toHaveProperty('sampling_rate');
    expect(line).not.toHaveProperty('service');
    expect(line).toMatchObject({ requestId: context.awsRequestId, messageId: 'm-1' });
  });
});
