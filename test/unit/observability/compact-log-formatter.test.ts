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
  vi.spyOn(process.stderr, 'write').mockImplementation(capture);
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
  it('INFO (the hot path): the message and the keys the relay adds, nothing CloudWatch already knows', () => {
    const lines = captureLines();
    const logger = createLogger('webhook-relay-ingress', { logLevel: 'INFO' });
    logger.addContext(context);
    logger.info('webhook handled', {
      partyId: 'workdrive-demo',
      correlationId: 'corr-1',
      step: 'accepted',
      status: 202,
    });

    // cold_start is Powertools' per-process flag: whichever logger saw the first context has it.
    const { cold_start: _coldStart, ...line } = lines()[0] ?? {};
    // Exactly these keys: no level (INFO is what a line without one is), no time (the log event's own),
    // no request id, function name, ARN, memory size, service or sampling rate.
    expect(line).toEqual({
      message: 'webhook handled',
      partyId: 'workdrive-demo',
      correlationId: 'corr-1',
      step: 'accepted',
      status: 202,
    });
  });

  it('WARN and ERROR keep their level and the Lambda request id, to match the invocation', () => {
    const lines = captureLines();
    const logger = createLogger('webhook-relay-worker', { logLevel: 'INFO' });
    logger.addContext(context);
    logger.warn('Workspace 365 did not take the delivery; retrying', { messageId: 'm-1' });
    logger.error('delivery failed unexpectedly', { messageId: 'm-2' });

    const [warn, error] = lines().map(({ cold_start: _coldStart, ...line }) => line);
    expect(warn).toEqual({
      level: 'WARN',
      message: 'Workspace 365 did not take the delivery; retrying',
      requestId: context.awsRequestId,
      messageId: 'm-1',
    });
    expect(error).toEqual({
      level: 'ERROR',
      message: 'delivery failed unexpectedly',
      requestId: context.awsRequestId,
      messageId: 'm-2',
    });
  });

  it('print their own time only when asked (a host without CloudWatch)', () => {
    const lines = captureLines();
    const logger = createLogger('webhook-relay-local', { logLevel: 'INFO', timestamps: true });
    logger.info('webhook handled', { partyId: 'acme' });

    const [line] = lines();
    expect(line?.timestamp).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
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
    expect(line).toEqual({ message: 'delivered', messageId: 'm-1' });
  });
});
