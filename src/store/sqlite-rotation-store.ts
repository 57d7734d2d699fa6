import type Database from 'better-sqlite3';
import type {
  NewRotation,
  Rotation,
  RotationChangeResult,
  RotationFinish,
  RotationOutcome,
  RotationPatch,
  RotationStartResult,
  RotationStore,
  RotationStrategy,
  RotationTrigger,
} from '../core/rotation/model.js';
import { clampLimit, expectRow, insertOrConflict, parseJsonObject, toIsoTimestamp, toJson } from './codec.js';
import type { StoreDatabase } from './database.js';

interface RotationRow {
  id: string;
  target_client_id: string;
  strategy: RotationStrategy;
  trigger: RotationTrigger;
  requested_by: string;
  state: string;
  client_request_token: string | null;
  started_at: string;
  updated_at: string;
  finished_at: string | null;
  outcome: RotationOutcome | null;
  error: string | null;
  detail: string;
}

interface InsertParams {
  id: string;
  target: string;
  strategy: string;
  trigger: string;
  requested_by: string;
  state: string;
  token: string | null;
  at: string;
  detail: string;
}

interface ChangeParams {
  id: string;
  at: string;
  state: string | null;
  client_request_token: string | null;
  error: string | null;
  detail: string | null;
  outcome: string | null;
  finished_at: string | null;
}

const toRotation = (row: RotationRow): Rotation => ({
  id: row.id,
  targetClientId: row.target_client_id,
  strategy: row.strategy,
  trigger: row.trigger,
  requestedBy: row.requested_by,
  state: row.state,
  clientRequestToken: row.client_request_token,
  startedAt: row.started_at,
  updatedAt: row.updated_at,
  finishedAt: row.finished_at,
  outcome: row.outcome,
  error: row.error,
  detail: parseJsonObject(row.detail),
});

const COLUMNS = `id, target_client_id, strategy, "trigger", requested_by, state, client_request_token,
  started_at, updated_at, finished_at, outcome, error, detail`;

/** Persists the rotation state machine; the partial UNIQUE index allows one unfinished run per target. */
export class SqliteRotationStore implements RotationStore {
  private readonly store: StoreDatabase;
  private readonly insertStmt: Database.Statement<[InsertParams], RotationRow>;
  private readonly getStmt: Database.Statement<[string], RotationRow>;
  private readonly unfinishedForStmt: Database.Statement<[string], RotationRow>;
  private readonly changeStmt: Database.Statement<[ChangeParams], RotationRow>;
  private readonly listUnfinishedStmt: Database.Statement<[], RotationRow>;
  private readonly latestForStmt: Database.Statement<[string], RotationRow>;
  private readonly recentStmt: Database.Statement<[number], RotationRow>;

  constructor(store: StoreDatabase) {
    this.store = store;
    const { db } = store;
    this.insertStmt = db.prepare<[InsertParams], RotationRow>(
      `INSERT INTO rotations (id, target_client_id, strategy, "trigger", requested_by, state,
         client_request_token, started_at, updated_at, detail)
       VALUES (@id, @target, @strategy, @trigger, @requested_by, @state, @token, @at, @at, @detail)
       RETURNING ${COLUMNS}`,
    );
    this.getStmt = db.prepare<[string], RotationRow>(`SELECT ${COLUMNS} FROM rotations WHERE id = ?`);
    this.unfinishedForStmt = db.prepare<[string], RotationRow>(
      `SELECT ${COLUMNS} FROM rotations WHERE target_client_id = ? AND finished_at IS NULL`,
    );
    // One statement serves update and finish: NULL parameters leave a column as it is.
    this.changeStmt = db.prepare<[ChangeParams], RotationRow>(
      `UPDATE rotations SET
         state = coalesce(@state, state),
         client_request_token = coalesce(@client_request_token, client_request_token),
         error = coalesce(@error, error),
         detail = coalesce(@detail, detail),
         outcome = coalesce(@outcome, outcome),
         finished_at = coalesce(@finished_at, finished_at),
         updated_at = @at
       WHERE id = @id AND finished_at IS NULL
       RETURNING ${COLUMNS}`,
    );
    this.listUnfinishedStmt = db.prepare<[], RotationRow>(
      `SELECT ${COLUMNS} FROM rotations WHERE finished_at IS NULL ORDER BY started_at, id`,
    );
    this.latestForStmt = db.prepare<[string], RotationRow>(
      `SELECT ${COLUMNS} FROM rotations WHERE target_client_id = ? ORDER BY started_at DESC, rowid DESC LIMIT 1`,
    );
    this.recentStmt = db.prepare<[number], RotationRow>(
      `SELECT ${COLUMNS} FROM rotations ORDER BY started_at DESC, rowid DESC LIMIT ?`,
    );
  }

  start(rotation: NewRotation): RotationStartResult {
    const at = toIsoTimestamp(rotation.at, 'rotation.startedAt');
    const detail = toJson(rotation.detail ?? {}, 'rotation.detail');
    return this.store.transaction((): RotationStartResult => {
      const existing = this.unfinishedForStmt.get(rotation.targetClientId);
      if (existing) return { ok: false, reason: 'already_running', existing: toRotation(existing) };
      const row = insertOrConflict(`rotation "${rotation.id}"`, () =>
        this.insertStmt.get({
          id: rotation.id,
          target: rotation.targetClientId,
          strategy: rotation.strategy,
          trigger: rotation.trigger,
          requested_by: rotation.requestedBy,
          state: rotation.state,
          token: rotation.clientRequestToken ?? null,
          at,
          detail,
        }),
      );
      return { ok: true, rotation: toRotation(expectRow(row, 'rotations insert')) };
    });
  }

  get(id: string): Rotation | null {
    const row = this.getStmt.get(id);
    return row ? toRotation(row) : null;
  }

  update(id: string, patch: RotationPatch): RotationChangeResult {
    return this.change(id, patch, null);
  }

  finish(id: string, finish: RotationFinish): RotationChangeResult {
    return this.change(id, finish, finish.outcome);
  }

  listUnfinished(): Rotation[] {
    return this.listUnfinishedStmt.all().map(toRotation);
  }

  latestFor(targetClientId: string): Rotation | null {
    const row = this.latestForStmt.get(targetClientId);
    return row ? toRotation(row) : null;
  }

  recent(limit: number): Rotation[] {
    return this.recentStmt.all(clampLimit(limit)).map(toRotation);
  }

  /** Conditional on "not finished" and, if asked, on the expected state; explains a refusal. */
  private change(id: string, patch: RotationPatch, outcome: RotationOutcome | null): RotationChangeResult {
    const at = toIsoTimestamp(patch.at, 'rotation.updatedAt');
    const params: ChangeParams = {
      id,
      at,
      state: patch.state ?? null,
      client_request_token: patch.clientRequestToken ?? null,
      error: patch.error ?? null,
      detail: patch.detail === undefined ? null : toJson(patch.detail, 'rotation.detail'),
      outcome,
      finished_at: outcome === null ? null : at,
    };
    return this.store.transaction((): RotationChangeResult => {
      const current = this.getStmt.get(id);
      if (!current) return { ok: false, reason: 'not_found' };
      const rotation = toRotation(current);
      if (current.finished_at !== null) return { ok: false, reason: 'already_finished', rotation };
      if (patch.expectedState !== undefined && patch.expectedState !== current.state) {
        return { ok: false, reason: 'state_mismatch', rotation };
      }
      return { ok: true, rotation: toRotation(expectRow(this.changeStmt.get(params), 'rotations update')) };
    });
  }
}
