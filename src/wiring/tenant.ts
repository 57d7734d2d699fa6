import type { ManagementClient } from 'auth0';
import type { Registry } from 'prom-client';
import type { Auth0Credential, Config } from '../config.js';
import type { Logger } from '../logger.js';
import type { AuditLog } from '../core/audit/ports.js';
import type { HealthEvents } from '../core/events/health-events.js';
import { createLogIngester, type ClassifiedLogSink, type LogIngester } from '../core/logs/ingest.js';
import { createLogPoller, type LogPoller } from '../core/logs/poller.js';
import { RateLimitBudget } from '../core/tenant/rate-limit-budget.js';
import type { StatusProvider } from '../core/status/model.js';
import type { Tenant } from '../core/tenant/ports.js';
import type { WatcherEventSink } from '../core/watchers/model.js';
import { createAuth0Fetch } from '../auth0/auth0-fetch.js';
import { createManagementClient } from '../auth0/management-client.js';
import { Auth0ManagementTenant } from '../auth0/auth0-management-tenant.js';
import { Auth0TenantAdmin } from '../auth0/auth0-tenant-admin.js';
import type { TenantAdmin } from '../core/tenant/ports.js';
import { createLogStreamRoute } from '../http/log-stream.js';
import type { Route } from '../http/server.js';
import { createTenantMetrics, type TenantMetrics } from '../metrics/tenant-metrics.js';
import type { IntervalJob } from '../jobs/job.js';
import { abortableSleep } from '../jobs/sleep.js';
import { createWatcherJobs } from '../jobs/watch-tenant.js';
import {
  createDependencyPolicy,
  createResilienceMetrics,
  defaultPolicyOptions,
  type DependencyPolicy,
  type PolicySettings,
  type ResilienceMetrics,
} from '../resilience/index.js';
import {
  SqliteCheckpointStore,
  SqliteLogStore,
  SqliteWatcherReadings,
  type StoreDatabase,
} from '../store/index.js';
import { tenantStatusProvider } from '../core/tenant/status.js';

/** Recent events stay queryable for three days; per-minute counts five weeks, for baselines. */
const EVENT_RETENTION_MS = 72 * 3_600_000;
const COUNT_RETENTION_MS = 35 * 86_400_000;
/** Calls of the logs bucket left for the customer and for people, never spent by a drain. */
const LOGS_RESERVE = 2;

export interface TenantWatchingDeps {
  readonly config: Config;
  readonly store: StoreDatabase;
  readonly logger: Logger;
  readonly registry: Registry;
  readonly health: HealthEvents;
  readonly audit: AuditLog;
  readonly now: () => Date;
  /** Where classified log events and watcher events go; detection plugs in here (issue #4). */
  readonly logSinks?: readonly ClassifiedLogSink[];
  readonly watcherSink?: WatcherEventSink;
  /** Overrides of the Auth0 policy defaults (tests shorten the breaker's half-open delay). */
  readonly policySettings?: Partial<PolicySettings>;
  /** Shared by every dependency policy of the registry (prom-client refuses a second set). */
  readonly resilienceMetrics?: ResilienceMetrics;
}

export interface TenantWatching {
  readonly tenant: Tenant;
  /** Writes and credential checks for runbook actions, through the same client and policy. */
  readonly admin: TenantAdmin;
  /** For rotation's own adapter: the current Management API client and the rate-limit-aware fetch. */
  readonly client: () => ManagementClient;
  readonly auth0Fetch: typeof fetch;
  /**
   * Switches the bot to a new credential of its own (after rotating it): builds a client with it,
   * proves it works with a real call, and only then replaces the client every adapter uses.
   */
  switchCredential(credential: Auth0Credential, signal?: AbortSignal): Promise<void>;
  readonly policy: DependencyPolicy;
  readonly budget: RateLimitBudget;
  readonly poller: LogPoller;
  readonly ingester: LogIngester;
  readonly metrics: TenantMetrics;
  readonly jobs: readonly IntervalJob[];
  readonly routes: readonly Route[];
  readonly status: StatusProvider;
}

