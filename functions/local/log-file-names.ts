/**
 * Where local mode's log file lives; apart from the writer (log-file.ts) so the CLI can find the file
 * without loading the logger.
 */

/** The local relay's log file under `STATE_DIR`; `relay trace` reads it (and its one older generation). */
export const LOG_FILE_NAME = 'relay.log';
/** @default 10 MiB per generation, so the file never holds more than about twice that. */
export const DEFAULT_LOG_FILE_MAX_BYTES = 10 * 1024 * 1024;

/** The older generation `relay.log.1`, kept once the current file reaches its size limit. */
export const previousGeneration = (file: string): string => `${file}.1`;
