/**
 * Turns a burst of triggers into at most one run now and one more after it: a trigger that
 * arrives while `run` is going is remembered (once, however many arrive) and runs when it ends.
 * New logs trigger detection this way, so a backlog of pages evaluates a few times, not hundreds.
 *
 * With `spacingMs`, runs also start at least that far apart: a trigger soon after a run waits for
 * the rest of the spacing (triggers meanwhile join it), so a drain whose pages each arrive after
 * the previous run has finished still evaluates a few times a second, not once per page. A trigger
 * after a quiet spell runs at once.
 */
export interface Coalesced {
  /** Starts a run, or marks one to follow the current run. */
  trigger(): void;
  /** The current run (and the one queued after it), for tests and shutdown; resolves when idle. */
  idle(): Promise<void>;
}

export interface CoalesceOptions {
  /** The least time between the starts of two runs; 0 (the default) runs back to back. */
  readonly spacingMs?: number;
}

export const coalesce = (
  run: () => Promise<void>,
  spawn: (work: () => Promise<void>) => void,
  options: CoalesceOptions = {},
): Coalesced => {
  const spacingMs = options.spacingMs ?? 0;
  let running: Promise<void> | undefined;
  let again = false;
  let lastStart = -Infinity;
  const runNow = () => {
    lastStart = performance.now();
    // A trigger from before this start is served by this run: it reads everything committed so far.
    again = false;
    return run();
  };
  const start = (): Promise<void> => {
    const wait = lastStart + spacingMs - performance.now();
    // Synchronous when due, so a trigger right after this one already sees it running.
    const begun =
      wait > 0 ? new Promise<void>((resolve) => setTimeout(resolve, wait)).then(runNow) : runNow();
    const current = begun.finally(() => {
      running = undefined;
      if (again) {
        again = false;
        trigger();
      }
    });
    running = current;
    return current;
  };
  const trigger = () => {
    if (running) {
      again = true;
      return;
    }
    const current = start();
    spawn(() => current);
  };
  return {
    trigger,
    async idle() {
      while (running) await running.catch(() => undefined);
    },
  };
};
