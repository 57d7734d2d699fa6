/**
 * Step-click ack latency: N Run step clicks (default 500), C at a time (default 50), sent through
 * the fake Slack's Socket Mode connection to the real app wiring (buildApp + the step runner and
 * its listeners, real SQLite on disk). Each of 50 steps is clicked N/50 times by two operators, so
 * most clicks are duplicates racing the first. Prints p50/p99/max ack latency as the fake measured
 * it (envelope sent → ack received) and checks exactly-once: one execution per step, no more.
 *
 *   npx tsx bench/ack-latency.ts [clicks=500] [concurrency=50]
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FakeSlack } from '../tests/fakes/slack/index.js';
import {
  actionStep,
  bootStepApp,
  openIncident,
  OPERATORS,
  rawClick,
} from '../tests/integration/steps-world.js';
import { CountingActions } from '../tests/unit/core/steps/counting-catalog.js';

const clicks = Number(process.argv[2] ?? 500);
const concurrency = Number(process.argv[3] ?? 50);
const INCIDENTS = 10;
const STEPS_PER_INCIDENT = 5;

const dir = mkdtempSync(join(tmpdir(), 'auth0-oncall-ack-'));
const slack = await FakeSlack.start();
const actions = new CountingActions();
const s = await bootStepApp(slack, join(dir, 'bench.db'), actions);

const targets: Array<{ actionId: string; messageTs: string }> = [];
for (let i = 0; i < INCIDENTS; i += 1) {
  const steps = Array.from({ length: STEPS_PER_INCIDENT }, (_, j) => actionStep(`s${i}_${j}`));
  const { id, cardTs } = await openIncident(s, `inc_bench${i}`, steps);
  for (const step of steps) targets.push({ actionId: `step:${id}:${step.stepId}`, messageTs: cardTs });
}

const latencies: number[] = [];
let unacked = 0;
let next = 0;
const started = performance.now();
const worker = async () => {
  while (next < clicks) {
    const n = next;
    next += 1;
    const target = targets[n % targets.length]!;
    const ack = await rawClick(slack, OPERATORS[n % OPERATORS.length]!, target);
    if (ack.acked) latencies.push(ack.latencyMs);
    else unacked += 1;
  }
};
await Promise.all(Array.from({ length: concurrency }, worker));
const elapsed = performance.now() - started;
await s.runner.idle();
await s.app.incidents.service.serialize(() => Promise.resolve());

const sorted = [...latencies].sort((a, b) => a - b);
const pct = (p: number) =>
  sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] ?? NaN;
const keys = targets.length;
const finished = s.app.db.db
  .prepare<[], number>("SELECT count(*) FROM idempotency_claims WHERE scope = 'step' AND state = 'succeeded'")
  .pluck()
  .get();
const clickRows = s.app.db.db
  .prepare<[], number>("SELECT count(*) FROM audit_log WHERE action = 'step.click'")
  .pluck()
  .get();
const exactlyOnce =
  actions.executions === keys &&
  actions.runs === keys &&
  finished === keys &&
  new Set(actions.applied).size === keys;

console.log(
  `ack-latency: ${clicks} step clicks, ${concurrency} concurrent, over ${keys} steps: ` +
    `p50 ${pct(50).toFixed(1)} ms, p99 ${pct(99).toFixed(1)} ms, max ${(sorted.at(-1) ?? NaN).toFixed(1)} ms; ` +
    `${unacked} unacked; ${(clicks / (elapsed / 1000)).toFixed(0)} clicks/s`,
);
console.log(
  `exactly-once: ${actions.executions} executions for ${keys} steps (${actions.runs} runs, ${finished} succeeded claims, ` +
    `${clickRows} clicks audited) — ${exactlyOnce && clickRows === clicks ? 'OK' : 'VIOLATED'}`,
);
// The app's own view (envelope arrived → ack sent), from auth0oncall_ack_latency_seconds: it
// excludes the in-process fake Slack, which shares this event loop. Quantiles are bucket bounds.
const histogram = await s.app.metrics.registry.getSingleMetric('auth0oncall_ack_latency_seconds')?.get();
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
await s.stop();
await slack.stop();
rmSync(dir, { recursive: true, force: true });
process.exit(exactlyOnce && clickRows === clicks && unacked === 0 ? 0 : 1);
