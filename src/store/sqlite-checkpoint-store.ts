import type Database from 'better-sqlite3';
import type { Checkpoint, CheckpointStore } from '../core/logs/ports.js';
import { toIsoTimestamp } from './codec.js';
import type { StoreDatabase } from './database.js';

interface CheckpointRow {
  name: string;
  value: string;
  updated_at: string;
}

/**
 * Plain reads and upserts with no transaction of their own: `set` is meant to run inside the
 * caller's `transaction`, next to the writes the checkpoint vouches for.
 */
export class SqliteCheckpointStore implements CheckpointStore {
  private readonly getStmt: Database.Statement<[string], CheckpointRow>;
  private readonly setStmt: Database.Statement<[string, string, string]>;

  constructor(store: StoreDatabase) {
    this.getStmt = store.db.prepare<[string], CheckpointRow>(
      'SELECT name, value, updated_at FROM checkpoints WHERE name = ?',
    );
    this.setStmt = store.db.prepare<[string, string, string]>(
      `INSERT INTO checkpoints (name, value, updated_at) VALUES (?, ?, ?)
       ON CONFLICT (name) DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at`,
    );
  }

  get(name: string): Checkpoint | null {
    const row = this.getStmt.get(name);
    return row ? { name: row.name, value: row.value, updatedAt: row.updated_at } : null;
  }

  set(name: string, value: string, at: string): void {
    this.setStmt.run(name, value, toIsoTimestamp(at, 'checkpoint.updatedAt'));
  }
}
