import { Registry } from 'prom-client';
import { BREAKER_EVENTS, type HealthEvent } from '../../../src/core/events/health-events.js';
import { createEventBus } from '../../../src/core/events/bus.js';
import { createLogger } from '../../../src/logger.js';
import { createResilienceMetrics } from '../../../src/metrics/resilience-metrics.js';
import { createDependencyPolicy, type DependencyPolicyOptions } from '../../../src/resilience/index.js';
import { SqliteAuditLog, openDatabase } from '../../../src/store/index.js';

export const T0 = new Date('2025-01-01T00:00:00.000Z');

/** Small numbers so fake-timer arithmetic stays readable. */
export const testSettings = {
  timeoutMs: 1_000,
  retry: { maxAttempts: 3, initialDelayMs: 100, maxDelayMs: 10_000 },
  breaker: { consecutiveFailures: 3, halfOpenAfterMs: 5_000, maxHalfOpenAfterMs: 40_000 },
} as const;

interface LogLine {
  readonly level: string;
  readonly msg: string;
  readonly [key: string]: unknown;
}

/** A policy wired to real sinks: health events, a prom-client registry, real SQLite, pino. */
export const createHarness = (overrides: Partial<DependencyPolicyOptions> = {}) => {
  const events = createEventBus();
  const published: HealthEvent[] = [];
  events.subscribe(BREAKER_EVENTS, (event) => {
    published.push(event);
  });
  const registry = new Registry();
  const metrics = createResilienceMetrics(registry);
  const store = openDatabase({ path: ':memory:' });
  const audit = new SqliteAuditLog(store);
  const logs: LogLine[] = [];
  const logger = createLogger(
    { level: 'debug' },
    {
      write: (line: string) => {
        logs.push(JSON.parse(line) as LogLine);
      },
    },
  );
  const policy = createDependencyPolicy({
    dependency: 'auth0',
    ...testSettings,
    events,
    metrics,
    audit,
    logger,
    random: () => 1,
    ...overrides,
  });

  const metricValue = async (name: string, labels: Record<string, string>): Promise<number | undefined> => {
    const metric = registry.getSingleMetric(name);
    if (!metric) return undefined;
    const { values } = await metric.get();
    return values.find((v) => Object.entries(labels).every(([k, want]) => v.labels[k] === want))?.value;
  };

  return {
    policy,
    events,
    published,
    registry,
    store,
    audit,
    logs,
    gauge: () => metricValue('auth0oncall_breaker_state', { dependency: 'auth0' }),
    retries: () => metricValue('auth0oncall_retries_total', { dependency: 'auth0' }),
    calls: (outcome: string) =>
      metricValue('auth0oncall_dependency_calls_total', { dependency: 'auth0', outcome }),
    transitions: () => logs.filter((line) => line.msg.includes('circuit')),
  };
};

export type Harness = ReturnType<typeof createHarness>;

/** A promise plus its resolvers, for calls that must stay in flight while the test looks. */
export const deferred = <T>() => {
  let resolve: (value: T) => void = () => undefined;
  let reject: (error: unknown) => void = () => undefined;
  const promise = new Promise<T>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
};
