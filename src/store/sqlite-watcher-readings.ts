import type Database from 'better-sqlite3';
import type { WatcherName, WatcherReading, WatcherReadings } from '../core/watchers/ports.js';
import { parseJson, toIsoTimestamp, toJson } from './codec.js';
import type { StoreDatabase } from './database.js';

interface WatcherRow {
  at: string;
  ok: number;
  summary: string;
  state: string;
}

interface WatcherUpsert {
  watcher: string;
  at: string;
  ok: number;
  summary: string;
  state: string;
}

/**
 * One row per watcher, replaced on every run. `state` is opaque JSON here: each watcher validates
 * its own shape on read, so a hand-edited value costs a fresh baseline, not a crash.
 */
export class SqliteWatcherReadings implements WatcherReadings {
  private readonly getStmt: Database.Statement<[string], WatcherRow>;
  private readonly putStmt: Database.Statement<[WatcherUpsert]>;

  constructor(store: StoreDatabase) {
    const { db } = store;
    this.getStmt = db.prepare<[string], WatcherRow>(
      'SELECT at, ok, summary, state FROM watcher_readings WHERE watcher = ?',
    );
    this.putStmt = db.prepare<[WatcherUpsert]>(
      `INSERT INTO watcher_readings (watcher, at, ok, summary, state)
       VALUES (@watcher, @at, @ok, @summary, @state)
       ON CONFLICT (watcher) DO UPDATE SET
         at = excluded.at, ok = excluded.ok, summary = excluded.summary, state = excluded.state`,
    );
  }

  get(watcher: WatcherName): WatcherReading | null {
    const row = this.getStmt.get(watcher);
    if (!row) return null;
    return { at: row.at, ok: row.ok === 1, summary: row.summary, state: parseJson(row.state) };
  }

  put(watcher: WatcherName, reading: WatcherReading): void {
    this.putStmt.run({
      watcher,
      at: toIsoTimestamp(reading.at, 'watcher.at'),
      ok: reading.ok ? 1 : 0,
      summary: reading.summary,
      // undefined (no state yet) is stored as JSON null, which every watcher reads as "no baseline".
      state: toJson(reading.state ?? null, 'watcher.state'),
    });
  }
}
