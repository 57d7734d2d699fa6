import type Database from 'better-sqlite3';
import type { Snooze, SnoozeStore } from '../core/incidents/quiet.js';
import type {
  MaintenanceStore,
  MaintenanceWindow,
  NewMaintenanceWindow,
  WindowScope,
} from '../core/maintenance/model.js';
import { expectRow, toIsoTimestamp } from './codec.js';
import type { StoreDatabase } from './database.js';

interface SnoozeRow {
  id: string;
  snoozed_until: string;
  snoozed_by: string;
}

interface WindowRow {
  id: string;
  scope_kind: WindowScope['kind'];
  scope_value: string;
  reason: string;
  origin: MaintenanceWindow['origin'];
  created_by: string;
  starts_at: string;
  ends_at: string;
  ended_at: string | null;
  ended_by: string | null;
}

const WINDOW_COLUMNS =
  'id, scope_kind, scope_value, reason, origin, created_by, starts_at, ends_at, ended_at, ended_by';

const toSnooze = (row: SnoozeRow): Snooze => ({
  incidentId: row.id,
  until: row.snoozed_until,
  by: row.snoozed_by,
});

const toWindow = (row: WindowRow): MaintenanceWindow => ({
  id: row.id,
  scope: row.scope_kind === 'tenant' ? { kind: 'tenant' } : { kind: row.scope_kind, value: row.scope_value },
  reason: row.reason,
  origin: row.origin,
  createdBy: row.created_by,
  startsAt: row.starts_at,
  endsAt: row.ends_at,
  endedAt: row.ended_at,
  endedBy: row.ended_by,
});

/** Snoozes (columns of `incidents`) and `maintenance_windows` (migration 011). */
export class SqliteQuietStore implements SnoozeStore, MaintenanceStore {
  private readonly clear: (incidentId: string, at: string) => Snooze | null;
  private readonly stmt: {
    snoozeOf: Database.Statement<[string], SnoozeRow>;
    setSnooze: Database.Statement<[string, string, string, string]>;
    clearSnooze: Database.Statement<[string, string]>;
    lapsedSnoozes: Database.Statement<[string], SnoozeRow>;
    insertWindow: Database.Statement<[WindowRow], WindowRow>;
    getWindow: Database.Statement<[string], WindowRow>;
    activeWindows: Database.Statement<[string, string], WindowRow>;
    lapsedWindows: Database.Statement<[string], WindowRow>;
    endWindow: Database.Statement<[string, string, string], WindowRow>;
  };

  constructor(store: StoreDatabase) {
    const { db } = store;
    this.stmt = {
      snoozeOf: db.prepare(
        `SELECT id, snoozed_until, snoozed_by FROM incidents
         WHERE id = ? AND snoozed_until IS NOT NULL AND state <> 'resolved'`,
      ),
      setSnooze: db.prepare(
        `UPDATE incidents SET snoozed_until = ?, snoozed_by = ?, updated_at = ?
         WHERE id = ? AND state <> 'resolved'`,
      ),
      clearSnooze: db.prepare(
        `UPDATE incidents SET snoozed_until = NULL, snoozed_by = NULL, updated_at = ?
         WHERE id = ? AND snoozed_until IS NOT NULL`,
      ),
      lapsedSnoozes: db.prepare(
        `SELECT id, snoozed_until, snoozed_by FROM incidents
         WHERE snoozed_until IS NOT NULL AND snoozed_until <= ? AND state <> 'resolved' ORDER BY snoozed_until, id`,
      ),
      insertWindow: db.prepare(
        `INSERT INTO maintenance_windows (${WINDOW_COLUMNS})
         VALUES (@id, @scope_kind, @scope_value, @reason, @origin, @created_by, @starts_at, @ends_at, @ended_at, @ended_by)
         RETURNING ${WINDOW_COLUMNS}`,
      ),
      getWindow: db.prepare(`SELECT ${WINDOW_COLUMNS} FROM maintenance_windows WHERE id = ?`),
      activeWindows: db.prepare(
        `SELECT ${WINDOW_COLUMNS} FROM maintenance_windows
         WHERE ended_at IS NULL AND starts_at <= ? AND ends_at > ? ORDER BY ends_at, id`,
      ),
      lapsedWindows: db.prepare(
        `SELECT ${WINDOW_COLUMNS} FROM maintenance_windows
         WHERE ended_at IS NULL AND ends_at <= ? ORDER BY ends_at, id`,
      ),
      endWindow: db.prepare(
        `UPDATE maintenance_windows SET ended_at = ?, ended_by = ? WHERE id = ? AND ended_at IS NULL
         RETURNING ${WINDOW_COLUMNS}`,
      ),
    };
    // Read and clear in one transaction (a savepoint inside the caller's): the snooze it returns is
    // the one it ended, so two wakes at once report one success and one "not snoozed".
    this.clear = db.transaction((incidentId: string, at: string) => {
      const row = this.stmt.snoozeOf.get(incidentId);
      if (!row) return null;
      this.stmt.clearSnooze.run(at, incidentId);
      return toSnooze(row);
    });
  }

  snoozeOf(incidentId: string): Snooze | null {
    const row = this.stmt.snoozeOf.get(incidentId);
    return row ? toSnooze(row) : null;
  }

  setSnooze(snooze: Snooze, at: string): boolean {
    const until = toIsoTimestamp(snooze.until, 'snooze.until');
    return (
      this.stmt.setSnooze.run(until, snooze.by, toIsoTimestamp(at, 'snooze.at'), snooze.incidentId)
        .changes === 1
    );
  }

  clearSnooze(incidentId: string, at: string): Snooze | null {
    return this.clear(incidentId, toIsoTimestamp(at, 'snooze.clearedAt'));
  }

  lapsedSnoozes(at: string): Snooze[] {
    return this.stmt.lapsedSnoozes.all(toIsoTimestamp(at)).map(toSnooze);
  }

  create(window: NewMaintenanceWindow): MaintenanceWindow {
    const row = this.stmt.insertWindow.get({
      id: window.id,
      scope_kind: window.scope.kind,
      scope_value: window.scope.kind === 'tenant' ? '' : window.scope.value,
      reason: window.reason,
      origin: window.origin,
      created_by: window.createdBy,
      starts_at: toIsoTimestamp(window.startsAt, 'window.startsAt'),
      ends_at: toIsoTimestamp(window.endsAt, 'window.endsAt'),
      ended_at: null,
      ended_by: null,
    });
    return toWindow(expectRow(row, 'maintenance window'));
  }

  get(id: string): MaintenanceWindow | null {
    const row = this.stmt.getWindow.get(id);
    return row ? toWindow(row) : null;
  }

  active(at: string): MaintenanceWindow[] {
    const t = toIsoTimestamp(at);
    return this.stmt.activeWindows.all(t, t).map(toWindow);
  }

  lapsed(at: string): MaintenanceWindow[] {
    return this.stmt.lapsedWindows.all(toIsoTimestamp(at)).map(toWindow);
  }

  end(id: string, by: string, at: string): MaintenanceWindow | null {
    const row = this.stmt.endWindow.get(toIsoTimestamp(at, 'window.endedAt'), by, id);
    return row ? toWindow(row) : null;
  }
}
