import type Database from 'better-sqlite3';
import type { OutboxEntry, OutboxMessage, OutboxStore } from '../core/outbox/ports.js';
import { clampLimit, parseJson, toIsoTimestamp, toNullableJson } from './codec.js';
import type { StoreDatabase } from './database.js';

interface EntryRow {
  id: number;
  dedupe_key: string;
  channel: string;
  thread_ts: string | null;
  text: string;
  blocks: string | null;
  created_at: string;
  attempts: number;
  next_attempt_at: string;
}

interface EnqueueParams {
  key: string;
  channel: string;
  thread_ts: string | null;
  text: string;
  blocks: string | null;
  at: string;
}

const toEntry = (row: EntryRow): OutboxEntry => {
  const blocks = parseJson(row.blocks);
  return {
    id: row.id,
    key: row.dedupe_key,
    channel: row.channel,
    ...(row.thread_ts === null ? {} : { threadTs: row.thread_ts }),
    message: { text: row.text, ...(Array.isArray(blocks) ? { blocks } : {}) },
    attempts: row.attempts,
    nextAttemptAt: row.next_attempt_at,
    createdAt: row.created_at,
  };
};

/** The outbox table; `enqueue` is a plain INSERT OR IGNORE so it joins the caller's transaction. */
export class SqliteOutboxStore implements OutboxStore {
  private readonly enqueueStmt: Database.Statement<[EnqueueParams]>;
  private readonly pendingStmt: Database.Statement<[number], EntryRow>;
  private readonly attemptStmt: Database.Statement<[number]>;
  private readonly deliveredStmt: Database.Statement<[string, string, number]>;
  private readonly retryStmt: Database.Statement<[string, string, number]>;
  private readonly failedStmt: Database.Statement<[string, string, number]>;
  private readonly countStmt: Database.Statement<[], { n: number }>;

  constructor(store: StoreDatabase) {
    const { db } = store;
    this.enqueueStmt = db.prepare<[EnqueueParams]>(
      `INSERT OR IGNORE INTO slack_outbox (dedupe_key, channel, thread_ts, text, blocks, created_at, next_attempt_at)
       VALUES (@key, @channel, @thread_ts, @text, @blocks, @at, @at)`,
    );
    this.pendingStmt = db.prepare<[number], EntryRow>(
      `SELECT id, dedupe_key, channel, thread_ts, text, blocks, created_at, attempts, next_attempt_at
       FROM slack_outbox WHERE state = 'pending' ORDER BY id LIMIT ?`,
    );
    this.attemptStmt = db.prepare<[number]>(`UPDATE slack_outbox SET attempts = attempts + 1 WHERE id = ?`);
    this.deliveredStmt = db.prepare<[string, string, number]>(
      `UPDATE slack_outbox SET state = 'delivered', posted_ts = ?, finished_at = ?, last_error = NULL
       WHERE id = ? AND state = 'pending'`,
    );
    this.retryStmt = db.prepare<[string, string, number]>(
      `UPDATE slack_outbox SET next_attempt_at = ?, last_error = ? WHERE id = ? AND state = 'pending'`,
    );
    this.failedStmt = db.prepare<[string, string, number]>(
      `UPDATE slack_outbox SET state = 'failed', last_error = ?, finished_at = ? WHERE id = ? AND state = 'pending'`,
    );
    this.countStmt = db.prepare(`SELECT count(*) AS n FROM slack_outbox WHERE state = 'pending'`);
  }

  /** For the backlog gauge (auth0oncall_outbox_pending). */
  pendingCount(): number {
    return this.countStmt.get()?.n ?? 0;
  }

  enqueue(m: OutboxMessage, at: string): boolean {
    return (
      this.enqueueStmt.run({
        key: m.key,
        channel: m.channel,
        thread_ts: m.threadTs ?? null,
        text: m.message.text,
        blocks: m.message.blocks ? toNullableJson(m.message.blocks, 'blocks') : null,
        at: toIsoTimestamp(at, 'at'),
      }).changes === 1
    );
  }

  pending(limit: number): OutboxEntry[] {
    return this.pendingStmt.all(clampLimit(limit, 1000, 200)).map(toEntry);
  }

  attempting(id: number): void {
    this.attemptStmt.run(id);
  }

  delivered(id: number, ts: string, at: string): void {
    this.deliveredStmt.run(ts, toIsoTimestamp(at, 'at'), id);
  }

  retryLater(id: number, nextAttemptAt: string, error: string): void {
    this.retryStmt.run(toIsoTimestamp(nextAttemptAt, 'nextAttemptAt'), error.slice(0, 500), id);
  }

  failed(id: number, error: string, at: string): void {
    this.failedStmt.run(error.slice(0, 500), toIsoTimestamp(at, 'at'), id);
  }
}