/** Builds everything that watches the tenant from config; starts nothing (the scheduler does). */
export const composeTenantWatching = (deps: TenantWatchingDeps): TenantWatching => {
  const { config, store, logger, now } = deps;
  const metrics = createTenantMetrics(deps.registry);
  const budget = new RateLimitBudget();
  const policy = createDependencyPolicy({
    ...defaultPolicyOptions.auth0,
    ...deps.policySettings,
    dependency: 'auth0',
    events: deps.health,
    metrics: deps.resilienceMetrics ?? createResilienceMetrics(deps.registry),
    logger,
    audit: deps.audit,
    now,
  });
  const auth0Fetch = createAuth0Fetch({
    domain: config.auth0.domain,
    baseUrl: config.auth0.baseUrl,
    onResponse: (reading) => {
      budget.record(reading.bucket, reading, now());
      if (reading.status === 429 && reading.reset !== undefined)
        budget.record429(reading.bucket, new Date(reading.reset * 1000), now());
      metrics.rateLimit(reading);
    },
  });
  const clientFor = (credential: Auth0Credential) =>
    createManagementClient({
      domain: config.auth0.domain,
      clientId: config.auth0.clientId,
      credential,
      fetch: auth0Fetch,
      // Above the policy's per-attempt timeout, so ours (with its abort) is the one that fires.
      timeoutSeconds: Math.ceil(defaultPolicyOptions.auth0.timeoutMs / 1000) + 5,
    });
  let current = clientFor(config.auth0.credential);
  const client = () => current;
  const tenant = new Auth0ManagementTenant({
    client,
    policy,
    baseUrl: config.auth0.baseUrl,
    fetch: auth0Fetch,
  });
  const admin = new Auth0TenantAdmin({
    client,
    policy,
    domain: config.auth0.domain,
    baseUrl: config.auth0.baseUrl,
    fetch: auth0Fetch,
  });

  const logs = new SqliteLogStore(store);
  const checkpoints = new SqliteCheckpointStore(store);
  const readings = new SqliteWatcherReadings(store);
  const ingested = { poll: 0, stream: 0 };
  const ingester = createLogIngester({
    store: logs,
    checkpoints,
    uow: store,
    botClientId: config.auth0.clientId,
    now,
    sinks: deps.logSinks ?? [],
    onMalformed: (problem, logId, source) => {
      logger.warn({ event: 'logs.malformed', source, logId, problem }, 'skipped a malformed log entry');
    },
    onIngested: (result, source) => {
      ingested[source] += result.accepted;
      metrics.ingested(result, source);
    },
    onSinkError: (err) => {
      logger.error({ event: 'logs.sink_failed', err }, 'a log sink failed');
    },
  });
  const poller = createLogPoller({
    tenant,
    ingester,
    checkpoints,
    budget: {
      waitBeforeNextCall: (bucket, at) => budget.waitBeforeNextCall(bucket, at, { reserve: LOGS_RESERVE }),
    },
    now,
    sleep: abortableSleep,
    lookbackMinutes: config.poller.lookbackMinutes,
  });

  const watcherSink: WatcherEventSink = deps.watcherSink ?? {
    accept: (events) => {
      for (const e of events)
        logger.info({ event: 'watcher.signal', signal: e }, `watcher: ${e.kind} (${e.scope})`);
    },
  };
  const jobs: IntervalJob[] = [
    {
      name: 'auth0.logs.poll',
      everyMs: config.poller.intervalSeconds * 1000,
      runAtStart: true,
      run: async ({ signal }) => {
        await poller.poll(signal);
        const newest = poller.status().newestLogDate;
        if (newest) metrics.pollLag((now().getTime() - Date.parse(newest)) / 1000);
      },
    },
    {
      name: 'logs.prune',
      everyMs: 3_600_000,
      run: () => {
        const t = now().getTime();
        const removed = logs.prune(
          new Date(t - EVENT_RETENTION_MS).toISOString(),
          new Date(t - COUNT_RETENTION_MS).toISOString(),
        );
        logger.debug({ event: 'logs.pruned', ...removed }, 'pruned old log events');
        return Promise.resolve();
      },
    },
    ...createWatcherJobs({
      tenant,
      readings,
      sink: watcherSink,
      now,
      everyMs: config.watchers.intervalSeconds * 1000,
      warnDays: config.watchers.warningDays,
      logger,
    }),
  ];

  const token = config.http.logStreamToken;
  const routes: Route[] = token
    ? [
        createLogStreamRoute({
          token,
          ingester,
          logger,
          onRequest: (outcome) => {
            metrics.logStreamRequest(outcome);
          },
        }),
      ]
    : [];

  const status = tenantStatusProvider({
    breaker: policy,
    poller,
    budget,
    readings,
    ingested: () => ({ ...ingested }),
    logStreamEnabled: token !== undefined,
  });

  const switchCredential = async (credential: Auth0Credential, signal?: AbortSignal) => {
    const next = clientFor(credential);
    // A fresh client has no cached token: this call is a real token exchange with the new credential.
    await policy.execute((abortSignal) => next.keys.signing.list({ abortSignal }), {
      idempotent: true,
      operation: 'own credential check',
      ...(signal ? { signal } : {}),
    });
    current = next;
    logger.info(
      { event: 'auth0.credential_switched', kind: credential.kind },
      'the bot now uses its new credential',
    );
  };

  return {
    switchCredential,
    tenant,
    admin,
    client,
    auth0Fetch,
    policy,
    budget,
    poller,
    ingester,
    metrics,
    jobs,
    routes,
    status,
  };
};
