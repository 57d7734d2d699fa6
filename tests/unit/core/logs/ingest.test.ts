import { afterEach, describe, expect, it, vi } from 'vitest';
import { createLogIngester, type ClassifiedLogSink } from '../../../../src/core/logs/ingest.js';
import type { LogStore } from '../../../../src/core/logs/ports.js';
import { SqliteCheckpointStore, openDatabase, type StoreDatabase } from '../../../../src/store/index.js';
import { SqliteLogStore } from '../../../../src/store/sqlite-log-store.js';

let store: StoreDatabase;
afterEach(() => {
  store.close();
});

const raw = (id: string, type = 'fp', date = '2026-03-01T12:00:00.000Z') => ({
  log_id: id,
  date,
  type,
  connection: 'db',
});

const setup = (opts: { logStore?: (real: LogStore) => LogStore; sinks?: ClassifiedLogSink[] } = {}) => {
  store = openDatabase({ path: ':memory:' });
  const real = new SqliteLogStore(store);
  const checkpoints = new SqliteCheckpointStore(store);
  const malformed: string[] = [];
  const sinkErrors: unknown[] = [];
  const ingester = createLogIngester({
    store: opts.logStore ? opts.logStore(real) : real,
    checkpoints,
    uow: store,
    botClientId: 'botClient0001',
    now: () => new Date('2026-03-01T12:05:00.000Z'),
    sinks: opts.sinks ?? [],
    onMalformed: (problem) => malformed.push(problem),
    onSinkError: (e) => sinkErrors.push(e),
  });
  return { ingester, real, checkpoints, malformed, sinkErrors };
};

describe('createLogIngester', () => {
  it('stores a batch and its checkpoint together, and reports what it did', () => {
    const { ingester, real, checkpoints } = setup();
    const result = ingester.ingest([raw('1'), raw('2'), { nonsense: true }], 'poll', {
      name: 'auth0.logs',
      value: 'log:2',
    });
    expect(result).toEqual({
      received: 3,
      accepted: 2,
      duplicates: 0,
      malformed: 1,
      newestDate: '2026-03-01T12:00:00.000Z',
    });
    expect(checkpoints.get('auth0.logs')?.value).toBe('log:2');
    expect(real.recent({ limit: 10 })).toHaveLength(2);
  });

  it('commits neither events nor checkpoint when the batch fails half-way (a crash before commit)', () => {
    const { ingester, real, checkpoints } = setup({
      logStore: (inner) => ({
        ...inner,
        insert: (batch, source, at) => {
          inner.insert(batch, source, at);
          throw new Error('process killed');
        },
        counts: (q) => inner.counts(q),
        recent: (q) => inner.recent(q),
        newestDate: () => inner.newestDate(),
        prune: (a, b) => inner.prune(a, b),
      }),
    });
    expect(() => ingester.ingest([raw('1')], 'poll', { name: 'auth0.logs', value: 'log:1' })).toThrow(
      'process killed',
    );
    expect(checkpoints.get('auth0.logs')).toBeNull();
    expect(real.recent({ limit: 10 })).toEqual([]);
  });

  it('counts duplicates from the other source once and hands only new events to the sinks', () => {
    const seen: string[][] = [];
    const { ingester } = setup({
      sinks: [{ accept: (batch) => seen.push(batch.map((c) => c.entry.logId)) }],
    });
    ingester.ingest([raw('1'), raw('2')], 'stream');
    const again = ingester.ingest([raw('2'), raw('3')], 'poll', { name: 'auth0.logs', value: 'log:3' });
    expect(again).toMatchObject({ accepted: 1, duplicates: 1 });
    expect(seen).toEqual([['1', '2'], ['3']]);
    ingester.ingest([raw('3')], 'stream');
    expect(seen).toHaveLength(2);
  });

  it('reports each malformed entry and keeps going', () => {
    const { ingester, malformed } = setup();
    const result = ingester.ingest([null, raw('1'), { log_id: 'x', date: 'soon', type: 's' }], 'poll');
    expect(result).toMatchObject({ accepted: 1, malformed: 2 });
    expect(malformed).toHaveLength(2);
  });

  it('isolates a failing sink: the ingest stays committed and other sinks still run', () => {
    const after = vi.fn();
    const { ingester, real, sinkErrors } = setup({
      sinks: [
        {
          accept: () => {
            throw new Error('detector bug');
          },
        },
        { accept: after },
      ],
    });
    expect(ingester.ingest([raw('1')], 'poll').accepted).toBe(1);
    expect(real.recent({ limit: 1 })).toHaveLength(1);
    expect(sinkErrors).toHaveLength(1);
    expect(after).toHaveBeenCalledOnce();
  });
});
