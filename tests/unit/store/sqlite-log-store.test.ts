import { afterEach, describe, expect, it } from 'vitest';
import { classifyLog, parseLogEntry, type ClassifiedLog } from '../../../src/core/logs/classification.js';
import { SqliteLogStore } from '../../../src/store/sqlite-log-store.js';
import { openDatabase, type StoreDatabase } from '../../../src/store/index.js';

let store: StoreDatabase;
afterEach(() => {
  store.close();
});

const make = (
  logId: string,
  type: string,
  date: string,
  over: Record<string, unknown> = {},
): ClassifiedLog => {
  const parsed = parseLogEntry({ log_id: logId, date, type, ...over });
  if (!parsed.ok) throw new Error(parsed.problem);
  return classifyLog(parsed.entry, { botClientId: 'botClient0001' });
};

const setup = () => {
  store = openDatabase({ path: ':memory:' });
  return new SqliteLogStore(store);
};

describe('SqliteLogStore', () => {
  it('stores each log_id once, whichever source sees it first, and counts it once', () => {
    const repo = setup();
    const a = make('001', 'fp', '2026-03-01T12:00:01.000Z', { connection: 'db' });
    const b = make('002', 'fp', '2026-03-01T12:00:30.000Z', { connection: 'db' });
    expect(repo.insert([a, b], 'stream', '2026-03-01T12:01:00.000Z')).toHaveLength(2);
    expect(
      repo.insert(
        [a, b, make('003', 's', '2026-03-01T12:00:40.000Z', { connection: 'db' })],
        'poll',
        '2026-03-01T12:01:00.000Z',
      ),
    ).toHaveLength(1);
    const counts = repo.counts({
      signals: ['login_failure', 'login_success'],
      fromMinute: '2026-03-01T12:00',
    });
    expect(counts).toEqual([
      { minute: '2026-03-01T12:00', signal: 'login_failure', scope: 'connection:db', count: 2, ownCount: 0 },
      { minute: '2026-03-01T12:00', signal: 'login_success', scope: 'connection:db', count: 1, ownCount: 0 },
    ]);
    // Row by row, the same rows in the same order; a visitor that reads again meanwhile is fine.
    const visited: unknown[] = [];
    repo.eachCount({ signals: ['login_failure', 'login_success'], fromMinute: '2026-03-01T12:00' }, (row) => {
      visited.push(row);
      expect(repo.counts({ signals: ['login_failure'], fromMinute: '2026' })).toHaveLength(1);
    });
    expect(visited).toEqual(counts);
    expect(repo.recent({ limit: 10 }).map((e) => [e.logId, e.source])).toEqual([
      ['003', 'poll'],
      ['002', 'stream'],
      ['001', 'stream'],
    ]);
  });

  it('keeps ignored codes for dedupe and history but out of the counts', () => {
    const repo = setup();
    repo.insert([make('001', 'fcoa', '2026-03-01T12:00:00.000Z')], 'poll', '2026-03-01T12:00:00.000Z');
    expect(repo.counts({ signals: ['ignored'], fromMinute: '2026' })).toEqual([]);
    expect(repo.recent({ limit: 5 })).toHaveLength(1);
  });

  it('counts the bot’s own entries separately and filters by window and scope', () => {
    const repo = setup();
    repo.insert(
      [
        make('001', 'sapi', '2026-03-01T12:00:00.000Z', { client_id: 'botClient0001' }),
        make('002', 'sapi', '2026-03-01T12:00:10.000Z', { client_id: 'botClient0001' }),
        make('003', 'sapi', '2026-03-01T12:05:00.000Z', { client_id: 'other0000001' }),
      ],
      'poll',
      '2026-03-01T12:06:00.000Z',
    );
    expect(
      repo.counts({
        signals: ['tenant_change'],
        fromMinute: '2026-03-01T12:00',
        toMinute: '2026-03-01T12:00',
      }),
    ).toEqual([
      {
        minute: '2026-03-01T12:00',
        signal: 'tenant_change',
        scope: 'client:botClient0001',
        count: 2,
        ownCount: 2,
      },
    ]);
    expect(
      repo.counts({ signals: ['tenant_change'], fromMinute: '2026', scope: 'client:other0000001' }),
    ).toHaveLength(1);
    expect(repo.counts({ signals: [], fromMinute: '2026' })).toEqual([]);
  });

  it('finds recent events by client, IP, signal and time, newest first, bounded', () => {
    const repo = setup();
    repo.insert(
      [
        make('001', 'feccft', '2026-03-01T12:00:00.000Z', { client_id: 'Zx81billing', ip: '203.0.113.7' }),
        make('002', 'seccft', '2026-03-01T12:01:00.000Z', { client_id: 'Zx81billing', ip: '203.0.113.7' }),
        make('003', 'feccft', '2026-03-01T12:02:00.000Z', { client_id: 'other0000001', ip: '198.51.100.1' }),
      ],
      'poll',
      '2026-03-01T12:03:00.000Z',
    );
    expect(repo.recent({ clientId: 'Zx81billing', limit: 10 }).map((e) => e.logId)).toEqual(['002', '001']);
    expect(
      repo.recent({ signal: 'm2m_token_failure', ip: '198.51.100.1', limit: 10 }).map((e) => e.logId),
    ).toEqual(['003']);
    expect(repo.recent({ since: '2026-03-01T12:01:00.000Z', limit: 10 }).map((e) => e.logId)).toEqual([
      '003',
      '002',
    ]);
    expect(repo.recent({ scope: 'client:Zx81billing', limit: 1 }).map((e) => e.logId)).toEqual(['002']);
    expect(repo.recent({ limit: -5 })).toHaveLength(1);
    expect(repo.newestDate()).toBe('2026-03-01T12:02:00.000Z');
  });

  it("reads one signal's recent events through its index, not by walking every event of the window", () => {
    setup();
    // The statement recent() builds for detection's reads: a signal (and maybe a scope) since a time.
    const plan = store.db
      .prepare<[string, string, string, number], { detail: string }>(
        `EXPLAIN QUERY PLAN SELECT * FROM log_events WHERE signal = ? AND scope = ? AND date >= ?
         ORDER BY date DESC, log_id DESC LIMIT ?`,
      )
      .all('tenant_change', 'tenant', '2026-03-01T12:00:00.000Z', 200)
      .map((r) => r.detail);
    expect(plan).toEqual([
      expect.stringContaining('USING INDEX log_events_signal_date (signal=? AND date>?)'),
    ]);
  });

  it('prunes old events and old counts separately', () => {
    const repo = setup();
    expect(repo.newestDate()).toBeUndefined();
    repo.insert(
      [make('001', 'f', '2026-03-01T00:00:00.000Z'), make('002', 'f', '2026-03-05T00:00:00.000Z')],
      'poll',
      '2026-03-05T00:00:00.000Z',
    );
    expect(repo.prune('2026-03-02T00:00:00.000Z', '2026-02-01T00:00:00.000Z')).toEqual({
      events: 1,
      counts: 0,
    });
    expect(repo.prune('2026-03-02T00:00:00.000Z', '2026-03-02T00:00:00.000Z')).toEqual({
      events: 0,
      counts: 1,
    });
    expect(repo.counts({ signals: ['login_failure'], fromMinute: '2026' })).toHaveLength(1);
  });
});
