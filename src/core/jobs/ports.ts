import type { IsoTimestamp } from '../audit/ports.js';

/**
 * One row per (job, slot) written before a scheduled run, so a slot runs at most once even when
 * the process restarts in the middle of a schedule.
 */

export type JobOutcome = 'succeeded' | 'failed' | 'skipped' | 'aborted';

export interface JobSlot {
  readonly job: string;
  /** The slot's identity, normally the ISO time it was scheduled for. */
  readonly slot: string;
  readonly startedAt: IsoTimestamp;
  readonly finishedAt: IsoTimestamp | null;
  readonly outcome: JobOutcome | null;
}

export interface JobSlots {
  /** True only for the first claimer of (job, slot), ever. */
  claim(job: string, slot: string, at: IsoTimestamp): boolean;
  /** Records the outcome once; false if the slot is unknown or already finished. */
  finish(job: string, slot: string, outcome: JobOutcome, at: IsoTimestamp): boolean;
  /** The most recently started slot of `job`. */
  latest(job: string): JobSlot | null;
}
