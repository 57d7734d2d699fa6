import type Database from 'better-sqlite3';
import type { AuditRetention } from '../core/audit/ports.js';
import { toIsoTimestamp } from './codec.js';
import type { StoreDatabase } from './database.js';

/**
 * The audit log's only deleter (AUDIT_RETENTION_DAYS). It moves the retention horizon forward,
 * then deletes what lies before it, in one transaction; the schema's trigger refuses to delete
 * any entry at or after the horizon, so nothing else can remove an entry (migration 005).
 */
export class SqliteAuditRetention implements AuditRetention {
  private readonly store: StoreDatabase;
  private readonly moveHorizon: Database.Statement<[string]>;
  private readonly deleteBefore: Database.Statement<[]>;

  constructor(store: StoreDatabase) {
    this.store = store;
    this.moveHorizon = store.db.prepare(
      'UPDATE audit_retention SET prune_before = max(prune_before, ?) WHERE id = 1',
    );
    this.deleteBefore = store.db.prepare(
      'DELETE FROM audit_log WHERE at < (SELECT prune_before FROM audit_retention WHERE id = 1)',
    );
  }

  pruneBefore(before: string): number {
    const horizon = toIsoTimestamp(before, 'audit retention horizon');
    return this.store.transaction(() => {
      this.moveHorizon.run(horizon);
      return this.deleteBefore.run().changes;
    });
  }
}
