import type { LogPoller } from '../core/logs/poller.js';
import type { LogStore } from '../core/logs/ports.js';
import type { IntervalJob } from './job.js';

/** Recent events stay queryable for three days; per-minute counts five weeks, for baselines. */
const EVENT_RETENTION_MS = 72 * 3_600_000;
const COUNT_RETENTION_MS = 35 * 86_400_000;

/** Polls the tenant's logs in checkpoint mode and reports how far behind the newest log is. */
export const logPollJob = (deps: {
  readonly poller: LogPoller;
  readonly everyMs: number;
  readonly now: () => Date;
  readonly onLag: (seconds: number) => void;
}): IntervalJob => ({
  name: 'auth0.logs.poll',
  everyMs: deps.everyMs,
  runAtStart: true,
  run: async ({ signal }) => {
    await deps.poller.poll(signal);
    const newest = deps.poller.status().newestLogDate;
    if (newest) deps.onLag((deps.now().getTime() - Date.parse(newest)) / 1000);
  },
});

/** Drops events and counts past their retention, hourly. */
export const logPruneJob = (deps: {
  readonly logs: Pick<LogStore, 'prune'>;
  readonly now: () => Date;
  readonly onPruned: (removed: { events: number; counts: number }) => void;
}): IntervalJob => ({
  name: 'logs.prune',
  everyMs: 3_600_000,
  run: () => {
    const t = deps.now().getTime();
    deps.onPruned(
      deps.logs.prune(
        new Date(t - EVENT_RETENTION_MS).toISOString(),
        new Date(t - COUNT_RETENTION_MS).toISOString(),
      ),
    );
    return Promise.resolve();
  },
});
