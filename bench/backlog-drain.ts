/**
 * Backlog drain: N events waiting at the fake tenant set to the Essentials plan (GET /logs:
 * 10 burst, 100 per minute), drained by the real poller through the real SDK, policy and
 * budget. Prints wall time, pages and the number of 429s (target 0).
 *
 *   npx tsx bench/backlog-drain.ts [events=20000]
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { wireTenantWatching } from '../src/wiring/tenant.js';
import { loadConfig } from '../src/config.js';
import { createPlatform } from '../src/wiring/platform.js';
import { createLogger } from '../src/logger.js';
import { FakeAuth0 } from '@auth0-oncall/fakes/auth0';
import { benchEnv } from './app-env.js';

const total = Number(process.argv[2] ?? 20_000);
const fake = await FakeAuth0.start({ plan: 'essentials', logRateLimits: false });
fake.addClient({
  clientId: 'botClient0001',
  name: 'auth0-oncall',
  appType: 'non_interactive',
  secret: 'bot-client-secret-value-0001',
});
const dir = mkdtempSync(join(tmpdir(), 'auth0-oncall-drain-'));
const platform = createPlatform({
  config: loadConfig(benchEnv({ AUTH0_BASE_URL: fake.baseUrl, DATABASE_PATH: join(dir, 'drain.db') })),
  logger: createLogger({ level: 'warn' }),
  version: 'bench',
});
const store = platform.stores.db;
const watching = wireTenantWatching(platform);
const signal = new AbortController().signal;

await watching.poller.poll(signal); // first start: anchor at "now"
fake.traffic.generate({ minutes: 60, perMinute: Math.ceil(total / 60) });
const backlog = fake.logCount();
console.log(
  `backlog-drain: ${backlog} log entries at the tenant, GET /logs limited to 10 burst / 100 per minute`,
);

const began = performance.now();
let pages = 0;
let accepted = 0;
for (;;) {
  const r = await watching.poller.poll(signal);
  pages += r.pages;
  accepted += r.accepted;
  if (r.caughtUp) break;
}
const seconds = (performance.now() - began) / 1000;
const throttled = fake.requestsTo('/api/v2/logs').filter((q) => q.status === 429).length;
console.log(
  `  drained ${accepted} events in ${pages} pages, ${seconds.toFixed(1)} s wall time (${Math.round(accepted / seconds)} events/s)`,
);
console.log(
  `  429 responses: ${throttled} (SDK and policy retries included), pages/min: ${(pages / (seconds / 60)).toFixed(1)}`,
);

watching.policy.dispose();
store.close();
await fake.stop();
rmSync(dir, { recursive: true, force: true });
