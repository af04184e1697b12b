/** Exit codes of a run stopped by a signal, as a shell reports them (128 + the signal's number). */
export const SIGNAL_EXIT: Readonly<Record<'SIGINT' | 'SIGTERM', number>> = { SIGINT: 130, SIGTERM: 143 };

/**
 * The CLI's Ctrl-C: the first SIGINT or SIGTERM aborts `stop` (its reason is the signal's name), so
 * that training ends after its batch and writes what it has; a second one exits at once. Returns a
 * function that removes the handlers.
 */
export function handleSignals(
  stop: AbortController,
  exit: (code: number) => void,
  say: (line: string) => void,
): () => void {
  const handlers = (Object.keys(SIGNAL_EXIT) as (keyof typeof SIGNAL_EXIT)[]).map((signal) => {
    const handler = () => {
      if (stop.signal.aborted) return exit(SIGNAL_EXIT[signal]);
      say(`\ntfjs-regularization: ${signal}: stopping at the end of this batch (again to quit at once)`);
      stop.abort(signal);
    };
    process.on(signal, handler);
    return () => process.off(signal, handler);
  });
  return () => handlers.forEach((off) => off());
}
