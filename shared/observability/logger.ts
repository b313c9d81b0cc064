import { Logger } from '@aws-lambda-powertools/logger';
import { CompactLogFormatter, type CompactLogOptions } from './compact-log-formatter';

/**
 * The relay's structured logger (Powertools, one JSON line per event). Callers log ids, kinds, counts
 * and outcomes, never secrets, signatures or payload bodies.
 */
export type RelayLogger = Pick<Logger, 'debug' | 'info' | 'warn' | 'error' | 'appendKeys' | 'removeKeys'>;

export function createLogger(
  serviceName: string,
  options: { logLevel?: string } & CompactLogOptions = {},
): Logger {
  return new Logger({
    serviceName,
    logLevel: (options.logLevel ?? process.env.POWERTOOLS_LOG_LEVEL ?? 'INFO') as 'INFO',
    logFormatter: new CompactLogFormatter({ timestamps: options.timestamps ?? false }),
  });
}

/** A logger that drops everything; for tests that assert on behaviour, not logs. */
export const silentLogger: RelayLogger = {
  debug: () => {},
  info: () => {},
  warn: () => {},
  error: () => {},
  appendKeys: () => {},
  removeKeys: () => {},
};
