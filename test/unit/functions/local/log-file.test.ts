import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { localLogReader } from '../../../../functions/cli/trace/local-log-reader';
import { BoundedLogFile, FileTeeLogger, previousGeneration } from '../../../../functions/local/log-file';

const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

function tempFile() {
  const dir = mkdtempSync(join(tmpdir(), 'relay-log-'));
  dirs.push(dir);
  return join(dir, 'state', 'relay.log');
}

describe('local log file', () => {
  it('stays within its size limit: the full file becomes relay.log.1, and trace reads both in order', async () => {
    const file = tempFile();
    const log = new BoundedLogFile(file, 400);
    const line = (n: number) =>
      JSON.stringify({
        timestamp: `2026-01-01T00:00:${String(n).padStart(2, '0')}.000Z`,
        step: 'retry',
        partyId: 'p',
        eventId: 'e',
        messageId: 'm',
        receiveCount: n,
      });
    for (let n = 1; n <= 12; n++) log.append(line(n));
    log.close();

    expect(statSync(file).size).toBeLessThanOrEqual(400);
    expect(statSync(previousGeneration(file)).size).toBeLessThanOrEqual(400);
    const records = await localLogReader(file).find({ by: 'event', partyId: 'p', eventId: 'e' });
    const counts = records.map((record) => record.receiveCount);
    expect(counts).toEqual([...counts].sort((a, b) => (a ?? 0) - (b ?? 0)));
    expect(counts.at(-1)).toBe(12);
  });

  it('the tee logger writes the very line Powertools prints, without the empty keys', () => {
    const file = tempFile();
    const sink = new BoundedLogFile(file);
    const printed: string[] = [];
    const original = process.stdout.write.bind(process.stdout);
    process.stdout.write = ((chunk: string) => {
      printed.push(String(chunk).trim());
      return true;
    }) as typeof process.stdout.write;
    try {
      new FileTeeLogger(sink, { serviceName: 'tee-test' }).info('delivered', {
        step: 'delivered',
        partyId: 'p',
        skipped: undefined,
      });
    } finally {
      process.stdout.write = original;
      sink.close();
    }
    const written = readFileSync(file, 'utf8').trim();
    expect(JSON.parse(written)).toMatchObject({
      message: 'delivered',
      step: 'delivered',
      partyId: 'p',
      service: 'tee-test',
    });
    expect(written).not.toContain('skipped');
    expect(printed).toContain(written);
  });

  it('a missing log file is a clear error', async () => {
    await expect(localLogReader(tempFile()).find({ by: 'correlation', correlationId: 'c' })).rejects.toThrow(
      /npm start/,
    );
  });
});
