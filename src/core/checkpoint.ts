import type { IsoTimestamp } from './audit.js';

/**
 * Named progress markers, e.g. the Auth0 log poller's last `log_id`. A checkpoint is written in
 * the same transaction as the effects it covers, so work is done exactly once across crashes.
 */

export interface Checkpoint {
  readonly name: string;
  readonly value: string;
  readonly updatedAt: IsoTimestamp;
}

export interface CheckpointStore {
  get(name: string): Checkpoint | null;
  /** Upsert; call it inside `UnitOfWork.transaction` together with the batch's effects. */
  set(name: string, value: string, at: IsoTimestamp): void;
}

/**
 * Runs `fn` atomically: everything the stores do inside commits together or not at all. Nested
 * calls join the outer transaction (as a savepoint). `fn` must be synchronous.
 */
export interface UnitOfWork {
  transaction<T>(fn: () => T): T;
}
