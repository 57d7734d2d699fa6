/**
 * Step-click ack latency as Slack sees it: N Run step clicks (default 500), C at a time (default
 * 50), sent by a fake Slack running in its own process (bench/fake-slack-process.ts) over Socket
 * Mode to the real app wiring (buildApp + the step runner and its listeners, real SQLite on disk).
 * Each of 50 steps is clicked N/50 times by two operators, so most clicks are duplicates racing the
 * first. The fake measures each ack (envelope sent → ack received) and checks exactly-once: one
 * execution per step, no more.
 *
 * Beside it, the floor: a bare Bolt app in the same setup (same fake, same process, same clicks on
 * the same cards) whose only listener acks.
 *
 *   npx tsx bench/ack-latency.ts [clicks=500] [concurrency=50]
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { App as BoltApp, LogLevel } from '@slack/bolt';
import { z } from 'zod';
import { buildApp } from '../src/app.js';
import { loadConfig } from '../src/config.js';
import { catalogEntry, type ActionCatalog, type CatalogEntry } from '../src/core/actions/action.js';
import type { NewIncidentStep } from '../src/core/incidents/model.js';
import type { ActionName } from '../src/core/runbooks/model.js';
import { createLogger } from '../src/logger.js';
import { SqliteIncidentStore } from '../src/store/index.js';
import { benchEnv } from './app-env.js';
import { startRemoteSlack } from './remote-slack.js';
import { finish, percentile } from './report.js';

const clicks = Number(process.argv[2] ?? 500);
const concurrency = Number(process.argv[3] ?? 50);
const INCIDENTS = 10;
const STEPS_PER_INCIDENT = 5;

const CHANNEL = 'C0ALERTS';
const OPERATORS = ['U0OPERATOR', 'U0ADMIN'];

/** The one action the steps run: it only counts, and exactly-once is measured on what it applied. */
const actions = { runs: 0, applied: [] as string[] };
const catalog: ActionCatalog = new Map<ActionName, CatalogEntry>([
  [
    'recheck_signal',
    catalogEntry({
      name: 'recheck_signal',
      title: 'Re-check the signal',
      description: 'counts its runs',
      destructive: false,
      params: z.object({ target: z.string().min(1).max(40) }),
      check: () => undefined,
      run: ({ target }) => {
        actions.runs += 1;
        actions.applied.push(target);
        return Promise.resolve({ outcome: 'success', summary: `applied to ${target}` });
      },
      recover: ({ target }) => Promise.resolve({ outcome: 'failure', summary: `${target}: not recovered` }),
    }),
  ],
]);

const dir = mkdtempSync(join(tmpdir(), 'auth0-oncall-ack-'));
const slack = await startRemoteSlack();
const config = loadConfig(
  benchEnv({
    SLACK_BOT_TOKEN: slack.botToken,
    SLACK_APP_TOKEN: slack.appToken,
    SLACK_API_URL: slack.apiUrl,
    SLACK_ALERT_CHANNEL: CHANNEL,
    SLACK_OPERATORS: OPERATORS.join(','),
    DATABASE_PATH: join(dir, 'bench.db'),
    HTTP_HOST: '127.0.0.1',
    HTTP_PORT: '0',
  }),
);
// The production wiring, with the counting action in place of the real catalog.
const app = buildApp({
  config,
  logger: createLogger({ level: 'warn' }),
  version: 'bench',
  overrides: { slackRetry: { retries: 0 }, catalog },
});
const incidents = new SqliteIncidentStore(app.db);
await app.slack.start();

/** An open incident whose runbook is `steps`, its card posted to the channel by the real service. */
const openIncident = async (id: string, steps: readonly NewIncidentStep[]): Promise<string> => {
  const at = new Date().toISOString();
  incidents.open({
    id,
    signal: 'm2m_token_failures',
    scope: id,
    severity: 'high',
    title: `Token failures ${id}`,
    at,
  });
  incidents.setSteps(id, steps, at);
  await app.incidents.service.repostMissingCards();
  const cardTs = incidents.get(id)?.slackTs;
  if (!cardTs) throw new Error(`the card of ${id} was not posted`);
  return cardTs;
};

const targets: Array<{ actionId: string; messageTs: string }> = [];
const warmTargets: Array<{ actionId: string; messageTs: string }> = [];
// Incident 0 is the warm-up's: as many clicks as are measured load and compile the click path, in
// the app, Bolt and the fake, before the measured clicks; the floor gets the same warm-up. With
// only 50, the app's clicks ran on a fake (and a Bolt) still warming up while the floor's, measured
// after them, ran on hot ones: the comparison favoured the floor.
for (let i = 0; i <= INCIDENTS; i += 1) {
  const id = `inc_bench${i}`;
  const steps = Array.from({ length: STEPS_PER_INCIDENT }, (_, j): NewIncidentStep => ({
    stepId: `s${i}_${j}`,
    kind: 'action',
    title: `Re-check s${i}_${j}`,
    body: 'Counts the failures again.',
    action: 'recheck_signal',
    params: { target: `s${i}_${j}` },
  }));
  const cardTs = await openIncident(id, steps);
  for (const step of steps)
    (i === 0 ? warmTargets : targets).push({ actionId: `step:${id}:${step.stepId}`, messageTs: cardTs });
}
const warmClicks = clicks;
const warm = { channelId: CHANNEL, users: OPERATORS, targets: warmTargets, clicks: warmClicks, concurrency };
// Every click's work is done: what was accepted (after-ack work, step runs) has drained.
const settled = async () => {
  if (!(await app.shutdownPlan.drain(60_000))) throw new Error('the clicks did not settle within 60 s');
  await app.incidents.steps.idle();
};
await slack.click(warm);
await settled();

