import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { MetricName } from '../../shared/observability/metric-names';
import { InMemoryMetrics } from '../../shared/observability/metrics';
import { DeliveryCounter } from '../support/delivery-counter';
import { spawnChild, stopAllChildren, waitForLogLine } from '../support/processes';

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'bench-processes-'));
});
afterEach(async () => {
  await stopAllChildren();
  await rm(dir, { recursive: true, force: true });
});

const node = (name: string, script: string) =>
  spawnChild({ name, args: ['-e', script], tsx: false, logFile: join(dir, `${name}.log`) });

describe('bench child processes', () => {
  it('exchange IPC messages in order, log to a file, and stop on request', async () => {
    const child = node(
      'echo',
      "console.log('ready on http://127.0.0.1:1'); process.send({ n: 1 }); process.on('message', (m) => process.send({ echo: m })); setInterval(() => {}, 1000);",
    );
    expect(await child.next()).toEqual({ n: 1 });
    child.send('hello');
    expect(await child.next()).toEqual({ echo: 'hello' });
    expect((await waitForLogLine(child, /ready on (\S+)/))[1]).toBe('http://127.0.0.1:1');
    await child.stop();
    expect(child.process.signalCode).toBe('SIGTERM');
  });

  it('turn a reported error into a rejection that carries the log tail', async () => {
    const child = node(
      'failing',
      "console.error('details in the log'); process.send({ error: 'it broke' });",
    );
    await expect(child.next()).rejects.toThrow(/failing: it broke[\s\S]*details in the log/);
  });

  it('reject a wait when the child exits without answering', async () => {
    const child = node('quitter', 'process.exit(3)');
    await expect(child.next()).rejects.toThrow(/quitter exited \(3\)/);
  });

  it('kill a child that ignores SIGTERM after the grace period', async () => {
    const child = node(
      'stubborn',
      "process.on('SIGTERM', () => {}); process.send({}); setInterval(() => {}, 1000);",
    );
    await child.next();
    await child.stop(200);
    expect(child.process.signalCode).toBe('SIGKILL');
  });
});

describe('delivery counter', () => {
  it('resolves when the n-th delivery is recorded, and passes every metric on', async () => {
    const inner = new InMemoryMetrics();
    const counter = new DeliveryCounter(inner);
    const third = counter.deliveredCount(3, 1000);
    counter.add(MetricName.DeliveryDelivered, 'Count', 1);
    counter.add(MetricName.DeliveryRetried, 'Count', 1);
    counter.add(MetricName.DeliveryDelivered, 'Count', 2);
    await expect(third).resolves.toEqual(expect.any(Number));
    expect(counter).toMatchObject({ delivered: 3, retried: 1, deadLettered: 0 });
    expect(inner.sum(MetricName.DeliveryDelivered)).toBe(3);
  });

  it('gives up after the timeout, saying how far it got', async () => {
    const counter = new DeliveryCounter();
    counter.add(MetricName.DeliveryDelivered, 'Count', 1);
    await expect(counter.deliveredCount(2, 20)).rejects.toThrow(/1 of 2 delivered/);
  });
});
