import type { IsoTimestamp } from '../audit/ports.js';
import { DAY_MS, type WatcherEvent } from './model.js';

export type WatcherName = 'signing_keys' | 'certificates' | 'credentials';

/** A watcher's last run: one line for /auth0 status, and the state the next run diffs against. */
export interface WatcherReading {
  readonly at: IsoTimestamp;
  /** False when something needs attention, or when the last check itself failed. */
  readonly ok: boolean;
  readonly summary: string;
  /** The watcher's own JSON state; each watcher validates it on read. */
  readonly state: unknown;
}

/** The latest reading per watcher, kept across restarts so a restart does not look like a change. */
export interface WatcherReadings {
  get(watcher: WatcherName): WatcherReading | null;
  /** Replaces the watcher's reading. */
  put(watcher: WatcherName, reading: WatcherReading): void;
}

/** What a pure watcher evaluation returns: the state to keep, the edges it saw, and a reading. */
export interface WatcherOutcome<S> {
  readonly state: S;
  readonly events: readonly WatcherEvent[];
  readonly reading: { readonly ok: boolean; readonly summary: string };
}

/** "in 23 days", "in 1 day", "in less than a day", "2 days ago": for summaries only. */
export const describeTimeLeft = (msLeft: number): string => {
  if (msLeft <= 0) {
    const ago = Math.floor(-msLeft / DAY_MS);
    return ago === 0 ? 'less than a day ago' : `${ago} ${ago === 1 ? 'day' : 'days'} ago`;
  }
  const days = Math.floor(msLeft / DAY_MS);
  return days === 0 ? 'in less than a day' : `in ${days} ${days === 1 ? 'day' : 'days'}`;
};
