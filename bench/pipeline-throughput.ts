/**
 * Pipeline throughput: N log events of a realistic mix (bench/log-pages.ts), dated over the last
 * 24 hours up to now, in pages of 100, through the app as buildApp wires it: the ingester the
 * poller calls (classify, dedupe, count, checkpoint, one transaction per page), then whatever
 * listens for new logs — detection over every detector, coalesced as the app does it, incidents
 * and their cards (posted to a fake Slack in its own process). A turn of the event loop separates pages, as the
 * poller's HTTP call does, so the coalesced detection runs when it would in the app.
 *
 * Beside it, in the same process and run, the storage limit: a bare better-sqlite3 INSERT of the
 * same rows into the same schema (same WAL settings), one transaction per page of 100: each row
 * with the signal, scope and bounded fields the pipeline stores for it (classified before its timer
 * starts), so the limit writes what the pipeline writes to log_events and nothing else.
 * The runner pins this benchmark to one core (taskset -c 0).
 *
 *   npx tsx bench/pipeline-throughput.ts [events=1000000]
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setImmediate as nextTurn } from 'node:timers/promises';
import { buildApp } from '../src/app.js';
import { loadConfig } from '../src/config.js';
import { classifyLog, parseLogEntry, type ClassifiedLog } from '../src/core/logs/classification.js';
import { createLogger } from '../src/logger.js';
import { openDatabase } from '../src/store/index.js';
import { benchEnv, BOT_CLIENT } from './app-env.js';
import { logPage } from './log-pages.js';
import { finish, peakRssMb } from './report.js';
import { startRemoteSlack } from './remote-slack.js';

const total = Number(process.argv[2] ?? 1_000_000);
const pageSize = 100;
const pages = Math.ceil(total / pageSize);
const dir = mkdtempSync(join(tmpdir(), 'auth0-oncall-pipeline-'));
const spanMs = 24 * 3_600_000;
const end = Date.now();
const dateOf = (k: number) => new Date(end - spanMs + Math.floor((k * spanMs) / total));
const page = (n: number) => logPage(n, pageSize, dateOf) as Array<Record<string, unknown>>;

// 1. The limit: the same rows, bare. Each row is stored as the pipeline stores it (its signal,
// scope and bounded fields), classified beforehand, outside the timer: only the INSERTs are timed.
const bare = openDatabase({ path: join(dir, 'bare.db') });
const insert = bare.db.prepare(
  `INSERT INTO log_events (log_id, date, type, signal, scope, own, client_id, client_name, ip, connection,
     user_name, user_agent, description, reason, source, ingested_at)
   VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 'poll', ?)`,
);
const classified = (entries: Array<Record<string, unknown>>): ClassifiedLog[] =>
  entries.map((raw) => {
    const parsed = parseLogEntry(raw);
    if (!parsed.ok) throw new Error(`bench: malformed entry: ${parsed.problem}`);
    return classifyLog(parsed.entry, { botClientId: BOT_CLIENT.clientId });
  });
const insertPage = bare.db.transaction((rows: readonly ClassifiedLog[], at: string) => {
  for (const { entry: e, signal, scope, own, reason } of rows)
    insert.run(
      e.logId,
      e.date,
      e.type,
      signal,
      scope,
      own ? 1 : 0,
      e.clientId,
      e.clientName,
      e.ip,
      e.connection,
      e.userName,
      e.userAgent,
      e.description,
      reason,
      at,
    );
});
let bareMs = 0;
for (let n = 0; n < pages; n += 1) {
  const rows = classified(page(n));
  const t = performance.now();
  insertPage(rows, new Date().toISOString());
  bareMs += performance.now() - t;
}
const bareRows = bare.db.prepare<[], number>('SELECT count(*) FROM log_events').pluck().get() ?? 0;
bare.close();
const bareRate = total / (bareMs / 1000);

// 2. The pipeline, as the app runs it.
// The fake Slack (cards of the incidents the mix opens) in its own process: not in this RSS.
const slack = await startRemoteSlack();
const app = buildApp({
  config: loadConfig(
    benchEnv({
      SLACK_BOT_TOKEN: slack.botToken,
      SLACK_APP_TOKEN: slack.appToken,
      SLACK_API_URL: slack.apiUrl,
      DATABASE_PATH: join(dir, 'app.db'),
    }),
  ),
  logger: createLogger({ level: 'error' }),
  version: 'bench',
  overrides: { slackRetry: { retries: 0 } },
});
const rssBefore = process.memoryUsage().rss / 1024 / 1024;
let pipelineRss = rssBefore;
let pipelineMs = 0;
let accepted = 0;
for (let n = 0; n < pages; n += 1) {
  const entries = page(n);
  const t = performance.now();
  const r = app.watching.ingester.ingest(entries, 'poll', {
    name: 'auth0.logs',
    value: `log:${String(entries.at(-1)?.log_id)}`,
  });
  await nextTurn(); // the poller's next HTTP call: detection and card work run meanwhile
  pipelineMs += performance.now() - t;
  accepted += r.accepted;
  if (n % 100 === 0) pipelineRss = Math.max(pipelineRss, process.memoryUsage().rss / 1024 / 1024);
}
// What is still running (the last coalesced evaluation, card posts) belongs to the pipeline too.
const t = performance.now();
await app.shutdownPlan.drain(60_000);
pipelineMs += performance.now() - t;
pipelineRss = Math.max(pipelineRss, process.memoryUsage().rss / 1024 / 1024);

const stored = app.db.db.prepare<[], number>('SELECT count(*) FROM log_events').pluck().get() ?? 0;
const evaluations = (
  (await app.metrics.registry.getSingleMetric('auth0oncall_background_tasks_total')?.get())?.values ?? []
)
  .filter((v) => v.labels.task === 'detect.on_logs')
  .reduce((sum, v) => sum + v.value, 0);
const opened = app.db.db.prepare<[], number>('SELECT count(*) FROM incidents').pluck().get() ?? 0;
app.db.close();
await slack.stop();
rmSync(dir, { recursive: true, force: true });

const rate = total / (pipelineMs / 1000);
console.log(`pipeline-throughput: ${total} events in pages of ${pageSize}, one core`);
console.log(
  `  ingest + detection (${evaluations} coalesced evaluations, ${opened} incidents): ${Math.round(rate)} events/s`,
);
console.log(`  bare SQLite insert of the same rows: ${Math.round(bareRate)} events/s`);
console.log(`  ratio ${(rate / bareRate).toFixed(2)}; pipeline RSS peak ${Math.round(pipelineRss)} MB`);
finish({
  metrics: {
    eventsPerSecond: rate,
    bareEventsPerSecond: bareRate,
    ratio: rate / bareRate,
    evaluations,
    evaluationsPerPage: evaluations / pages,
    pipelineRssMb: pipelineRss,
    rssBeforeFirstEventMb: rssBefore,
    processPeakRssMb: peakRssMb(),
  },
  checks: {
    'every event stored once by the pipeline': stored === total && accepted === total,
    'every event stored by the bare insert': bareRows === total,
  },
  info: { events: total, pageSize, incidents: opened },
});
