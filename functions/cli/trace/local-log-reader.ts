import { readFile } from 'node:fs/promises';
import { parseTraceRecord, type TraceRecord } from '../../../shared/observability/trace-fields';
import { previousGeneration } from '../../local/log-file-names';
import { matchesQuery, type TraceQuery } from './timeline';
import type { TraceReader } from './trace-reader';

/** Reads local mode's `STATE_DIR/relay.log` (and the older `relay.log.1`), oldest line first. */
export function localLogReader(file: string): TraceReader {
  return {
    async find(query: TraceQuery): Promise<TraceRecord[]> {
      const text = (await readIfExists(previousGeneration(file))) + (await readIfExists(file));
      if (text === '') {
        throw new Error(`no log lines in ${file}: has the local relay (npm start) run with this STATE_DIR?`);
      }
      const records: TraceRecord[] = [];
      // Only lines that contain the id (as JSON writes it) are parsed: most of a busy file is skipped.
      const needle = JSON.stringify(queryValue(query)).slice(1, -1);
      for (const line of text.split('\n')) {
        const record = line.includes(needle) ? parseTraceRecord(line) : undefined;
        if (record && matchesQuery(record, query)) records.push(record);
      }
      return records;
    },
  };
}

function queryValue(query: TraceQuery): string {
  if (query.by === 'event') return query.eventId;
  return query.by === 'correlation' ? query.correlationId : query.messageId;
}

async function readIfExists(file: string): Promise<string> {
  try {
    return await readFile(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return '';
    throw new Error(`cannot read ${file}`, { cause: error });
  }
}
