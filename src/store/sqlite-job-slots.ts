import type Database from 'better-sqlite3';
import type { JobOutcome, JobSlot, JobSlots } from '../core/jobs/ports.js';
import { toIsoTimestamp } from './codec.js';
import type { StoreDatabase } from './database.js';

interface JobSlotRow {
  job: string;
  slot: string;
  started_at: string;
  finished_at: string | null;
  outcome: JobOutcome | null;
}

const toJobSlot = (row: JobSlotRow): JobSlot => ({
  job: row.job,
  slot: row.slot,
  startedAt: row.started_at,
  finishedAt: row.finished_at,
  outcome: row.outcome,
});

/** The (job, slot) PRIMARY KEY makes a claim once-only, whichever process or restart asks. */
export class SqliteJobSlots implements JobSlots {
  private readonly claimStmt: Database.Statement<[string, string, string]>;
  private readonly finishStmt: Database.Statement<[string, string, string, string]>;
  private readonly latestStmt: Database.Statement<[string], JobSlotRow>;

  constructor(store: StoreDatabase) {
    const { db } = store;
    this.claimStmt = db.prepare<[string, string, string]>(
      'INSERT INTO job_slots (job, slot, started_at) VALUES (?, ?, ?) ON CONFLICT (job, slot) DO NOTHING',
    );
    this.finishStmt = db.prepare<[string, string, string, string]>(
      `UPDATE job_slots SET outcome = ?, finished_at = ?
       WHERE job = ? AND slot = ? AND finished_at IS NULL`,
    );
    this.latestStmt = db.prepare<[string], JobSlotRow>(
      `SELECT job, slot, started_at, finished_at, outcome FROM job_slots
       WHERE job = ? ORDER BY started_at DESC, slot DESC LIMIT 1`,
    );
  }

  claim(job: string, slot: string, at: string): boolean {
    return this.claimStmt.run(job, slot, toIsoTimestamp(at, 'jobSlot.startedAt')).changes === 1;
  }

  finish(job: string, slot: string, outcome: JobOutcome, at: string): boolean {
    return this.finishStmt.run(outcome, toIsoTimestamp(at, 'jobSlot.finishedAt'), job, slot).changes === 1;
  }

  latest(job: string): JobSlot | null {
    const row = this.latestStmt.get(job);
    return row ? toJobSlot(row) : null;
  }
}
