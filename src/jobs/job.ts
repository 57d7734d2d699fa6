/**
 * A job is a declaration: what runs, how often. The scheduler owns timers, overlap and stopping.
 * Interval jobs (pollers, watchers) may run again after a restart; cron jobs that must run once
 * per slot (rotation) claim a job-slot row first
 * (docs/decisions/0001-sqlite-claims-for-exactly-once.md).
 */
interface JobContext {
  readonly scheduledFor: Date;
  /** Aborted on stop(): pass it to every call so shutdown is not held up. */
  readonly signal: AbortSignal;
}

export interface IntervalJob {
  readonly name: string;
  readonly everyMs: number;
  /** Run once right at start instead of waiting a whole interval. */
  readonly runAtStart?: boolean;
  run(ctx: JobContext): Promise<void>;
}
