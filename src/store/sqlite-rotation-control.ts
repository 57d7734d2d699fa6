import type Database from 'better-sqlite3';
import type { RotationControl } from '../core/rotation/ports.js';
import { toIsoTimestamp } from './codec.js';
import type { StoreDatabase } from './database.js';

/** Whether scheduled rotation is paused per target; absent means not paused. */
export class SqliteRotationControl implements RotationControl {
  private readonly getStmt: Database.Statement<[string], { paused: number }>;
  private readonly setStmt: Database.Statement<[string, number, string, string]>;

  constructor(store: StoreDatabase) {
    this.getStmt = store.db.prepare('SELECT paused FROM rotation_controls WHERE client_id = ?');
    this.setStmt = store.db.prepare(
      `INSERT INTO rotation_controls (client_id, paused, changed_by, changed_at) VALUES (?, ?, ?, ?)
       ON CONFLICT (client_id) DO UPDATE SET paused = excluded.paused, changed_by = excluded.changed_by, changed_at = excluded.changed_at`,
    );
  }

  isPaused(clientId: string): boolean {
    return this.getStmt.get(clientId)?.paused === 1;
  }

  setPaused(clientId: string, paused: boolean, by: string, at: string): void {
    this.setStmt.run(clientId, paused ? 1 : 0, by, toIsoTimestamp(at, 'rotation_controls.changed_at'));
  }
}
