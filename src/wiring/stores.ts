import {
  openDatabase,
  SqliteAuditLog,
  SqliteAuditRetention,
  SqliteCheckpointStore,
  SqliteIdempotencyClaims,
  SqliteIncidentStore,
  SqliteJobSlots,
  SqliteLogStore,
  SqliteRotationControl,
  SqliteRotationStore,
  SqliteTenantEventStore,
  SqliteWatcherReadings,
  type StoreDatabase,
} from '../store/index.js';
import { SqliteJwksHookStore, SqliteOutboxStore } from '../store/index.js';
import { SqliteThreadStore } from '../store/sqlite-thread-store.js';
import { SqliteQuietStore } from '../store/sqlite-quiet-store.js';

/** Every repository, built once over the one database; features receive the ones they use. */
export interface Stores {
  readonly db: StoreDatabase;
  readonly audit: SqliteAuditLog;
  readonly auditRetention: SqliteAuditRetention;
  readonly logs: SqliteLogStore;
  readonly checkpoints: SqliteCheckpointStore;
  readonly watcherReadings: SqliteWatcherReadings;
  readonly incidents: SqliteIncidentStore;
  readonly claims: SqliteIdempotencyClaims;
  readonly rotations: SqliteRotationStore;
  readonly rotationControl: SqliteRotationControl;
  readonly jobSlots: SqliteJobSlots;
  readonly threads: SqliteThreadStore;
  readonly outbox: SqliteOutboxStore;
  readonly jwksHooks: SqliteJwksHookStore;
  readonly tenantEvents: SqliteTenantEventStore;
  /** Snoozes and maintenance windows. */
  readonly quiet: SqliteQuietStore;
}

export const createStores = (path: string): Stores => {
  // The app's own database: one process at a time (docs/decisions/0006-single-instance.md).
  const db = openDatabase({ path, exclusive: true });
  return {
    db,
    audit: new SqliteAuditLog(db),
    auditRetention: new SqliteAuditRetention(db),
    logs: new SqliteLogStore(db),
    checkpoints: new SqliteCheckpointStore(db),
    watcherReadings: new SqliteWatcherReadings(db),
    incidents: new SqliteIncidentStore(db),
    claims: new SqliteIdempotencyClaims(db),
    rotations: new SqliteRotationStore(db),
    rotationControl: new SqliteRotationControl(db),
    jobSlots: new SqliteJobSlots(db),
    threads: new SqliteThreadStore(db),
    outbox: new SqliteOutboxStore(db),
    jwksHooks: new SqliteJwksHookStore(db),
    tenantEvents: new SqliteTenantEventStore(db),
    quiet: new SqliteQuietStore(db),
  };
};
