import type { RelayLogger } from '../../shared/observability/logger';

/** A logger that keeps every call's arguments, so tests can check what reaches the logs (and what never does). */
export function recordingLogger(): { lines: unknown[][]; logger: RelayLogger } {
  const lines: unknown[][] = [];
  const record = (...args: unknown[]) => {
    lines.push(args);
  };
  const logger: RelayLogger = {
    debug: record,
    info: record,
    warn: record,
    error: record,
    appendKeys: () => {},
    removeKeys: () => {},
  };
  return { lines, logger };
}
