import { createLogIngester, type LogIngester } from '../src/core/logs/ingest.js';
import { SqliteCheckpointStore, type StoreDatabase } from '../src/store/index.js';
import { SqliteLogStore } from '../src/store/sqlite-log-store.js';

/** A realistic mix: mostly successful logins, some failures, M2M traffic, a little of the rest. */
const MIX = [
  's',
  's',
  's',
  's',
  's',
  's',
  's',
  'fp',
  'fu',
  'f',
  'seccft',
  'seccft',
  'feccft',
  'sapi',
  'fcoa',
  'limit_wc',
];
const CLIENTS = Array.from({ length: 20 }, (_, i) => `client${String(i).padStart(6, '0')}`);

/** The production ingester over `store`, as the poller runs it (one transaction per page). */
export const benchIngester = (store: StoreDatabase, botClientId: string): LogIngester =>
  createLogIngester({
    store: new SqliteLogStore(store),
    checkpoints: new SqliteCheckpointStore(store),
    uow: store,
    botClientId,
    now: () => new Date(),
  });

/** Page `n` of tenant log entries shaped like Auth0's; entry `k` is dated `dateOf(k)`. */
export const logPage = (n: number, pageSize: number, dateOf: (k: number) => Date): unknown[] =>
  Array.from({ length: pageSize }, (_, i) => {
    const k = n * pageSize + i;
    return {
      log_id: String(90020260301000000000000000000000000000000000000000000000n + BigInt(k)),
      date: dateOf(k).toISOString(),
      type: MIX[k % MIX.length],
      client_id: CLIENTS[k % CLIENTS.length],
      client_name: 'worker',
      ip: `203.0.113.${k % 250}`,
      connection: k % 3 === 0 ? 'google-oauth2' : 'Username-Password-Authentication',
      user_name: `user${k % 5000}@example.com`,
      user_agent: 'Mozilla/5.0 (X11; Linux x86_64) Chrome/131.0',
      description: 'Wrong email or password.',
      details: { error: { message: 'Wrong email or password.' } },
    };
  });

/** Stores one page and its checkpoint, exactly as a poll does. */
export const ingestPage = (ingester: LogIngester, entries: unknown[]): void => {
  ingester.ingest(entries, 'poll', {
    name: 'auth0.logs',
    value: `log:${(entries.at(-1) as { log_id: string }).log_id}`,
  });
};
