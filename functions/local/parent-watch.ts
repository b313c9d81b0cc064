/**
 * Calls `onOrphaned` once when this process's parent ends. `npm start` runs the relay under npm and a
 * shell: a signal to npm is forwarded to the shell, which dies without passing it on, and the relay
 * would keep serving (and keep its port). Re-parenting is the one sign every such case shares.
 */
export function watchParent(onOrphaned: () => void, options: { intervalMs?: number } = {}): () => void {
  const parent = process.ppid;
  const timer = setInterval(() => {
    if (process.ppid === parent) return;
    clearInterval(timer);
    onOrphaned();
  }, options.intervalMs ?? 250);
  // Never the reason the process stays alive.
  timer.unref();
  return () => clearInterval(timer);
}
