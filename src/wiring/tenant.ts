import type { ManagementClient } from 'auth0';
import type { Auth0Credential } from '../config.js';
import { createUnknownCodeTally } from '../core/logs/catalogue-unknown.js';
import { createLogIngester, type LogIngester } from '../core/logs/ingest.js';
import { createLogPoller, type LogPoller } from '../core/logs/poller.js';
import type { StatusProvider } from '../core/status/model.js';
import type { Tenant, TenantAdmin } from '../core/tenant/ports.js';
import { RateLimitBudget } from '../core/tenant/rate-limit-budget.js';
import { tenantStatusProvider } from '../core/tenant/status.js';
import type { WatcherEventSink } from '../core/watchers/model.js';
import { createAuth0Fetch } from '../auth0/auth0-fetch.js';
import { Auth0ManagementTenant } from '../auth0/auth0-management-tenant.js';
import { Auth0TenantAdmin } from '../auth0/auth0-tenant-admin.js';
import { createManagementClient, preloadManagementSdk } from '../auth0/management-client.js';
import { createSwitchableClient } from '../auth0/switchable-client.js';
import { createLogStreamRoute } from '../http/log-stream.js';
import type { Route } from '../http/server.js';
import type { IntervalJob } from '../jobs/job.js';
import { logPollJob, logPruneJob } from '../jobs/log-jobs.js';
import { abortableSleep } from '../jobs/sleep.js';
import { createWatcherJobs } from '../jobs/watch-tenant.js';
import { createTenantMetrics, type TenantMetrics } from '../metrics/tenant-metrics.js';
import { defaultPolicyOptions, type DependencyPolicy } from '../resilience/index.js';
import type { Platform } from './platform.js';

/** Calls of the logs bucket left for the customer and for people, never spent by a drain. */
const LOGS_RESERVE = 2;

export interface TenantWatching {
  readonly tenant: Tenant;
  /** Writes and credential checks for runbook actions, through the same client and policy. */
  readonly admin: TenantAdmin;
  /** For rotation's own adapter: the current Management API client and the rate-limit-aware fetch. */
  readonly client: () => Promise<ManagementClient>;
  readonly auth0Fetch: typeof fetch;
  /**
   * Loads the Auth0 SDK (src/auth0/management-client.ts): start-up awaits it once Slack is connected,
   * so the first poll and watcher readings do not wait for it. Never rejects: a failed load is
   * logged, and each call then fails (and retries the load) inside its own policy.
   */
  preloadSdk(): Promise<void>;
  /**
   * Switches the bot to a new credential of its own (after rotating it): builds a client with it,
   * proves it works with a real call, and only then replaces the client every adapter uses.
   */
  switchCredential(credential: Auth0Credential, signal?: AbortSignal): Promise<void>;
  /** The credential the bot uses now (the configured one, or the one it switched to). */
  readonly credential: () => Auth0Credential;
  /** When the Log Stream receiver last accepted a push; undefined for none since start. */
  readonly lastStreamPush: () => Date | undefined;
  readonly policy: DependencyPolicy;
  readonly budget: RateLimitBudget;
  readonly poller: LogPoller;
  readonly ingester: LogIngester;
  readonly metrics: TenantMetrics;
  readonly jobs: readonly IntervalJob[];
  readonly routes: readonly Route[];
  readonly status: StatusProvider;
}

/**
 * Builds everything that watches the tenant; starts nothing (the scheduler does). What it finds
 * goes onto the event bus: `logs_ingested` after every stored batch, `watcher_signals` from the
 * signing-key, certificate and credential watchers.
 */
export const wireTenantWatching = (platform: Platform): TenantWatching => {
  const { config, logger, now, bus } = platform;
  const { logs, checkpoints, watcherReadings: readings } = platform.stores;
  const metrics = createTenantMetrics(platform.metrics.registry);
  const budget = new RateLimitBudget();
  const policy = platform.policyFor('auth0', platform.overrides.auth0Policy);
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
  const own = createSwitchableClient({
    build: (credential) =>
      createManagementClient({
        domain: config.auth0.domain,
        clientId: config.auth0.clientId,
        credential,
        fetch: auth0Fetch,
        // Above the policy's per-attempt timeout, so ours (with its abort) is the one that fires.
        timeoutSeconds: Math.ceil(defaultPolicyOptions.auth0.timeoutMs / 1000) + 5,
      }),
    initial: config.auth0.credential,
    policy,
    onSwitched: (credential) => {
      logger.info(
        { event: 'auth0.credential_switched', kind: credential.kind },
        'the bot now uses its new credential',
      );
    },
  });
  const client = own.client;
  let lastStreamPush: Date | undefined;
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

  const ingested = { poll: 0, stream: 0 };
  const unknownCodes = createUnknownCodeTally();
  const ingester = createLogIngester({
    store: logs,
    checkpoints,
    uow: platform.stores.db,
    botClientId: config.auth0.clientId,
    now,
    sinks: [
      {
        accept: (batch, source) => {
          bus.publish({ type: 'logs_ingested', accepted: batch.length, source });
        },
      },
    ],
    onMalformed: (summary, source) => {
      logger.warn(
        { event: 'logs.malformed', source, ...summary },
        `skipped ${summary.count} malformed log entries`,
      );
    },
    onIngested: (result, source) => {
      ingested[source] += result.accepted;
      metrics.ingested(result, source);
    },
    onUnknownTypes: (counts, source) => {
      const first = unknownCodes.add(counts);
      metrics.unknownLogTypes(counts);
      // Once per code since start: the counter and /auth0 status carry the rest.
      if (first.length > 0)
        logger.info(
          { event: 'logs.unknown_types', source, types: first },
          `log codes the catalogue does not know: ${first.join(', ')} (docs/log-codes.md)`,
        );
    },
    onFieldsDropped: (counts, source) => {
      metrics.logFieldsDropped(counts);
      logger.debug(
        { event: 'logs.fields_dropped', source, fields: Object.fromEntries(counts) },
        'dropped log fields of the wrong type, kept the events',
      );
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

  const watcherSink: WatcherEventSink = {
    accept: (events) => {
      for (const e of events)
        logger.info({ event: 'watcher.signal', signal: e }, `watcher: ${e.kind} (${e.scope})`);
      bus.publish({ type: 'watcher_signals', events });
    },
  };
  const jobs: IntervalJob[] = [
    logPollJob({
      poller,
      everyMs: config.poller.intervalSeconds * 1000,
      now,
      onLag: (seconds) => {
        metrics.pollLag(seconds);
      },
    }),
    logPruneJob({
      logs,
      retention: config.retention,
      now,
      onPruned: (removed) => {
        logger.debug({ event: 'logs.pruned', ...removed }, 'pruned old log events');
      },
    }),
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
            if (outcome === 'accepted') lastStreamPush = now();
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
    unknownLogCodes: unknownCodes.snapshot,
  });

  return {
    switchCredential: own.switchTo,
    credential: own.credential,
    lastStreamPush: () => lastStreamPush,
    tenant,
    admin,
    client,
    auth0Fetch,
    preloadSdk: () =>
      preloadManagementSdk().catch((err: unknown) => {
        logger.warn(
          { event: 'auth0.sdk_load_failed', err },
          'could not load the Auth0 SDK; calls will retry it',
        );
      }),
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
