import type { IsoTimestamp } from '../audit/ports.js';

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

import type { ClassifiedLog, LogSignal } from './classification.js';

export type LogSource = 'poll' | 'stream';

export interface MinuteCount {
  readonly minute: string;
  readonly signal: LogSignal;
  readonly scope: string;
  readonly count: number;
  readonly ownCount: number;
}

export interface StoredLogEvent {
  readonly logId: string;
  readonly date: string;
  readonly type: string;
  readonly signal: LogSignal;
  readonly scope: string;
  readonly own: boolean;
  readonly clientId: string | null;
  readonly clientName: string | null;
  readonly ip: string | null;
  readonly connection: string | null;
  readonly userName: string | null;
  readonly userAgent: string | null;
  readonly description: string | null;
  readonly reason: string | null;
  readonly source: LogSource;
}

export interface RecentLogQuery {
  readonly signal?: LogSignal;
  /** Any of these signals (with `signal`, either). */
  readonly signals?: readonly LogSignal[];
  readonly scope?: string;
  readonly clientId?: string;
  readonly ip?: string;
  readonly since?: string;
  readonly limit: number;
  /** Newest first unless `oldest` (the first events since `since`, e.g. an episode's onset). */
  readonly order?: 'newest' | 'oldest';
}

/** Per-minute counts of some signals from `fromMinute` (to `toMinute`), of one scope or all. */
export interface CountQuery {
  readonly signals: readonly LogSignal[];
  readonly fromMinute: string;
  readonly toMinute?: string;
  readonly scope?: string;
}

/** Ingested tenant logs: the dedupe set, the recent history and the per-minute counts. */
export interface LogStore {
  /**
   * Stores the entries not seen before (by log_id) and adds them to the per-minute counts.
   * Returns the new ones; call inside a transaction with the checkpoint that covers them.
   */
  insert(batch: readonly ClassifiedLog[], source: LogSource, ingestedAt: string): ClassifiedLog[];
  counts(query: CountQuery): MinuteCount[];
  /**
   * The same rows as `counts`, handed to `visit` one at a time as they are read: a day of a busy
   * tenant's counts (hundreds of thousands of rows) is never held at once.
   */
  eachCount(query: CountQuery, visit: (row: MinuteCount) => void): void;
  recent(query: RecentLogQuery): StoredLogEvent[];
  newestDate(): string | undefined;
  /** Deletes events older than `eventsBefore` and counts older than `countsBefore`. */
  prune(eventsBefore: string, countsBefore: string): { events: number; counts: number };
}
