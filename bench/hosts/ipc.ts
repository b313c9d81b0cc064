/**
 * The child's side of the bench's IPC: one message in, one or more out. A child whose bench goes away
 * (the IPC channel closes) stops, so nothing outlives a bench run that was interrupted.
 */
export function reply(message: unknown): void {
  process.send?.(message as object);
}

const inbox: unknown[] = [];
const waiting: ((message: unknown) => void)[] = [];
process.on('message', (message) => {
  const taker = waiting.shift();
  if (taker) taker(message);
  else inbox.push(message);
});

export function nextMessage<T>(): Promise<T> {
  if (inbox.length > 0) return Promise.resolve(inbox.shift() as T);
  return new Promise((resolve) => waiting.push((message) => resolve(message as T)));
}

/** Runs a host's main; a failure is reported to the bench (message only) and ends the process. */
export function runHost(main: () => Promise<void>): void {
  process.once('disconnect', () => process.exit(0));
  main().then(
    () => process.exit(0),
    (error: unknown) => {
      const message = error instanceof Error ? (error.stack ?? error.message) : String(error);
      console.error(message);
      reply({ error: error instanceof Error ? error.message : String(error) });
      setTimeout(() => process.exit(1), 100);
    },
  );
}
