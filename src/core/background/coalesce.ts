/**
 * Turns a burst of triggers into at most one run now and one more after it: a trigger that
 * arrives while `run` is going is remembered (once, however many arrive) and runs when it ends.
 * New logs trigger detection this way, so a backlog of pages evaluates a few times, not hundreds.
 */
export interface Coalesced {
  /** Starts a run, or marks one to follow the current run. */
  trigger(): void;
  /** The current run (and the one queued after it), for tests and shutdown; resolves when idle. */
  idle(): Promise<void>;
}

export const coalesce = (run: () => Promise<void>, spawn: (work: () => Promise<void>) => void): Coalesced => {
  let running: Promise<void> | undefined;
  let again = false;
  const start = (): Promise<void> => {
    const current = run().finally(() => {
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
    // Started here, not inside spawn, so a trigger right after this one already sees it running.
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
