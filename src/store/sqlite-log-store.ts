import type Database from 'better-sqlite3';
import { minuteOf, type ClassifiedLog, type LogSignal } from '../core/logs/classification.js';
import type {
  CountQuery,
  LogSource,
  LogStore,
  MinuteCount,
  RecentLogQuery,
  StoredLogEvent,
} from '../core/logs/ports.js';
import type { StoreDatabase } from './database.js';

interface EventRow {
  log_id: string;
  date: string;
  type: string;
  signal: string;
  scope: string;
  own: number;
  client_id: string | null;
  client_name: string | null;
  ip: string | null;
  connection: string | null;
  user_name: string | null;
  user_agent: string | null;
  description: string | null;
  reason: string | null;
  source: string;
}

type InsertArgs = [string, string, string, string, string, number, ...Array<string | null>];

const MAX_RECENT = 1000;

/** Hot path of ingestion: prepared statements only, one INSERT and at most one upsert per event. */
export class SqliteLogStore implements LogStore {
  private readonly insertEvent: Database.Statement<InsertArgs>;
  private readonly bumpCount: Database.Statement<[string, string, string, number, number]>;
  private readonly newestStmt: Database.Statement<[], { date: string | null }>;
  private readonly pruneEvents: Database.Statement<[string]>;
  private readonly pruneCounts: Database.Statement<[string]>;
  /**
   * The read queries, prepared once per shape (signal list, optional filters): detection asks the
   * same few shapes after every batch, and preparing them anew was a third of its time.
   */
  private readonly reads = new Map<string, Database.Statement<Array<string | number>>>();

  constructor(private readonly store: StoreDatabase) {
    this.insertEvent = store.db.prepare<InsertArgs>(
      `INSERT INTO log_events (log_id, date, type, signal, scope, own, client_id, client_name, ip, connection,
         user_name, user_agent, description, reason, source, ingested_at)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
       ON CONFLICT (log_id) DO NOTHING`,
    );
    this.bumpCount = store.db.prepare(
      `INSERT INTO log_counts (minute, signal, scope, count, own_count) VALUES (?, ?, ?, ?, ?)
       ON CONFLICT (signal, minute, scope) DO UPDATE SET count = count + excluded.count, own_count = own_count + excluded.own_count`,
    );
    this.newestStmt = store.db.prepare('SELECT max(date) AS date FROM log_events');
    this.pruneEvents = store.db.prepare('DELETE FROM log_events WHERE date < ?');
    this.pruneCounts = store.db.prepare('DELETE FROM log_counts WHERE minute < ?');
  }

  insert(batch: readonly ClassifiedLog[], source: LogSource, ingestedAt: string): ClassifiedLog[] {
    const fresh: ClassifiedLog[] = [];
    // Counts are summed per (minute, signal, scope) first: a page of 100 usually touches a few keys.
    const tally = new Map<
      string,
      { minute: string; signal: string; scope: string; count: number; own: number }
    >();
    for (const c of batch) {
      const e = c.entry;
      const { changes } = this.insertEvent.run(
        e.logId,
        e.date,
        e.type,
        c.signal,
        c.scope,
        c.own ? 1 : 0,
        e.clientId,
        e.clientName,
        e.ip,
        e.connection,
        e.userName,
        e.userAgent,
        e.description,
        c.reason,
        source,
        ingestedAt,
      );
      if (changes === 0) continue;
      fresh.push(c);
      if (c.signal === 'ignored') continue;
      const minute = minuteOf(e.date);
      const key = `${minute}\u0000${c.signal}\u0000${c.scope}`;
      const t = tally.get(key);
      if (t) {
        t.count += 1;
        t.own += c.own ? 1 : 0;
      } else tally.set(key, { minute, signal: c.signal, scope: c.scope, count: 1, own: c.own ? 1 : 0 });
    }
    for (const t of tally.values()) this.bumpCount.run(t.minute, t.signal, t.scope, t.count, t.own);
    return fresh;
  }

  counts(query: CountQuery): MinuteCount[] {
    const rows: MinuteCount[] = [];
    this.eachCount(query, (row) => rows.push(row));
    return rows;
  }

  eachCount(query: CountQuery, visit: (row: MinuteCount) => void): void {
    if (query.signals.length === 0) return;
    const params: string[] = [...query.signals, query.fromMinute, query.toMinute ?? '9999'];
    let sql = `SELECT minute, signal, scope, count, own_count AS ownCount FROM log_counts
      WHERE signal IN (${query.signals.map(() => '?').join(', ')}) AND minute >= ? AND minute <= ?`;
    if (query.scope !== undefined) {
      sql += ' AND scope = ?';
      params.push(query.scope);
    }
    // Row by row: the caller adds each to its tallies, so a day of counts is never one array.
    for (const row of this.statement(`${sql} ORDER BY minute, signal, scope`).iterate(...params))
      visit(row as MinuteCount);
  }

  recent(query: RecentLogQuery): StoredLogEvent[] {
    const where: string[] = [];
    const params: Array<string | number> = [];
    const add = (column: string, value: string | undefined, op = '=') => {
      if (value === undefined) return;
      where.push(`${column} ${op} ?`);
      params.push(value);
    };
    add('signal', query.signal);
    if (query.signals !== undefined && query.signals.length > 0) {
      where.push(`signal IN (${query.signals.map(() => '?').join(', ')})`);
      params.push(...query.signals);
    }
    add('scope', query.scope);
    add('client_id', query.clientId);
    add('ip', query.ip);
    add('date', query.since, '>=');
    params.push(Math.max(1, Math.min(MAX_RECENT, Math.floor(query.limit))));
    const order = query.order === 'oldest' ? 'ASC' : 'DESC';
    const sql = `SELECT * FROM log_events ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY date ${order}, log_id ${order} LIMIT ?`;
    return this.read<EventRow>(sql, params).map(toEvent);
  }

  private statement(sql: string): Database.Statement<Array<string | number>> {
    let statement = this.reads.get(sql);
    if (!statement) {
      statement = this.store.db.prepare<Array<string | number>>(sql);
      this.reads.set(sql, statement);
    }
    return statement;
  }

  private read<Row>(sql: string, params: ReadonlyArray<string | number>): Row[] {
    return this.statement(sql).all(...params) as Row[];
  }

  newestDate(): string | undefined {
    return this.newestStmt.get()?.date ?? undefined;
  }

  prune(eventsBefore: string, countsBefore: string): { events: number; counts: number } {
    return this.store.transaction(() => ({
      events: this.pruneEvents.run(eventsBefore).changes,
      counts: this.pruneCounts.run(minuteOf(countsBefore)).changes,
    }));
  }
}

const toEvent = (r: EventRow): StoredLogEvent => ({
  logId: r.log_id,
  date: r.date,
  type: r.type,
  signal: r.signal as LogSignal,
  scope: r.scope,
  own: r.own === 1,
  clientId: r.client_id,
  clientName: r.client_name,
  ip: r.ip,
  connection: r.connection,
  userName: r.user_name,
  userAgent: r.user_agent,
  description: r.description,
  reason: r.reason,
  source: r.source === 'stream' ? 'stream' : 'poll',
});
