/**
 * Every piece of work the app accepted and has not finished: a Slack handler, a step run, a
 * runbook being written, an async event listener. Shutdown stops intake and then drains this, up
 * to a deadline, instead of cutting a step or a rotation in half. Fire-and-forget work goes
 * through `spawn`, so no promise is ever left floating: each is caught, reported and counted.
 */
export interface InflightTracker {
  /** Marks work as accepted; call the returned function once it is done (twice is harmless). */
  begin(): () => void;
  readonly count: number;
  /** Resolves true when nothing is in flight, false when the deadline passed first. */
  drain(deadlineMs: number): Promise<boolean>;
}

export interface BackgroundTasks extends InflightTracker {
  /** Starts `work` now and owns its promise: a rejection goes to `onError`, never unhandled. */
  readonly spawn: (name: string, work: () => Promise<unknown>) => void;
  /** Owns a promise already running (an async event listener's), as `spawn` does. */
  readonly track: (name: string, work: Promise<unknown>) => void;
}

export interface BackgroundTasksOptions {
  readonly onError?: (name: string, error: unknown) => void;
  /** Every task's end, for the metric (`ok` or `failed`). */
  readonly onSettled?: (name: string, outcome: 'ok' | 'failed') => void;
}

export const createBackgroundTasks = (options: BackgroundTasksOptions = {}): BackgroundTasks => {
  let count = 0;
  let waiters: Array<() => void> = [];

  const settle = () => {
    if (count !== 0) return;
    const current = waiters;
    waiters = [];
    for (const w of current) w();
  };

  const begin = () => {
    count += 1;
    let done = false;
    return () => {
      if (done) return;
      done = true;
      count -= 1;
      settle();
    };
  };

  const report = (name: string, outcome: 'ok' | 'failed', error?: unknown) => {
    try {
      if (outcome === 'failed') options.onError?.(name, error);
      options.onSettled?.(name, outcome);
    } catch {
      // A failing reporter must not turn a settled task into an unhandled rejection.
    }
  };

  const track = (name: string, work: Promise<unknown>) => {
    const done = begin();
    work.then(
      () => {
        report(name, 'ok');
        done();
      },
      (error: unknown) => {
        report(name, 'failed', error);
        done();
      },
    );
  };

  return {
    begin,
    get count() {
      return count;
    },
    spawn: (name, work) => {
      let promise: Promise<unknown>;
      try {
        promise = work();
      } catch (error) {
        promise = Promise.reject(error instanceof Error ? error : new Error(String(error)));
      }
      track(name, promise);
    },
    track,
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
