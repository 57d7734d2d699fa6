/**
 * Backlog drain under an Auth0 plan's rate limits: N events waiting at the fake tenant, which
 * enforces the plan's limits on GET /api/v2/logs (docs: free 2 burst / 2 per s; essentials and
 * professional 10 burst / 100 per minute; enterprise 50 burst / 16 per s), drained by the real
 * poller through the real SDK, policy and budget. Beside it, the theoretical drain time: the burst
 * at once, then the sustained rate. Checks: every event stored, and zero 429 responses.
 *
 *   npx tsx bench/backlog-drain.ts [plan=essentials] [events=20000]
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FakeAuth0 } from '@auth0-oncall/fakes/auth0';
import { wireTenantWatching } from '../src/wiring/tenant.js';
import { loadConfig } from '../src/config.js';
import { createPlatform } from '../src/wiring/platform.js';
import { createLogger } from '../src/logger.js';
import { BOT_CLIENT, benchEnv } from './app-env.js';
import { finish } from './report.js';

const PLANS = {
  free: { burst: 2, perMinute: 120 },
  essentials: { burst: 10, perMinute: 100 },
  professional: { burst: 10, perMinute: 100 },
  enterprise: { burst: 50, perMinute: 960 },
} as const;
const plan = (process.argv[2] ?? 'essentials') as keyof typeof PLANS;
const limits = PLANS[plan];
const total = Number(process.argv[3] ?? 20_000);
const fake = await FakeAuth0.start({ plan, logRateLimits: false });
fake.addClient(BOT_CLIENT);
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
// The anchoring call took a token: the drain starts with a full bucket, as after a quiet spell.
await new Promise((resolve) => setTimeout(resolve, (60_000 / limits.perMinute) * limits.burst));
const existing = fake.logCount();
fake.traffic.generate({ minutes: 60, perMinute: Math.ceil(total / 60) });
const backlog = fake.logCount() - existing;
console.log(
  `backlog-drain (${plan}): ${backlog} log entries at the tenant, GET /logs limited to ` +
    `${limits.burst} burst / ${limits.perMinute} per minute`,
);

const before = fake.requestsTo('/api/v2/logs').length;
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
const calls = fake.requestsTo('/api/v2/logs').slice(before);
const throttled = fake.requestsTo('/api/v2/logs').filter((q) => q.status === 429).length;
const stored = store.db.prepare<[], number>('SELECT count(*) FROM log_events').pluck().get() ?? 0;
// The fastest the plan allows for these calls: the burst at once, then one per refill.
const theoreticalSeconds = (Math.max(0, calls.length - limits.burst) * 60) / limits.perMinute;
console.log(
  `  drained ${accepted} events in ${pages} pages (${calls.length} calls), ${seconds.toFixed(1)} s ` +
    `(${Math.round(accepted / seconds)} events/s); theoretical ${theoreticalSeconds.toFixed(1)} s`,
);
console.log(`  429 responses: ${throttled}, pages/min: ${(pages / (seconds / 60)).toFixed(1)}`);

watching.policy.dispose();
store.close();
await fake.stop();
rmSync(dir, { recursive: true, force: true });
finish({
  metrics: {
    seconds,
    theoreticalSeconds,
    ratio: theoreticalSeconds / seconds,
    pagesPerMinute: pages / (seconds / 60),
    callsPerMinute: calls.length / (seconds / 60),
    throttled,
  },
  // The drain's own token requests may log a few more entries; none of the backlog may be missing.
  checks: { 'every event stored': stored >= backlog && accepted >= backlog, 'zero 429s': throttled === 0 },
  info: { plan, events: backlog, pages, calls: calls.length, ...limits },
});
