import type Database from 'better-sqlite3';
import type {
  Claim,
  ClaimOutcome,
  ClaimRequest,
  ClaimResult,
  ClaimState,
  IdempotencyClaims,
} from '../core/steps/claims.js';
import { expectRow, parseJson, toIsoTimestamp, toNullableJson } from './codec.js';
import type { StoreDatabase } from './database.js';

interface ClaimRow {
  key: string;
  scope: string;
  claimed_by: string;
  claimed_at: string;
  state: ClaimState;
  finished_at: string | null;
  result_summary: string | null;
  result: string | null;
}

interface FinishParams {
  key: string;
  state: string;
  finished_at: string;
  result_summary: string;
  result: string | null;
}

const toClaim = (row: ClaimRow): Claim => ({
  key: row.key,
  scope: row.scope,
  claimedBy: row.claimed_by,
  claimedAt: row.claimed_at,
  state: row.state,
  finishedAt: row.finished_at,
  resultSummary: row.result_summary,
  result: parseJson(row.result),
});

const COLUMNS = 'key, scope, claimed_by, claimed_at, state, finished_at, result_summary, result';

/**
 * Claims are decided by the PRIMARY KEY, not by a read-then-write in code: of any number of
 * concurrent claimers, across connections and restarts, exactly one INSERT changes a row.
 */
export class SqliteIdempotencyClaims implements IdempotencyClaims {
  private readonly store: StoreDatabase;
  private readonly insertStmt: Database.Statement<[string, string, string, string]>;
  private readonly getStmt: Database.Statement<[string], ClaimRow>;
  private readonly finishStmt: Database.Statement<[FinishParams]>;
  private readonly runningStmt: Database.Statement<[], ClaimRow>;
  private readonly noteStmt: Database.Statement<[string | null, string]>;

  constructor(store: StoreDatabase) {
    this.store = store;
    const { db } = store;
    this.insertStmt = db.prepare<[string, string, string, string]>(
      `INSERT INTO idempotency_claims (key, scope, claimed_by, claimed_at, state)
       VALUES (?, ?, ?, ?, 'running') ON CONFLICT (key) DO NOTHING`,
    );
    this.getStmt = db.prepare<[string], ClaimRow>(`SELECT ${COLUMNS} FROM idempotency_claims WHERE key = ?`);
    this.finishStmt = db.prepare<[FinishParams]>(
      `UPDATE idempotency_claims
       SET state = @state, finished_at = @finished_at, result_summary = @result_summary, result = @result
       WHERE key = @key AND state = 'running'`,
    );
    this.noteStmt = db.prepare<[string | null, string]>(
      `UPDATE idempotency_claims SET result = ? WHERE key = ? AND state = 'running'`,
    );
    this.runningStmt = db.prepare<[], ClaimRow>(
      `SELECT ${COLUMNS} FROM idempotency_claims WHERE state = 'running' ORDER BY claimed_at, key`,
    );
  }

  claim(request: ClaimRequest): ClaimResult {
    const at = toIsoTimestamp(request.at, 'claim.at');
    return this.store.transaction((): ClaimResult => {
      const { changes } = this.insertStmt.run(request.key, request.scope, request.actor, at);
      const claim = toClaim(expectRow(this.getStmt.get(request.key), 'idempotency claim'));
      return changes === 1 ? { claimed: true, claim } : { claimed: false, existing: claim };
    });
  }

  finish(key: string, outcome: ClaimOutcome): boolean {
    const { changes } = this.finishStmt.run({
      key,
      state: outcome.state,
      finished_at: toIsoTimestamp(outcome.at, 'claim.finishedAt'),
      result_summary: outcome.summary,
      result: toNullableJson(outcome.result, 'claim.result'),
    });
    return changes === 1;
  }

  note(key: string, result: unknown): boolean {
    return this.noteStmt.run(toNullableJson(result, 'claim.result'), key).changes === 1;
  }

  get(key: string): Claim | null {
    const row = this.getStmt.get(key);
    return row ? toClaim(row) : null;
  }

  listRunning(): Claim[] {
    return this.runningStmt.all().map(toClaim);
  }
}
