import type Database from 'better-sqlite3';
import type { EventVia, TenantEvent, TenantEventKind } from '../core/event-streams/model.js';
import type { RejectedEvent, TenantEventStore } from '../core/event-streams/ports.js';
import type { StoreDatabase } from './database.js';

interface EventRow {
  event_id: string;
  type: string;
  kind: string;
  occurred_at: string;
  user_id: string | null;
  connection: string | null;
  organization_id: string | null;
  organization_connection: string | null;
}

type InsertArgs = [string, string, string, string, string, string, ...Array<string | null>];

const KINDS: ReadonlySet<string> = new Set<TenantEventKind>([
  'user_created',
  'user_blocked',
  'user_updated',
  'user_deleted',
  'organization_connection',
  'other',
]);
const isKind = (kind: string): kind is TenantEventKind => KINDS.has(kind);

const toEvent = (r: EventRow): TenantEvent => ({
  id: r.event_id,
  type: r.type,
  kind: isKind(r.kind) ? r.kind : 'other',
  time: r.occurred_at,
  ...(r.user_id === null ? {} : { userId: r.user_id }),
  ...(r.connection === null ? {} : { connection: r.connection }),
  ...(r.organization_id === null ? {} : { organizationId: r.organization_id }),
  ...(r.organization_connection === null ? {} : { organizationConnection: r.organization_connection }),
});

export class SqliteTenantEventStore implements TenantEventStore {
  private readonly insertStmt: Database.Statement<InsertArgs>;

  constructor(private readonly store: StoreDatabase) {
    this.insertStmt = store.db.prepare<InsertArgs>(
      `INSERT INTO tenant_events (event_id, type, kind, occurred_at, received_at, via, user_id, connection,
         organization_id, organization_connection)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
       ON CONFLICT (event_id) DO NOTHING`,
    );
  }

  insert(events: readonly TenantEvent[], via: EventVia, receivedAt: string): TenantEvent[] {
    return events.filter(
      (e) =>
        this.insertStmt.run(
          e.id,
          e.type,
          e.kind,
          e.time,
          receivedAt,
          via,
          e.userId ?? null,
          e.connection ?? null,
          e.organizationId ?? null,
          e.organizationConnection ?? null,
        ).changes > 0,
    );
  }

  reject(r: RejectedEvent): void {
    this.store.db
      .prepare(
        'INSERT INTO tenant_event_rejects (via, reason, digest, ref, rejected_at) VALUES (?, ?, ?, ?, ?)',
      )
      .run(r.via, r.reason, r.digest, r.ref ?? null, r.at);
  }

  countUsers(kind: TenantEventKind, since: string): number {
    // An event without a user id counts on its own (its id stands in for the user).
    const row = this.store.db
      .prepare<[string, string], { n: number }>(
        `SELECT count(DISTINCT coalesce(user_id, 'event:' || event_id)) AS n FROM tenant_events
         WHERE kind = ? AND occurred_at >= ?`,
      )
      .get(kind, since);
    return row?.n ?? 0;
  }

  signupsByConnection(since: string): Array<{ connection: string; count: number }> {
    return this.store.db
      .prepare<[string], { connection: string; count: number }>(
        `SELECT coalesce(connection, 'unknown') AS connection, count(DISTINCT coalesce(user_id, event_id)) AS count
         FROM tenant_events WHERE kind = 'user_created' AND occurred_at >= ?
         GROUP BY 1 ORDER BY count DESC, connection`,
      )
      .all(since);
  }

  organizationChanges(since: string, limit: number): TenantEvent[] {
    return this.store.db
      .prepare<[string, number], EventRow>(
        `SELECT * FROM tenant_events WHERE kind = 'organization_connection' AND occurred_at >= ?
         ORDER BY occurred_at, event_id LIMIT ?`,
      )
      .all(since, limit)
      .map(toEvent);
  }

  prune(before: string): number {
    return this.store.db.prepare('DELETE FROM tenant_events WHERE occurred_at < ?').run(before).changes;
  }
}
