import { closeSync, mkdirSync, openSync, renameSync, statSync, writeSync } from 'node:fs';
import { dirname } from 'node:path';
import type { LogItem } from '@aws-lambda-powertools/logger';
import { Logger } from '@aws-lambda-powertools/logger';
import { DEFAULT_LOG_FILE_MAX_BYTES, previousGeneration } from './log-file-names';

export { DEFAULT_LOG_FILE_MAX_BYTES, LOG_FILE_NAME, previousGeneration } from './log-file-names';

/**
 * Appends lines to a file, bounded in size: when the next line would pass `maxBytes`, the file becomes
 * `<file>.1` (replacing the older one) and a new file starts. Synchronous writes on one descriptor keep
 * lines whole and in order, and what a line says is on disk before the next step runs.
 */
export class BoundedLogFile {
  private fd: number;
  private size: number;

  constructor(
    readonly file: string,
    private readonly maxBytes = DEFAULT_LOG_FILE_MAX_BYTES,
  ) {
    mkdirSync(dirname(file), { recursive: true });
    this.fd = openSync(file, 'a');
    this.size = statSync(file).size;
  }

  append(line: string): void {
    const bytes = Buffer.from(`${line}\n`, 'utf8');
    if (this.size > 0 && this.size + bytes.byteLength > this.maxBytes) this.rotate();
    writeSync(this.fd, bytes);
    this.size += bytes.byteLength;
  }

  close(): void {
    closeSync(this.fd);
  }

  private rotate(): void {
    closeSync(this.fd);
    renameSync(this.file, previousGeneration(this.file));
    this.fd = openSync(this.file, 'a');
    this.size = 0;
  }
}

/**
 * The Powertools Logger, printing as usual and appending the very same JSON line to a file: local mode's
 * stand-in for CloudWatch Logs, so `relay trace` reads what the Lambdas would have written.
 */
export class FileTeeLogger extends Logger {
  constructor(
    private readonly sink: BoundedLogFile,
    options: ConstructorParameters<typeof Logger>[0] = {},
  ) {
    super(options);
  }

  protected override printLog(logLevel: number, log: LogItem): void {
    super.printLog(logLevel, log);
    this.sink.append(JSON.stringify(log.getAttributes(), this.getJsonReplacer()));
  }
}
