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
import { openDatabase } from '../src/store/index.js';
import { benchIngester, ingestPage, logPage } from './log-pages.js';

const total = Number(process.argv[2] ?? 1_000_000);
const pageSize = 100;
const dir = mkdtempSync(join(tmpdir(), 'auth0-oncall-bench-'));
const store = openDatabase({ path: join(dir, 'bench.db') });
const ingester = benchIngester(store, 'botClient0001');

const start = Date.parse('2026-03-01T00:00:00.000Z');
const page = (n: number): unknown[] => logPage(n, pageSize, (k) => new Date(start + k * 50));

let peakRss = process.memoryUsage().rss;
const began = performance.now();
let ingestMs = 0;
for (let n = 0; n < total / pageSize; n += 1) {
  const entries = page(n);
  const t = performance.now();
  ingestPage(ingester, entries);
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
