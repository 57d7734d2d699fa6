import type { ClassifiedLog, LogSignal } from './log-classification.js';

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
  readonly scope?: string;
  readonly clientId?: string;
  readonly ip?: string;
  readonly since?: string;
  readonly limit: number;
}

/** Ingested tenant logs: the dedupe set, the recent history and the per-minute counts. */
export interface LogStore {
  /**
   * Stores the entries not seen before (by log_id) and adds them to the per-minute counts.
   * Returns the new ones; call inside a transaction with the checkpoint that covers them.
   */
  insert(batch: readonly ClassifiedLog[], source: LogSource, ingestedAt: string): ClassifiedLog[];
  counts(query: {
    signals: readonly LogSignal[];
    fromMinute: string;
    toMinute?: string;
    scope?: string;
  }): MinuteCount[];
  recent(query: RecentLogQuery): StoredLogEvent[];
  newestDate(): string | undefined;
  /** Deletes events older than `eventsBefore` and counts older than `countsBefore`. */
  prune(eventsBefore: string, countsBefore: string): { events: number; counts: number };
}
