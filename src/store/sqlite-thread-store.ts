import type Database from 'better-sqlite3';
import type { ThreadTurn } from '../core/agent/model.js';
import type { NewThreadMessage, ThreadStore } from '../core/agent/ports.js';
import { clampLimit, toIsoTimestamp } from './codec.js';
import type { StoreDatabase } from './database.js';

interface TurnRow {
  role: 'user' | 'assistant';
  text: string;
}

type AppendParams = [string, string, string, string, string, string | null];

/** Thread conversations and answered-event claims; INSERT OR IGNORE makes both dedupe-safe. */
export class SqliteThreadStore implements ThreadStore {
  private readonly appendStmt: Database.Statement<AppendParams>;
  private readonly historyStmt: Database.Statement<[string, string, number], TurnRow>;
  private readonly claimStmt: Database.Statement<[string, string]>;

  constructor(store: StoreDatabase) {
    this.appendStmt = store.db.prepare<AppendParams>(
      `INSERT OR IGNORE INTO thread_messages (incident_id, thread_ts, role, text, at, event_id)
       VALUES (?, ?, ?, ?, ?, ?)`,
    );
    this.historyStmt = store.db.prepare<[string, string, number], TurnRow>(
      `SELECT role, text FROM (
         SELECT id, role, text FROM thread_messages WHERE incident_id = ? AND thread_ts = ?
         ORDER BY id DESC LIMIT ?
       ) ORDER BY id ASC`,
    );
    this.claimStmt = store.db.prepare<[string, string]>(
      'INSERT OR IGNORE INTO thread_event_claims (event_key, claimed_at) VALUES (?, ?)',
    );
  }

  append(message: NewThreadMessage): boolean {
    const at = toIsoTimestamp(message.at, 'threadMessage.at');
    const { incidentId, threadTs, role, text } = message;
    return this.appendStmt.run(incidentId, threadTs, role, text, at, message.eventId ?? null).changes === 1;
  }

  history(incidentId: string, threadTs: string, limit = 50): ThreadTurn[] {
    return this.historyStmt
      .all(incidentId, threadTs, clampLimit(limit, 200, 50))
      .map((row) => ({ role: row.role, text: row.text }));
  }

  claimEvent(eventKey: string, at: string): boolean {
    return this.claimStmt.run(eventKey, toIsoTimestamp(at, 'threadEvent.claimedAt')).changes === 1;
  }
}
