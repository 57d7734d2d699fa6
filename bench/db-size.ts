/**
 * Database size and the app's memory with N stored log events: N synthetic events, spread over the
 * last 71 hours (inside the default LOG_RETENTION_HOURS, so nothing is pruned), stored through the
 * real ingester in pages of 100 into a file-backed SQLite database; then the built app
 * (`dist/src/main.js`, run `npm run build` first) is started on that database against the fakes
 * and its RSS read once it has polled, pruned and run detection over what is stored. Prints the
 * database size per million events and the app's RSS; docs/production.md quotes both.
 *
 *   npx tsx bench/db-size.ts [events=1000000]
 */
import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FakeAuth0 } from '@auth0-oncall/fakes/auth0';
import { FakeSlack } from '@auth0-oncall/fakes/slack';
import { openDatabase } from '../src/store/index.js';
import { benchIngester, ingestPage, logPage } from './log-pages.js';
import { spawnApp } from '../sandbox/app-process.js';
import { BOT_CLIENT, benchEnv } from './app-env.js';

const total = Number(process.argv[2] ?? 1_000_000);
const pageSize = 100;
const dir = mkdtempSync(join(tmpdir(), 'auth0-oncall-dbsize-'));
const path = join(dir, 'auth0-oncall.db');
const store = openDatabase({ path });
const ingester = benchIngester(store, BOT_CLIENT.clientId);

const spanMs = 71 * 3_600_000;
const start = Date.now() - spanMs;
const page = (n: number): unknown[] =>
  logPage(n, pageSize, (k) => new Date(start + Math.floor((k * spanMs) / total)));

for (let n = 0; n < total / pageSize; n += 1) {
  const entries = page(n);
  ingestPage(ingester, entries);
}
store.db.pragma('wal_checkpoint(TRUNCATE)');
const rows = (table: string) =>
  (store.db.prepare(`SELECT count(*) AS n FROM ${table}`).get() as { n: number }).n;
const events = rows('log_events');
const counts = rows('log_counts');
store.close();
const bytes = statSync(path).size;
const mb = (b: number) => (b / 1024 / 1024).toFixed(1);
console.log(
  `db-size: ${events} events (${counts} per-minute count rows) in ${mb(bytes)} MB: ` +
    `${mb((bytes / events) * 1_000_000)} MB per million events (${Math.round(bytes / events)} bytes/event)`,
);

// The app itself on that database: RSS after start-up, the first poll, the prune and detection.
const auth0 = await FakeAuth0.start({ logRateLimits: false });
auth0.addClient(BOT_CLIENT);
const slack = await FakeSlack.start();
const app = spawnApp(
  benchEnv({
    SLACK_BOT_TOKEN: slack.options.botToken,
    SLACK_APP_TOKEN: slack.options.appToken,
    SLACK_API_URL: slack.apiUrl,
    AUTH0_BASE_URL: auth0.baseUrl,
    DATABASE_PATH: path,
    HTTP_HOST: '127.0.0.1',
    HTTP_PORT: '0',
  }),
);
await app.waitForLog('app.ready', 60_000);
const rssOf = (pid: number) =>
  Number(/VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1] ?? 0) * 1024;
const hwmOf = (pid: number) =>
  Number(/VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1] ?? 0) * 1024;
// Detection runs after the first poll and every 30 s: 35 s covers one timed evaluation too.
await new Promise((resolve) => setTimeout(resolve, 35_000));
const pid = app.child.pid ?? 0;
console.log(
  `db-size: the app with ${events} stored events: RSS ${mb(rssOf(pid))} MB, peak ${mb(hwmOf(pid))} MB`,
);
app.child.kill('SIGTERM');
await app.exited;
await slack.stop();
await auth0.stop();
rmSync(dir, { recursive: true, force: true });
