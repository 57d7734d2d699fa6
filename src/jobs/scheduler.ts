import type { Logger } from '../logger.js';
import type { IntervalJob } from './job.js';

export interface SchedulerOptions {
  readonly logger: Logger;
  readonly now?: () => Date;
  readonly onRun?: (job: string, outcome: 'success' | 'failure' | 'skipped', ms: number) => void;
}

export interface Scheduler {
  add(job: IntervalJob): void;
  start(): void;
  /** Stops timers, aborts running jobs and waits for them to settle. */
  stop(): Promise<void>;
  /** Runs a job now (tests, and "recheck" actions), unless it is already running. */
  runNow(name: string): Promise<'ran' | 'skipped'>;
  running(): string[];
}

interface Entry {
  job: IntervalJob;
  timer: NodeJS.Timeout | undefined;
  current: Promise<void> | undefined;
}

/**
 * A tick that comes while the previous run is still going is skipped, not queued: a slow Auth0
 * must not build a backlog of polls. Errors are logged and counted; the next tick tries again.
 */
export const createScheduler = (options: SchedulerOptions): Scheduler => {
  const entries = new Map<string, Entry>();
  const controller = new AbortController();
  const now = options.now ?? (() => new Date());
  let started = false;

  const run = (entry: Entry): Promise<'ran' | 'skipped'> => {
    if (entry.current || controller.signal.aborted) {
      options.onRun?.(entry.job.name, 'skipped', 0);
      return Promise.resolve('skipped');
    }
    const began = performance.now();
    const scheduledFor = now();
    entry.current = entry.job
      .run({ scheduledFor, signal: controller.signal })
      .then(
        () => {
          options.onRun?.(entry.job.name, 'success', performance.now() - began);
        },
        (error: unknown) => {
          options.onRun?.(entry.job.name, 'failure', performance.now() - began);
          if (!controller.signal.aborted) {
            options.logger.warn(
              { event: 'job.failed', job: entry.job.name, err: error },
              `job ${entry.job.name} failed`,
            );
          }
        },
      )
      .finally(() => {
        entry.current = undefined;
      });
    return entry.current.then(() => 'ran' as const);
  };

  // run() reports a job's own failure; this catches only a failure of the reporting itself.
  const tick = (entry: Entry) => {
    run(entry).catch((error: unknown) => {
      options.logger.error(
        { event: 'job.tick_failed', job: entry.job.name, err: error },
        'a job tick failed',
      );
    });
  };

  const arm = (entry: Entry) => {
    entry.timer = setInterval(() => {
      tick(entry);
    }, entry.job.everyMs);
    entry.timer.unref();
    if (entry.job.runAtStart) tick(entry);
  };

  return {
    add(job) {
      if (entries.has(job.name)) throw new Error(`job ${job.name} is already scheduled`);
      const entry: Entry = { job, timer: undefined, current: undefined };
      entries.set(job.name, entry);
      if (started) arm(entry);
    },
    start() {
      if (started) return;
      started = true;
      for (const entry of entries.values()) arm(entry);
    },
    async stop() {
      controller.abort();
      for (const entry of entries.values()) clearInterval(entry.timer);
      await Promise.all([...entries.values()].map((e) => e.current ?? Promise.resolve()));
    },
    runNow(name) {
      const entry = entries.get(name);
      if (!entry) throw new Error(`no job named ${name}`);
      return run(entry);
    },
    running: () => [...entries.values()].filter((e) => e.current !== undefined).map((e) => e.job.name),
  };
};
