import { afterEach, describe, expect, it, vi } from 'vitest';
import {
  createLogIngester,
  type ClassifiedLogSink,
  type MalformedSummary,
} from '../../../../src/core/logs/ingest.js';
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
  const malformed: MalformedSummary[] = [];
  const sinkErrors: unknown[] = [];
  const unknownTypes: Array<Record<string, number>> = [];
  const droppedFields: Array<Record<string, number>> = [];
  const ingester = createLogIngester({
    store: opts.logStore ? opts.logStore(real) : real,
    checkpoints,
    uow: store,
    botClientId: 'botClient0001',
    now: () => new Date('2026-03-01T12:05:00.000Z'),
    sinks: opts.sinks ?? [],
    onMalformed: (summary) => malformed.push(summary),
    onSinkError: (e) => sinkErrors.push(e),
    onUnknownTypes: (counts) => unknownTypes.push(Object.fromEntries(counts)),
    onFieldsDropped: (counts) => droppedFields.push(Object.fromEntries(counts)),
  });
  return { ingester, real, checkpoints, malformed, sinkErrors, unknownTypes, droppedFields };
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

  it('reports the codes the catalogue does not know once per new entry, never for a duplicate', () => {
    const { ingester, real, unknownTypes } = setup();
    ingester.ingest(
      [raw('1', 'fnew_code'), raw('2', 'fnew_code'), raw('3', 'snew_code'), raw('4', 'fp')],
      'stream',
    );
    expect(unknownTypes).toEqual([{ fnew_code: 2, snew_code: 1 }]);
    // The same events polled again are duplicates: not counted twice.
    ingester.ingest([raw('1', 'fnew_code'), raw('5', 'fp')], 'poll');
    expect(unknownTypes).toHaveLength(1);
    // Stored with the fallback of their shape: a failure counted (read by no detector), a success ignored.
    const byId = new Map(real.recent({ limit: 10 }).map((e) => [e.logId, e.signal]));
    expect(byId.get('1')).toBe('unknown_failure');
    expect(byId.get('3')).toBe('ignored');
  });

  it('keeps an event with a field of the wrong type, drops the field and counts the drop once', () => {
    const { ingester, real, droppedFields, malformed } = setup();
    const odd = { ...raw('1', 'f'), client_name: 12345, ip: '203.0.113.9' };
    const result = ingester.ingest([odd, raw('2')], 'stream');
    expect(result).toMatchObject({ accepted: 2, malformed: 0 });
    expect(malformed).toEqual([]);
    expect(droppedFields).toEqual([{ client_name: 1 }]);
    const stored = real.recent({ limit: 10 }).find((e) => e.logId === '1');
    expect(stored).toMatchObject({ clientName: null, ip: '203.0.113.9', signal: 'login_failure' });
    ingester.ingest([odd], 'poll');
    expect(droppedFields).toHaveLength(1);
  });

  it('skips malformed entries and keeps going, reporting them in one summary per call', () => {
    const { ingester, malformed } = setup();
    const result = ingester.ingest([null, raw('1'), { log_id: 'x', date: 'soon', type: 's' }], 'poll');
    expect(result).toMatchObject({ accepted: 1, malformed: 2 });
    expect(malformed).toHaveLength(1);
    expect(malformed[0]).toMatchObject({ count: 2 });
    expect(malformed[0]?.examples.map((e) => e.logId)).toEqual([undefined, 'x']);
  });

  it('reports ten thousand malformed entries as one summary with counts and three examples', () => {
    const { ingester, malformed } = setup();
    const junk = Array.from({ length: 10_000 }, (_, i) => (i % 2 === 0 ? {} : { log_id: `j${i}` }));
    expect(ingester.ingest(junk, 'stream').malformed).toBe(10_000);
    expect(malformed).toHaveLength(1);
    const [summary] = malformed;
    expect(summary?.count).toBe(10_000);
    expect(summary?.examples).toHaveLength(3);
    expect(Object.values(summary?.byProblem ?? {}).reduce((a, b) => a + b, 0)).toBe(10_000);
    expect(Object.keys(summary?.byProblem ?? {}).length).toBeLessThanOrEqual(11);
  });

  it('ingests a large batch in chunks with a turn of the event loop between them, reporting once', async () => {
    const commits: number[] = [];
    let turns = 0;
    const { ingester, malformed } = setup({
      sinks: [
        {
          accept: (batch) => {
            commits.push(batch.length);
            // Runs only if the ingester lets the event loop turn before the next chunk.
            setImmediate(() => {
              turns += 1;
            });
          },
        },
      ],
    });
    const batch = [...Array.from({ length: 250 }, (_, i) => raw(`c${i}`)), {}, {}];
    const turnsSeen: number[] = [];
    const result = await ingester.ingestInChunks(batch, 'stream', { chunkSize: 100 });
    turnsSeen.push(turns);
    expect(result).toMatchObject({ received: 252, accepted: 250, malformed: 2 });
    expect(commits).toEqual([100, 100, 50]);
    // The first two chunks' callbacks ran before the ingest finished.
    expect(turnsSeen[0]).toBeGreaterThanOrEqual(2);
    expect(malformed).toHaveLength(1);
    expect(malformed[0]?.count).toBe(2);
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
