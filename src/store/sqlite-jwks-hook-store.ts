import type Database from 'better-sqlite3';
import type { HookDelivery, HookNotification, HookResult, HookStore } from '../core/jwks-hooks/ports.js';
import { clampLimit, toIsoTimestamp } from './codec.js';
import type { StoreDatabase } from './database.js';

interface NotificationRow {
  id: string;
  body: string;
  kid: string | null;
  incident_id: string | null;
  created_at: string;
}

interface DeliveryRow {
  id: number;
  notification_id: string;
  url: string;
  body: string;
  attempts: number;
  next_attempt_at: string;
}

interface ResultRow {
  url: string;
  state: HookResult['state'];
  status: number | null;
  attempts: number;
}

const toNotification = (r: NotificationRow): HookNotification => ({
  id: r.id,
  body: r.body,
  kid: r.kid,
  incidentId: r.incident_id,
  createdAt: r.created_at,
});

const NOTIFICATION_COLUMNS = 'id, body, kid, incident_id, created_at';

/** The JWKS-refresh hook notifications and their per-URL deliveries (migration 008). */
export class SqliteJwksHookStore implements HookStore {
  private readonly store: StoreDatabase;
  private readonly insertNotification: Database.Statement<
    [string, string, string | null, string | null, string, string | null]
  >;
  private readonly releaseStmt: Database.Statement<[string]>;
  private readonly insertDelivery: Database.Statement<[string, string, string]>;
  private readonly pendingStmt: Database.Statement<[number], DeliveryRow>;
  private readonly attemptStmt: Database.Statement<[number]>;
  private readonly deliveredStmt: Database.Statement<[number, string, number]>;
  private readonly retryStmt: Database.Statement<[string, number | null, string, number]>;
  private readonly failedStmt: Database.Statement<[number | null, string, string, number]>;
  private readonly unreportedStmt: Database.Statement<[number], NotificationRow>;
  private readonly resultsStmt: Database.Statement<[string], ResultRow>;
  private readonly reportedStmt: Database.Statement<[string, string]>;
  private readonly findStmt: Database.Statement<[string], NotificationRow>;
  private readonly latestStmt: Database.Statement<[], NotificationRow>;
  private readonly countStmt: Database.Statement<[], { n: number }>;

  constructor(store: StoreDatabase) {
    this.store = store;
    const { db } = store;
    this.insertNotification = db.prepare(
      `INSERT OR IGNORE INTO jwks_hook_notifications (id, body, kid, incident_id, created_at, reported_at)
       VALUES (?, ?, ?, ?, ?, ?)`,
    );
    this.releaseStmt = db.prepare(`UPDATE jwks_hook_notifications SET reported_at = NULL WHERE id = ?`);
    this.insertDelivery = db.prepare(
      `INSERT OR IGNORE INTO jwks_hook_deliveries (notification_id, url, next_attempt_at) VALUES (?, ?, ?)`,
    );
    this.pendingStmt = db.prepare(
      `SELECT d.id, d.notification_id, d.url, n.body, d.attempts, d.next_attempt_at
       FROM jwks_hook_deliveries d JOIN jwks_hook_notifications n ON n.id = d.notification_id
       WHERE d.state = 'pending' ORDER BY d.id LIMIT ?`,
    );
    this.attemptStmt = db.prepare(`UPDATE jwks_hook_deliveries SET attempts = attempts + 1 WHERE id = ?`);
    this.deliveredStmt = db.prepare(
      `UPDATE jwks_hook_deliveries SET state = 'delivered', status = ?, finished_at = ?, last_error = NULL
       WHERE id = ? AND state = 'pending'`,
    );
    this.retryStmt = db.prepare(
      `UPDATE jwks_hook_deliveries SET next_attempt_at = ?, status = ?, last_error = ? WHERE id = ? AND state = 'pending'`,
    );
    this.failedStmt = db.prepare(
      `UPDATE jwks_hook_deliveries SET state = 'failed', status = ?, last_error = ?, finished_at = ?
       WHERE id = ? AND state = 'pending'`,
    );
    this.unreportedStmt = db.prepare(
      `SELECT ${NOTIFICATION_COLUMNS} FROM jwks_hook_notifications WHERE reported_at IS NULL
       ORDER BY created_at, id LIMIT ?`,
    );
    this.resultsStmt = db.prepare(
      `SELECT url, state, status, attempts FROM jwks_hook_deliveries WHERE notification_id = ? ORDER BY id`,
    );
    this.reportedStmt = db.prepare(
      `UPDATE jwks_hook_notifications SET reported_at = ? WHERE id = ? AND reported_at IS NULL`,
    );
    this.findStmt = db.prepare(`SELECT ${NOTIFICATION_COLUMNS} FROM jwks_hook_notifications WHERE id = ?`);
    this.latestStmt = db.prepare(
      `SELECT ${NOTIFICATION_COLUMNS} FROM jwks_hook_notifications WHERE id NOT LIKE 'resend:%'
       ORDER BY created_at DESC, rowid DESC LIMIT 1`,
    );
    this.countStmt = db.prepare(`SELECT count(*) AS n FROM jwks_hook_deliveries WHERE state = 'pending'`);
  }

  /** For the backlog gauge (auth0oncall_outbox_pending). */
  pendingCount(): number {
    return this.countStmt.get()?.n ?? 0;
  }

  create(n: HookNotification, urls: readonly string[], options: { readonly held?: boolean } = {}): boolean {
    const at = toIsoTimestamp(n.createdAt, 'createdAt');
    return this.store.transaction(() => {
      const reported = options.held === true ? at : null;
      if (this.insertNotification.run(n.id, n.body, n.kid, n.incidentId, at, reported).changes === 0)
        return false;
      for (const url of urls) this.insertDelivery.run(n.id, url, at);
      return true;
    });
  }

  release(id: string): void {
    this.releaseStmt.run(id);
  }

  pending(limit: number): HookDelivery[] {
    return this.pendingStmt.all(clampLimit(limit, 1000, 200)).map((r) => ({
      id: r.id,
      notificationId: r.notification_id,
      url: r.url,
      body: r.body,
      attempts: r.attempts,
      nextAttemptAt: r.next_attempt_at,
    }));
  }

  attempting(id: number): void {
    this.attemptStmt.run(id);
  }

  delivered(id: number, status: number, at: string): void {
    this.deliveredStmt.run(status, toIsoTimestamp(at, 'at'), id);
  }

  retryLater(id: number, nextAttemptAt: string, status: number | null, error: string): void {
    this.retryStmt.run(toIsoTimestamp(nextAttemptAt, 'nextAttemptAt'), status, error.slice(0, 500), id);
  }

  failed(id: number, status: number | null, error: string, at: string): void {
    this.failedStmt.run(status, error.slice(0, 500), toIsoTimestamp(at, 'at'), id);
  }

  unreported(limit: number): HookNotification[] {
    return this.unreportedStmt.all(clampLimit(limit, 500, 50)).map(toNotification);
  }

  results(notificationId: string): HookResult[] {
    return this.resultsStmt.all(notificationId).map((r) => ({ ...r }));
  }

  markReported(id: string, at: string): void {
    this.reportedStmt.run(toIsoTimestamp(at, 'at'), id);
  }

  find(id: string): HookNotification | undefined {
    const row = this.findStmt.get(id);
    return row ? toNotification(row) : undefined;
  }

  latestChange(): HookNotification | undefined {
    const row = this.latestStmt.get();
    return row ? toNotification(row) : undefined;
  }
}
