import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { createMetrics } from '../../../src/metrics/app-metrics.js';
import { createBackgroundMetrics } from '../../../src/metrics/background-metrics.js';
import { createIncidentMetrics } from '../../../src/metrics/incident-metrics.js';
import { createOutboxMetrics } from '../../../src/metrics/outbox-metrics.js';
import { createResilienceMetrics } from '../../../src/metrics/resilience-metrics.js';
import { createRotationMetrics } from '../../../src/metrics/rotation-metrics.js';
import { createRunbookMetrics } from '../../../src/metrics/runbook-metrics.js';
import { createStepMetrics } from '../../../src/metrics/step-metrics.js';
import { createTenantMetrics } from '../../../src/metrics/tenant-metrics.js';
import { createWatchdogMetrics } from '../../../src/metrics/watchdog-metrics.js';

/**
 * docs/prometheus/alerts.yml is valid (`promtool check rules`), its unit tests pass
 * (`promtool test rules alerts.test.yml`), and it and docs/grafana/dashboard.json name only
 * metrics the app exports. promtool comes from Debian's `prometheus` package (.ci/run installs it).
 */
const DIR = fileURLToPath(new URL('../../../docs/prometheus/', import.meta.url));
const read = (path: string) =>
  readFileSync(fileURLToPath(new URL(`../../../${path}`, import.meta.url)), 'utf8');

const promtool = process.env.PROMTOOL ?? 'promtool';
const available = spawnSync(promtool, ['--version'], { encoding: 'utf8' }).status === 0;
if (!available)
  console.warn(
    `prometheus-rules: skipped — ${promtool} is not installed (apt-get install prometheus, or set PROMTOOL)`,
  );

const run = (...args: string[]) => {
  const r = spawnSync(promtool, args, { cwd: DIR, encoding: 'utf8', timeout: 60_000 });
  return { status: r.status, output: `${r.stdout}${r.stderr}` };
};

/** Every metric name the app registers, with a histogram's series suffixes. */
const exported = async (): Promise<Set<string>> => {
  const metrics = createMetrics({ version: 'test' });
  const { registry } = metrics;
  createBackgroundMetrics(registry);
  createIncidentMetrics(registry);
  createOutboxMetrics(registry, () => ({ slack: 0, jwks_hooks: 0 }));
  createResilienceMetrics(registry);
  createRotationMetrics(registry);
  createRunbookMetrics(registry);
  createStepMetrics(registry);
  createTenantMetrics(registry);
  createWatchdogMetrics(registry, { healthy: () => true, lastPollSuccess: () => undefined });
  const names = new Set<string>();
  for (const m of await registry.getMetricsAsJSON()) {
    names.add(m.name);
    if (String(m.type) === 'histogram')
      for (const s of ['_bucket', '_sum', '_count']) names.add(`${m.name}${s}`);
  }
  return names;
};

const namesIn = (text: string) => new Set(text.match(/auth0oncall_[a-z0-9_]+/g) ?? []);

describe('the Prometheus alert rules and the Grafana dashboard', () => {
  it.skipIf(!available)('pass `promtool check rules`', () => {
    const r = run('check', 'rules', 'alerts.yml');
    expect(r.output).toContain('SUCCESS');
    expect(r.status).toBe(0);
  });

  it.skipIf(!available)('pass their unit tests, `promtool test rules alerts.test.yml`', () => {
    const r = run('test', 'rules', 'alerts.test.yml');
    expect(r.output).toContain('SUCCESS');
    expect(r.status).toBe(0);
  });

  it('alert on every condition the README lists', () => {
    const rules = read('docs/prometheus/alerts.yml');
    for (const alert of [
      'Auth0OncallDown',
      'Auth0OncallBreakerOpen',
      'Auth0OncallLogPollingStale',
      'Auth0OncallRotationFailed',
      'Auth0OncallOutboxBacklog',
      'Auth0OncallSlowAcks',
    ])
      expect(rules).toContain(`alert: ${alert}`);
  });

  it('name only metrics the app exports', async () => {
    const names = await exported();
    const used = [
      ...namesIn(read('docs/prometheus/alerts.yml')),
      ...namesIn(read('docs/grafana/dashboard.json')),
    ];
    expect(used.length).toBeGreaterThan(10);
    expect(used.filter((n) => !names.has(n))).toEqual([]);
  });

  it('is a dashboard Grafana can import: panels with Prometheus queries on the chosen data source', () => {
    const dashboard = JSON.parse(read('docs/grafana/dashboard.json')) as {
      uid: string;
      panels: Array<{ title: string; targets: Array<{ expr: string; datasource: { uid: string } }> }>;
    };
    expect(dashboard.uid).toBe('auth0-oncall');
    expect(dashboard.panels.length).toBeGreaterThan(10);
    for (const p of dashboard.panels) {
      expect(p.targets.length, p.title).toBeGreaterThan(0);
      for (const t of p.targets) expect(t.datasource.uid).toBe('${datasource}');
    }
  });
});
