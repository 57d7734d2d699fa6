import type { LogPoller } from '../core/logs/poller.js';
import type { AuditRetention } from '../core/audit/ports.js';
import type { LogStore } from '../core/logs/ports.js';
import type { IntervalJob } from './job.js';

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

const HOUR_MS = 3_600_000;

/**
 * Drops events and counts past their retention (LOG_RETENTION_HOURS, COUNT_RETENTION_DAYS), hourly
 * and once at start, so a lowered setting takes effect at the next start.
 */
export const logPruneJob = (deps: {
  readonly logs: Pick<LogStore, 'prune'>;
  readonly retention: { readonly logEventHours: number; readonly countDays: number };
  readonly now: () => Date;
  readonly onPruned: (removed: { events: number; counts: number }) => void;
}): IntervalJob => ({
  name: 'logs.prune',
  everyMs: HOUR_MS,
  runAtStart: true,
  run: () => {
    const t = deps.now().getTime();
    deps.onPruned(
      deps.logs.prune(
        new Date(t - deps.retention.logEventHours * HOUR_MS).toISOString(),
        new Date(t - deps.retention.countDays * 24 * HOUR_MS).toISOString(),
      ),
    );
    return Promise.resolve();
  },
});

/** Drops audit entries older than AUDIT_RETENTION_DAYS, daily and once at start. */
export const auditPruneJob = (deps: {
  readonly audit: AuditRetention;
  readonly days: number;
  readonly now: () => Date;
  readonly onPruned: (removed: number) => void;
}): IntervalJob => ({
  name: 'audit.prune',
  everyMs: 24 * HOUR_MS,
  runAtStart: true,
  run: () => {
    const before = new Date(deps.now().getTime() - deps.days * 24 * HOUR_MS).toISOString();
    deps.onPruned(deps.audit.pruneBefore(before));
    return Promise.resolve();
  },
});
