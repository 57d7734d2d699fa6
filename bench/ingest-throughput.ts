/**
 * Ingest throughput: classify + count + checkpoint for N synthetic log events in pages of 100,
 * through the real ingester into a real file-backed SQLite database (WAL), as the poller does.
 * Prints events/s and peak RSS. Target: ≥ 50,000 events/s on one core, RSS ≤ 150 MB.
 *
 *   npx tsx bench/ingest-throughput.ts [events=1000000]
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createLogIngester } from '../src/core/logs/ingest.js';
import { SqliteCheckpointStore, openDatabase } from '../src/store/index.js';
import { SqliteLogStore } from '../src/store/sqlite-log-store.js';

const total = Number(process.argv[2] ?? 1_000_000);
const pageSize = 100;
const dir = mkdtempSync(join(tmpdir(), 'auth0-oncall-bench-'));
const store = openDatabase({ path: join(dir, 'bench.db') });
const ingester = createLogIngester({
  store: new SqliteLogStore(store),
  checkpoints: new SqliteCheckpointStore(store),
  uow: store,
  botClientId: 'botClient0001',
  now: () => new Date(),
});

// A realistic mix: mostly successful logins, some failures, M2M traffic, a little of the rest.
const mix = [
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
const clients = Array.from({ length: 20 }, (_, i) => `client${String(i).padStart(6, '0')}`);
const start = Date.parse('2026-03-01T00:00:00.000Z');
const page = (n: number): unknown[] =>
  Array.from({ length: pageSize }, (_, i) => {
    const k = n * pageSize + i;
    return {
      log_id: String(90020260301000000000000000000000000000000000000000000000n + BigInt(k)),
      date: new Date(start + k * 50).toISOString(),
      type: mix[k % mix.length],
      client_id: clients[k % clients.length],
      client_name: 'worker',
      ip: `203.0.113.${k % 250}`,
      connection: k % 3 === 0 ? 'google-oauth2' : 'Username-Password-Authentication',
      user_name: `user${k % 5000}@example.com`,
      user_agent: 'Mozilla/5.0 (X11; Linux x86_64) Chrome/131.0',
      description: 'Wrong email or password.',
      details: { error: { message: 'Wrong email or password.' } },
    };
  });

let peakRss = process.memoryUsage().rss;
const began = performance.now();
let ingestMs = 0;
for (let n = 0; n < total / pageSize; n += 1) {
  const entries = page(n);
  const t = performance.now();
  ingester.ingest(entries, 'poll', {
    name: 'auth0.logs',
    value: `log:${(entries.at(-1) as { log_id: string }).log_id}`,
  });
  ingestMs += performance.now() - t;
  if (n % 500 === 0) peakRss = Math.max(peakRss, process.memoryUsage().rss);
}
const wallMs = performance.now() - began;
peakRss = Math.max(peakRss, process.memoryUsage().rss);
const maxRssMb = process.resourceUsage().maxRSS / 1024;
store.close();
rmSync(dir, { recursive: true, force: true });

console.log(`ingest-throughput: ${total} events in pages of ${pageSize}`);
console.log(
  `  ingest only (classify + dedupe + count + checkpoint): ${Math.round(total / (ingestMs / 1000))} events/s`,
);
console.log(
  `  including synthetic page generation: ${Math.round(total / (wallMs / 1000))} events/s (${(wallMs / 1000).toFixed(1)} s)`,
);
console.log(`  peak RSS: ${Math.round(maxRssMb)} MB (sampled ${Math.round(peakRss / 1024 / 1024)} MB)`);
