import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';

// Runs one of the project's own entry points (`npm start`, `npm run sandbox`) unchanged, as a child of
// the bench; when the bench goes away it gets SIGTERM, like Ctrl+C, and shuts down the way it always does.
const entry = process.argv[2];
if (!entry) throw new Error('usage: entry.ts <entry point>');
process.once('disconnect', () => process.kill(process.pid, 'SIGTERM'));
// The entry point reads its own arguments (`npm start -- --fresh`): it must not see its own path as one.
process.argv.splice(2, 1);
await import(pathToFileURL(resolve(entry)).href);
