/**
 * Detection latency: from the moment a burst of failed token requests lands at the fake tenant to
 * its card in the fake Slack channel, through the real app (buildApp, real timers). Each run is a
 * new Machine-to-Machine client whose secret is wrong, so it is a new incident and a new card (a
 * failed-login spike would not do: detection rightly sees the second one as part of the first
 * card's credential stuffing). Twenty runs polling every 2 s, then twenty
 * with the events also pushed by the Log Stream, each landing at a random point of the poll cycle.
 * Goals: ≤ poll interval + 1 s polling; ≤ 0.5 s with push.
 *
 *   npx tsx bench/detection-latency.ts [runs=20]
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FakeAuth0 } from '@auth0-oncall/fakes/auth0';
import { FakeSlack } from '@auth0-oncall/fakes/slack';
import { buildApp } from '../src/app.js';
import { createShutdown, ExitCode } from '../src/wiring/lifecycle.js';
import { loadConfig } from '../src/config.js';
import { createLogger } from '../src/logger.js';
import { BOT_CLIENT, benchEnv } from './app-env.js';
import { finish, percentile } from './report.js';

const runs = Number(process.argv[2] ?? 20);
const INTERVAL_SECONDS = 2;
const TOKEN = 'bench-log-stream-token-0123456789';
const dir = mkdtempSync(join(tmpdir(), 'auth0-oncall-latency-'));
const slack = await FakeSlack.start();
const auth0 = await FakeAuth0.start({
  logRateLimits: false,
  rateLimits: { logs: { burst: 1000, perMinute: 60_000 } },
});
auth0.addClient(BOT_CLIENT);
const config = loadConfig(
  benchEnv({
    SLACK_BOT_TOKEN: slack.options.botToken,
    SLACK_APP_TOKEN: slack.options.appToken,
    SLACK_API_URL: slack.apiUrl,
    AUTH0_BASE_URL: auth0.baseUrl,
    DATABASE_PATH: join(dir, 'latency.db'),
    HTTP_HOST: '127.0.0.1',
    HTTP_PORT: '0',
    LOG_POLL_INTERVAL_SECONDS: String(INTERVAL_SECONDS),
    LOG_STREAM_TOKEN: TOKEN,
  }),
);
const logger = createLogger({ level: 'error' });
const app = buildApp({ config, logger, version: 'bench' });
const { port } = await app.start();
await new Promise((resolve) => setTimeout(resolve, 2_500)); // first poll anchors at "now"

const cards = () => slack.channelMessages('C0ALERTS').filter((m) => m.threadTs === undefined);
const measure = async (label: string, push: boolean) => {
  const latencies: number[] = [];
  for (let i = 0; i < runs; i += 1) {
    const before = cards().length;
    const clientId = `latency${label.replace(/\W/g, '')}${String(i).padStart(4, '0')}`;
    auth0.addClient({ clientId, name: `worker ${label} ${i}`, appType: 'non_interactive', secret: 'x' });
    const t0 = performance.now();
    const entries = auth0.traffic.m2mSecretBroken(clientId, { perMinute: 30, minutes: 1 });
    if (push) {
      await fetch(`http://127.0.0.1:${port}/auth0/log-stream`, {
        method: 'POST',
        headers: { authorization: `Bearer ${TOKEN}` },
        body: JSON.stringify(entries),
      });
    }
    await slack.waitFor(() => (cards().length > before ? true : undefined), {
      timeoutMs: 15_000,
      intervalMs: 5,
    });
    latencies.push(performance.now() - t0);
    await new Promise((resolve) => setTimeout(resolve, 300 + Math.random() * 1_700)); // land at a random point of the poll cycle
  }
  const median = percentile(latencies, 50);
  const max = percentile(latencies, 100);
  console.log(
    `  ${label}: median ${(median / 1000).toFixed(2)} s, max ${(max / 1000).toFixed(2)} s over ${runs} runs`,
  );
  return latencies;
};

console.log('detection-latency: first failed token request at the tenant → card in the channel');
const polled = await measure('poll every 2 s', false);
const pushed = await measure('Log Stream push', true);
const opened = cards().length;

// The app's own shutdown: intake stopped (the storage watch among it) before the database closes,
// so nothing reports the closed database as a failure.
if ((await createShutdown(app.shutdownPlan, logger, 10_000).shutdown('benchmark done')) !== ExitCode.ok)
  throw new Error('the app did not shut down cleanly');
await auth0.stop();
await slack.stop();
rmSync(dir, { recursive: true, force: true });
finish({
  metrics: { pollMs: polled, pushMs: pushed, intervalMs: INTERVAL_SECONDS * 1000 },
  checks: { 'one card per burst': opened === 2 * runs },
  info: { runs },
});
