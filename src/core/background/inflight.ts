/**
 * Counts work that has been accepted and not yet finished, so shutdown can stop intake and then
 * wait for what is running, up to a deadline, instead of cutting a step or a rotation in half.
 */
export interface InflightTracker {
  begin(): () => void;
  readonly count: number;
  /** Resolves true when nothing is in flight, false when the deadline passed first. */
  drain(deadlineMs: number): Promise<boolean>;
}

export const createInflightTracker = (): InflightTracker => {
  let count = 0;
  let waiters: Array<() => void> = [];

  const settle = () => {
    if (count !== 0) return;
    const current = waiters;
    waiters = [];
    for (const w of current) w();
  };

  return {
    begin() {
      count += 1;
      let done = false;
      return () => {
        if (done) return;
        done = true;
        count -= 1;
        settle();
      };
    },
    get count() {
      return count;
    },
    async drain(deadlineMs) {
      if (count === 0) return true;
      let timer: NodeJS.Timeout | undefined;
      const idle = new Promise<boolean>((resolve) => {
        waiters.push(() => {
          resolve(true);
        });
      });
      const late = new Promise<boolean>((resolve) => {
        timer = setTimeout(() => {
          resolve(false);
        }, deadlineMs);
      });
      try {
        return await Promise.race([idle, late]);
      } finally {
        clearTimeout(timer);
      }
    },
  };
};
