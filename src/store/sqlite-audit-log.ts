import type Database from 'better-sqlite3';
import type { AuditAction, AuditEntry, AuditLog, AuditOutcome, NewAuditEntry } from '../core/audit/ports.js';
import { clampLimit, expectRow, parseJsonObject, toIsoTimestamp, toJson } from './codec.js';
import type { StoreDatabase } from './database.js';

interface AuditRow {
  id: number;
  at: string;
  actor: string;
  action: AuditAction;
  outcome: AuditOutcome;
  incident_id: string | null;
  step_id: string | null;
  idempotency_key: string | null;
  duration_ms: number | null;
  summary: string;
  detail: string;
}

interface AuditInsert {
  at: string;
  actor: string;
  action: string;
  outcome: string;
  incident_id: string | null;
  step_id: string | null;
  idempotency_key: string | null;
  duration_ms: number | null;
  summary: string;
  detail: string;
}

const toEntry = (row: AuditRow): AuditEntry => ({
  id: row.id,
  at: row.at,
  actor: row.actor,
  action: row.action,
  outcome: row.outcome,
  summary: row.summary,
  incidentId: row.incident_id,
  stepId: row.step_id,
  idempotencyKey: row.idempotency_key,
  durationMs: row.duration_ms,
  detail: parseJsonObject(row.detail),
});

const COLUMNS =
  'id, at, actor, action, outcome, incident_id, step_id, idempotency_key, duration_ms, summary, detail';

/**
 * The audit log's only writer. It has an INSERT and SELECTs and nothing else; the schema's
 * triggers refuse UPDATE and DELETE from anywhere, and a test scans src/ for such statements.
 */
export class SqliteAuditLog implements AuditLog {
  private readonly insertStmt: Database.Statement<[AuditInsert], AuditRow>;
  private readonly latestStmt: Database.Statement<[number], AuditRow>;
  private readonly forIncidentStmt: Database.Statement<[string], AuditRow>;

  constructor(store: StoreDatabase) {
    const { db } = store;
    this.insertStmt = db.prepare<[AuditInsert], AuditRow>(
      `INSERT INTO audit_log (at, actor, action, outcome, incident_id, step_id, idempotency_key, duration_ms, summary, detail)
       VALUES (@at, @actor, @action, @outcome, @incident_id, @step_id, @idempotency_key, @duration_ms, @summary, @detail)
       RETURNING ${COLUMNS}`,
    );
    this.latestStmt = db.prepare<[number], AuditRow>(
      `SELECT ${COLUMNS} FROM audit_log ORDER BY id DESC LIMIT ?`,
    );
    this.forIncidentStmt = db.prepare<[string], AuditRow>(
      `SELECT ${COLUMNS} FROM audit_log WHERE incident_id = ? ORDER BY id`,
    );
  }

  append(entry: NewAuditEntry): AuditEntry {
    const row = this.insertStmt.get({
      at: toIsoTimestamp(entry.at, 'audit.at'),
      actor: entry.actor,
      action: entry.action,
      outcome: entry.outcome,
      incident_id: entry.incidentId ?? null,
      step_id: entry.stepId ?? null,
      idempotency_key: entry.idempotencyKey ?? null,
      duration_ms:
        entry.durationMs === undefined || entry.durationMs === null ? null : Math.round(entry.durationMs),
      summary: entry.summary,
      detail: toJson(entry.detail ?? {}, 'audit.detail'),
    });
    return toEntry(expectRow(row, 'audit_log insert'));
  }

  latest(limit: number): AuditEntry[] {
    return this.latestStmt.all(clampLimit(limit)).map(toEntry);
  }

  forIncident(incidentId: string): AuditEntry[] {
    return this.forIncidentStmt.all(incidentId).map(toEntry);
  }
}
