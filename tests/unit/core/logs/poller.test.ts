import { afterEach, describe, expect, it } from 'vitest';
import { createLogIngester } from '../../../../src/core/logs/ingest.js';
import { createLogPoller, LOG_CHECKPOINT, type LogPollerDeps } from '../../../../src/core/logs/poller.js';
import type { LogSearch, LogsPage } from '../../../../src/core/tenant/ports.js';
import { SqliteCheckpointStore, openDatabase, type StoreDatabase } from '../../../../src/store/index.js';
import { SqliteLogStore } from '../../../../src/store/sqlite-log-store.js';

/** An in-memory tenant honouring checkpoint mode and a date search, for the poller's own logic. */
class MemoryTenant {
  logs: Array<{ log_id: string; date: string; type: string }> = [];
  calls: string[] = [];
  failWith: Error | undefined;
  add(n: number, startMs: number) {
    for (let i = 0; i < n; i += 1) {
      const k = this.logs.length + 1;
      this.logs.push({
        log_id: String(k).padStart(10, '0'),
        date: new Date(startMs + i * 1000).toISOString(),
        type: 'fp',
      });
    }
  }
  fetchLogs(from: string, take: number): Promise<LogsPage> {
    this.calls.push(`fetch ${from}`);
    if (this.failWith) return Promise.reject(this.failWith);
    const entries = this.logs.filter((l) => l.log_id > from).slice(0, take);
    return Promise.resolve({ entries, nextFrom: entries.at(-1)?.log_id ?? from });
  }
  searchLogs(search: LogSearch): Promise<readonly unknown[]> {
    this.calls.push(`search ${search.sort} ${search.q ?? ''}`);
    const since = /date:\[(\S+) TO \*\]/.exec(search.q ?? '')?.[1];
    const matching = this.logs.filter((l) => !since || l.date >= since);
    const sorted = search.sort === 'date:1' ? matching : [...matching].reverse();
    return Promise.resolve(sorted.slice(0, search.perPage));
  }
}

let store: StoreDatabase;
afterEach(() => {
  store.close();
});

const T0 = Date.parse('2026-03-01T12:00:00.000Z');

const setup = (over: Partial<LogPollerDeps> = {}, waits: number[] = []) => {
  store = openDatabase({ path: ':memory:' });
  const tenant = new MemoryTenant();
  const logs = new SqliteLogStore(store);
  const checkpoints = new SqliteCheckpointStore(store);
  let now = T0;
  const slept: number[] = [];
  const poller = createLogPoller({
    tenant,
    ingester: createLogIngester({
      store: logs,
      checkpoints,
      uow: store,
      botClientId: 'botClient0001',
      now: () => new Date(now),
    }),
    checkpoints,
    budget: { waitBeforeNextCall: () => waits.shift() ?? 0 },
    now: () => new Date(now),
    sleep: (ms) => {
      slept.push(ms);
      return Promise.resolve();
    },
    lookbackMinutes: 0,
    ...over,
  });
  const signal = new AbortController().signal;
  return { tenant, logs, checkpoints, poller, slept, signal, advance: (ms: number) => (now += ms) };
};

describe('createLogPoller', () => {
  it('starts from the newest log on first start, without reading the history', async () => {
    const { tenant, poller, checkpoints, logs, signal } = setup();
    tenant.add(250, T0 - 3_600_000);
    const first = await poller.poll(signal);
    expect(first).toMatchObject({ accepted: 0, caughtUp: true });
    expect(checkpoints.get(LOG_CHECKPOINT)?.value).toBe(`log:${'250'.padStart(10, '0')}`);
    tenant.add(3, T0);
    expect(await poller.poll(signal)).toMatchObject({ pages: 1, accepted: 3, caughtUp: true });
    expect(logs.recent({ limit: 10 })).toHaveLength(3);
  });

  it('on an empty tenant anchors to the time, and later picks up logs written after it', async () => {
    const { tenant, poller, checkpoints, signal, advance } = setup();
    await poller.poll(signal);
    expect(checkpoints.get(LOG_CHECKPOINT)?.value).toBe(`time:${new Date(T0).toISOString()}`);
    await poller.poll(signal);
    expect(checkpoints.get(LOG_CHECKPOINT)?.value).toMatch(/^time:/);
    tenant.add(150, T0 + 1_000);
    advance(60_000);
    const r = await poller.poll(signal);
    expect(r.accepted).toBe(150);
    expect(checkpoints.get(LOG_CHECKPOINT)?.value).toBe(`log:${'150'.padStart(10, '0')}`);
  });

  it('reads the look-back window on first start', async () => {
    const { tenant, poller, signal } = setup({ lookbackMinutes: 10 });
    tenant.add(5, T0 - 3_600_000);
    tenant.add(7, T0 - 300_000);
    expect((await poller.poll(signal)).accepted).toBe(7);
  });

  it('drains a backlog page by page until a short page, each with its checkpoint', async () => {
    const { tenant, poller, signal, checkpoints } = setup();
    await poller.poll(signal);
    tenant.add(350, T0);
    const r = await poller.poll(signal);
    expect(r).toMatchObject({ pages: 4, accepted: 350, caughtUp: true });
    expect(checkpoints.get(LOG_CHECKPOINT)?.value).toBe(`log:${'350'.padStart(10, '0')}`);
    expect(poller.status()).toMatchObject({ caughtUp: true, ingested: 350, lastError: undefined });
  });

  it('stops a tick after the page cap and continues at the next one', async () => {
    const { tenant, poller, signal } = setup({ maxPagesPerTick: 2 });
    await poller.poll(signal);
    tenant.add(450, T0);
    expect(await poller.poll(signal)).toMatchObject({ pages: 2, accepted: 200, caughtUp: false });
    expect(await poller.poll(signal)).toMatchObject({ pages: 2, accepted: 200, caughtUp: false });
    expect(await poller.poll(signal)).toMatchObject({ pages: 1, accepted: 50, caughtUp: true });
  });

  it('waits as the budget asks, and ends the tick instead of sleeping through a long wait', async () => {
    const waits = [0, 0, 1_500, 120_000];
    const { tenant, poller, signal, slept } = setup({ maxWaitMs: 60_000 }, waits);
    tenant.add(1, T0 - 1_000);
    await poller.poll(signal); // seeds, then one budget check for an empty page (the first 0)
    tenant.add(400, T0);
    const r = await poller.poll(signal);
    expect(slept).toEqual([1_500]);
    expect(r).toMatchObject({ pages: 2, accepted: 200, caughtUp: false });
  });

  it('records the error and keeps the checkpoint when the tenant fails', async () => {
    const { tenant, poller, signal, checkpoints } = setup();
    tenant.add(1, T0);
    await poller.poll(signal);
    const before = checkpoints.get(LOG_CHECKPOINT)?.value;
    tenant.failWith = new Error('Auth0 is unavailable');
    await expect(poller.poll(signal)).rejects.toThrow('Auth0 is unavailable');
    expect(poller.status()).toMatchObject({ lastError: 'Auth0 is unavailable', caughtUp: false });
    expect(checkpoints.get(LOG_CHECKPOINT)?.value).toBe(before);
  });

  it('moves past malformed entries instead of fetching them forever', async () => {
    const { tenant, poller, signal } = setup();
    await poller.poll(signal);
    tenant.add(2, T0);
    tenant.logs.push({ log_id: '0000000003', date: 'garbage', type: 's' });
    const r = await poller.poll(signal);
    expect(r).toMatchObject({ accepted: 2, malformed: 1 });
    expect((await poller.poll(signal)).malformed).toBe(0);
  });
});
