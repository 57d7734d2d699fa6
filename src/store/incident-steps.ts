import type Database from 'better-sqlite3';
import type {
  IncidentStep,
  NewIncidentStep,
  StepChangeResult,
  StepKind,
  StepState,
  StepStateChange,
} from '../core/incidents/model.js';
import { AppError } from '../errors.js';
import { errorMessage, parseJsonObject, sqliteCode, toIsoTimestamp, toJson } from './codec.js';

interface StepRow {
  incident_id: string;
  step_id: string;
  position: number;
  kind: StepKind;
  title: string;
  body: string;
  action: string | null;
  params: string;
  destructive: number;
  state: StepState;
  last_key: string | null;
  updated_at: string;
}

interface StepInsert {
  incident_id: string;
  step_id: string;
  position: number;
  kind: string;
  title: string;
  body: string;
  action: string | null;
  params: string;
  destructive: number;
  updated_at: string;
}

interface StepUpdate {
  incident_id: string;
  step_id: string;
  state: string;
  last_key: string | null;
  updated_at: string;
  from: string | null;
}

const toStep = (row: StepRow): IncidentStep => ({
  incidentId: row.incident_id,
  stepId: row.step_id,
  position: row.position,
  kind: row.kind,
  title: row.title,
  body: row.body,
  action: row.action,
  params: parseJsonObject(row.params),
  destructive: row.destructive === 1,
  state: row.state,
  lastKey: row.last_key,
  updatedAt: row.updated_at,
});

const toInsert = (incidentId: string, step: NewIncidentStep, position: number, at: string): StepInsert => ({
  incident_id: incidentId,
  step_id: step.stepId,
  position,
  kind: step.kind,
  title: step.title,
  body: step.body,
  action: step.kind === 'action' ? step.action : null,
  params: toJson(step.kind === 'action' ? (step.params ?? {}) : {}, 'step.params'),
  destructive: step.kind === 'action' && step.destructive === true ? 1 : 0,
  updated_at: at,
});

const COLUMNS =
  'incident_id, step_id, position, kind, title, body, action, params, destructive, state, last_key, updated_at';

/**
 * The runbook steps of incidents: part of the incident aggregate, kept apart only for size.
 * Methods run inside the SqliteIncidentStore's transactions; none opens its own.
 */
export class IncidentSteps {
  private readonly listStmt: Database.Statement<[string], StepRow>;
  private readonly getStmt: Database.Statement<[string, string], StepRow>;
  private readonly startedStmt: Database.Statement<[string], { n: number }>;
  private readonly clearStmt: Database.Statement<[string]>;
  private readonly insertStmt: Database.Statement<[StepInsert]>;
  private readonly setStateStmt: Database.Statement<[StepUpdate], StepRow>;

  constructor(db: Database.Database) {
    this.listStmt = db.prepare<[string], StepRow>(
      `SELECT ${COLUMNS} FROM incident_steps WHERE incident_id = ? ORDER BY position`,
    );
    this.getStmt = db.prepare<[string, string], StepRow>(
      `SELECT ${COLUMNS} FROM incident_steps WHERE incident_id = ? AND step_id = ?`,
    );
    this.startedStmt = db.prepare<[string], { n: number }>(
      "SELECT count(*) AS n FROM incident_steps WHERE incident_id = ? AND state <> 'pending'",
    );
    this.clearStmt = db.prepare<[string]>('DELETE FROM incident_steps WHERE incident_id = ?');
    this.insertStmt = db.prepare<[StepInsert]>(
      `INSERT INTO incident_steps (incident_id, step_id, position, kind, title, body, action, params, destructive, updated_at)
       VALUES (@incident_id, @step_id, @position, @kind, @title, @body, @action, @params, @destructive, @updated_at)`,
    );
    this.setStateStmt = db.prepare<[StepUpdate], StepRow>(
      `UPDATE incident_steps SET state = @state, last_key = coalesce(@last_key, last_key), updated_at = @updated_at
       WHERE incident_id = @incident_id AND step_id = @step_id
         AND (@from IS NULL OR state IN (SELECT value FROM json_each(@from)))
       RETURNING ${COLUMNS}`,
    );
  }

  list(incidentId: string): IncidentStep[] {
    return this.listStmt.all(incidentId).map(toStep);
  }

  get(incidentId: string, stepId: string): IncidentStep | null {
    const row = this.getStmt.get(incidentId, stepId);
    return row ? toStep(row) : null;
  }

  anyStarted(incidentId: string): boolean {
    return (this.startedStmt.get(incidentId)?.n ?? 0) > 0;
  }

  /** Replaces every step; positions follow the array order. */
  replace(incidentId: string, steps: readonly NewIncidentStep[], at: string): void {
    this.clearStmt.run(incidentId);
    steps.forEach((step, position) => {
      try {
        this.insertStmt.run(toInsert(incidentId, step, position, at));
      } catch (error) {
        if (!sqliteCode(error)?.startsWith('SQLITE_CONSTRAINT')) throw error;
        throw new AppError(
          'invalid_input',
          `runbook step "${step.stepId}" was refused: ${errorMessage(error)}`,
          {
            cause: error,
          },
        );
      }
    });
  }

  setState(incidentId: string, stepId: string, change: StepStateChange): StepChangeResult {
    const row = this.setStateStmt.get({
      incident_id: incidentId,
      step_id: stepId,
      state: change.state,
      last_key: change.lastKey ?? null,
      updated_at: toIsoTimestamp(change.at, 'step.updatedAt'),
      from: change.from === undefined ? null : JSON.stringify(change.from),
    });
    if (row) return { ok: true, step: toStep(row) };
    const step = this.get(incidentId, stepId);
    return step ? { ok: false, reason: 'invalid_state', step } : { ok: false, reason: 'not_found' };
  }
}
