/**
 * The store as it grows: realistic events (bench/log-pages.ts) stored through the real ingester
 * in pages of 100, oldest first as the poller stores them, into a file-backed database per size,
 * at the same rate, so that every size's history ends now (the largest spans 71 hours). At each
 * size (default 1M, then 10M): the database size, the detector's
 * evaluation time over it (the real detector on the real store: the first evaluation reads the
 * baseline history, the next ones what a new page triggers), then the built app
 * (`dist/src/main.js`, run `npm run build` first) started on that database against the fakes —
 * its peak RSS after start-up, the prune, detection and the App Home, and the time from opening
 * the Home tab to its view published.
 *
 *   npx tsx bench/store-scale.ts [sizes=1000000,10000000]
 */
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FakeAuth0 } from '@auth0-oncall/fakes/auth0';
import { FakeSlack, SlackDriver } from '@auth0-oncall/fakes/slack';
import { createDetector } from '../src/core/detection/index.js';
import { openDatabase, type StoreDatabase } from '../src/store/index.js';
import { SqliteLogStore } from '../src/store/sqlite-log-store.js';
import { spawnApp } from '../sandbox/app-process.js';
import { BOT_CLIENT, benchEnv } from './app-env.js';
import { benchIngester, ingestPage, logPage } from './log-pages.js';
import { finish, percentile, processRssMb } from './report.js';

const sizes = (process.argv[2] ?? '1000000,10000000').split(',').map(Number);
const largest = Math.max(...sizes);
const pageSize = 100;
const OPERATOR = 'U0OPERATOR';
const dir = mkdtempSync(join(tmpdir(), 'auth0-oncall-scale-'));
let path = '';
// The largest size spans 71 hours (inside the default 72 h retention, so the app prunes nothing).
const stepMs = (71 * 3_600_000) / largest;
const newest = Date.now();

const fileMb = () => {
  const size = (p: string) => {
    try {
      return statSync(p).size;
    } catch {
      return 0;
    }
  };
  return (size(path) + size(`${path}-wal`)) / 1024 / 1024;
};

/** The real detector over the stored counts: the first evaluation, then the median of ten more. */
const detectionTimes = (store: StoreDatabase) => {
  const detector = createDetector({ logs: new SqliteLogStore(store), now: () => new Date() });
  let t = performance.now();
  detector.evaluate([]);
  const firstMs = performance.now() - t;
  const next: number[] = [];
  for (let i = 0; i < 10; i += 1) {
    t = performance.now();
    detector.evaluate([]);
    next.push(performance.now() - t);
  }
  return { firstMs, nextMs: percentile(next, 50) };
};

/** The built app on the database: its peak RSS, and Home tab opened → view published (median of 5). */
const appOn = async () => {
  const auth0 = await FakeAuth0.start({ logRateLimits: false });
  auth0.addClient(BOT_CLIENT);
  const slack = await FakeSlack.start();
  const app = spawnApp(
    benchEnv({
      SLACK_BOT_TOKEN: slack.options.botToken,
      SLACK_APP_TOKEN: slack.options.appToken,
      SLACK_API_URL: slack.apiUrl,
      SLACK_OPERATORS: OPERATOR,
      AUTH0_BASE_URL: auth0.baseUrl,
      DATABASE_PATH: path,
      HTTP_HOST: '127.0.0.1',
      HTTP_PORT: '0',
    }),
  );
  const began = performance.now();
  await app.waitForLog('app.ready', 600_000);
  const readyMs = performance.now() - began;
  const driver = new SlackDriver(slack, { channelId: 'C0ALERTS' });
  const home: number[] = [];
  for (let i = 0; i < 5; i += 1) {
    const published = slack.callsTo('views.publish').length;
    const t = performance.now();
    await driver.openHome(OPERATOR);
    await slack.waitFor(() => (slack.callsTo('views.publish').length > published ? true : undefined), {
      timeoutMs: 30_000,
      intervalMs: 2,
    });
    home.push(performance.now() - t);
  }
  // Detection runs at start and every 30 s; a poll and the hourly prune run at start too.
  await new Promise((resolve) => setTimeout(resolve, 5_000));
  const rss = processRssMb(app.child.pid ?? 0);
  app.child.kill('SIGTERM');
  const exit = await app.exited;
  await slack.stop();
  await auth0.stop();
  return { readyMs, homeMs: percentile(home, 50), rss, exitCode: exit.code };
};

const results: Record<string, number> = {};
const checks: Record<string, boolean> = {};
for (const size of sizes) {
  path = join(dir, `scale-${size}.db`);
  const store = openDatabase({ path });
  const ingester = benchIngester(store, BOT_CLIENT.clientId);
  const oldest = newest - size * stepMs;
  const t = performance.now();
  for (let n = 0; n < size / pageSize; n += 1)
    ingestPage(
      ingester,
      logPage(n, pageSize, (k) => new Date(oldest + k * stepMs)),
    );
  const ingestSeconds = (performance.now() - t) / 1000;
  const rows = (table: string) =>
    store.db.prepare<[], number>(`SELECT count(*) FROM ${table}`).pluck().get() ?? 0;
  const events = rows('log_events');
  const counts = rows('log_counts');
  checks[`${size} events stored`] = events === size;
  const ingestRate = size / ingestSeconds;
  const detection = detectionTimes(store);
  store.db.pragma('wal_checkpoint(TRUNCATE)');
  const mb = fileMb();
  store.close();
  const app = await appOn();
  checks[`the app on ${size} events exits 0`] = app.exitCode === 0;
  const label = size >= 1_000_000 ? `${size / 1_000_000}M` : `${size / 1000}k`;
  console.log(
    `store-scale ${label}: ${events} events, ${counts} count rows, ${mb.toFixed(0)} MB ` +
      `(${Math.round((mb * 1024 * 1024) / events)} bytes/event; stored at ${Math.round(ingestRate)} events/s)`,
  );
  console.log(
    `  detection: first evaluation ${detection.firstMs.toFixed(1)} ms, next ${detection.nextMs.toFixed(1)} ms; ` +
      `the app: ready in ${(app.readyMs / 1000).toFixed(1)} s, Home ${app.homeMs.toFixed(0)} ms, ` +
      `RSS ${app.rss.rss.toFixed(0)} MB (peak ${app.rss.peak.toFixed(0)} MB)`,
  );
  Object.assign(results, {
    [`dbMb_${label}`]: mb,
    [`bytesPerEvent_${label}`]: (mb * 1024 * 1024) / events,
    [`countRows_${label}`]: counts,
    [`ingestPerSecond_${label}`]: ingestRate,
    [`detectFirstMs_${label}`]: detection.firstMs,
    [`detectNextMs_${label}`]: detection.nextMs,
    [`homeMs_${label}`]: app.homeMs,
    [`appReadyMs_${label}`]: app.readyMs,
    [`appRssMb_${label}`]: app.rss.rss,
    [`appPeakRssMb_${label}`]: app.rss.peak,
  });
  rmSync(path, { force: true });
}
rmSync(dir, { recursive: true, force: true });
finish({ metrics: results, checks, info: { sizes: sizes.join(',') } });