const started = performance.now();
const clicked = await slack.click({ channelId: CHANNEL, users: OPERATORS, targets, clicks, concurrency });
const elapsed = performance.now() - started;
const { latencies, unacked } = clicked;
await settled();
// The acks are answered first; the clicks' work follows in turn. The last click's work done,
// from the first click sent, says how long that work trails the acks.
const workDoneMs = performance.now() - started;
await app.incidents.service.serialize(() => Promise.resolve());

const pct = (p: number) => percentile(latencies, p);
const keys = targets.length + warmTargets.length;
const finished = app.db.db
  .prepare<[], number>("SELECT count(*) FROM idempotency_claims WHERE scope = 'step' AND state = 'succeeded'")
  .pluck()
  .get();
const clickRows = app.db.db
  .prepare<[], number>("SELECT count(*) FROM audit_log WHERE action = 'step.click'")
  .pluck()
  .get();
const exactlyOnce =
  actions.applied.length === keys &&
  actions.runs === keys &&
  finished === keys &&
  new Set(actions.applied).size === keys;

console.log(
  `ack-latency: ${clicks} step clicks, ${concurrency} concurrent, over ${keys} steps: ` +
    `p50 ${pct(50).toFixed(1)} ms, p99 ${pct(99).toFixed(1)} ms, max ${pct(100).toFixed(1)} ms; ` +
    `${unacked} unacked; ${(clicks / (elapsed / 1000)).toFixed(0)} clicks/s; every click's work done ` +
    `${workDoneMs.toFixed(0)} ms after the first was sent (the last ack: ${elapsed.toFixed(0)} ms)`,
);
console.log(
  `exactly-once: ${actions.applied.length} executions for ${keys} steps (${actions.runs} runs, ${finished} succeeded claims, ` +
    `${clickRows} clicks audited) — ${exactlyOnce && clickRows === clicks + warmClicks ? 'OK' : 'VIOLATED'}`,
);
// The app's own view (envelope arrived → ack sent), from auth0oncall_ack_latency_seconds: it
// excludes the in-process fake Slack, which shares this event loop. Quantiles are bucket bounds.
const histogram = await app.metrics.registry.getSingleMetric('auth0oncall_ack_latency_seconds')?.get();
const buckets = (histogram?.values ?? [])
  .filter((v) => v.labels.le !== undefined && v.labels.envelope_type === 'interactive')
  .map((v) => ({ le: Number(v.labels.le), count: v.value }))
  .sort((a, b) => a.le - b.le);
const total = buckets.at(-1)?.count ?? 0;
const bound = (p: number) => buckets.find((b) => b.count >= (p / 100) * total)?.le;
const ms = (sec: number | undefined) => (sec === undefined ? 'n/a' : `≤ ${(sec * 1000).toFixed(1)} ms`);
console.log(
  `app-side ack latency (${total} interactive envelopes): p50 ${ms(bound(50))}, p99 ${ms(bound(99))}`,
);
await app.slack.stop();
app.db.close();

// The floor: a Bolt app that only acks, connected to the same fake, clicked the same way.
const floorApp = new BoltApp({
  token: slack.botToken,
  appToken: slack.appToken,
  socketMode: true,
  logLevel: LogLevel.ERROR,
  clientOptions: { slackApiUrl: slack.apiUrl },
});
floorApp.action(/.*/, async ({ ack }) => {
  await ack();
});
await floorApp.start();
await slack.click(warm);
const floor = await slack.click({ channelId: CHANNEL, users: OPERATORS, targets, clicks, concurrency });
await floorApp.stop();
await slack.stop();
rmSync(dir, { recursive: true, force: true });
const floorPct = (p: number) => percentile(floor.latencies, p);
console.log(
  `floor (a bare Bolt app that only acks): p50 ${floorPct(50).toFixed(1)} ms, p99 ${floorPct(99).toFixed(1)} ms, ` +
    `max ${floorPct(100).toFixed(1)} ms; ${floor.unacked} unacked`,
);
console.log(
  `the fake Slack's own event loop was busy ${(clicked.busy * 100).toFixed(0)}% of the app's clicks and ` +
    `${(floor.busy * 100).toFixed(0)}% of the floor's`,
);
finish({
  metrics: {
    p50Ms: pct(50),
    p99Ms: pct(99),
    maxMs: pct(100),
    floorP50Ms: floorPct(50),
    floorP99Ms: floorPct(99),
    floorMaxMs: floorPct(100),
    p99OverFloor: pct(99) / floorPct(99),
    clicksPerSecond: clicks / (elapsed / 1000),
    fakeBusy: clicked.busy,
    floorFakeBusy: floor.busy,
    workDoneMs,
  },
  checks: {
    'exactly once: one execution per step': exactlyOnce,
    'every click audited': clickRows === clicks + warmClicks,
    'every click acked': unacked === 0,
    'every floor click acked': floor.unacked === 0,
  },
  info: { clicks, concurrency, steps: keys },
});
