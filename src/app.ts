import { webApi } from '@slack/bolt';
import type { AddressInfo } from 'node:net';
import type { Config } from './config.js';
import type { Logger } from './logger.js';
import type { ShutdownPlan } from './wiring/lifecycle.js';
import { statusProviders } from './wiring/app-status.js';
import { composeIncidents, type Incidents } from './wiring/incidents.js';
import { composeTenantWatching, type TenantWatching } from './wiring/tenant.js';
import type { DetectionThresholds } from './core/detection/index.js';
import { createHealthEvents } from './core/events/health-events.js';
import { createInflightTracker } from './core/background/inflight.js';
import { collectStatus } from './core/status/model.js';
import { createMetrics, type AppMetrics } from './metrics/app-metrics.js';
import { createHttpServer, type HttpServer } from './http/server.js';
import { createScheduler, type Scheduler } from './jobs/scheduler.js';
import {
  createDependencyPolicy,
  createResilienceMetrics,
  defaultPolicyOptions,
  type PolicySettings,
} from './resilience/index.js';
import { createSlackApp, type SlackApp } from './slack/app.js';
import { createBoltLogger } from './slack/bolt-logger.js';
import {
  SqliteAuditLog,
  SqliteLogStore,
  openDatabase,
  SqliteRotationControl,
  type StoreDatabase,
} from './store/index.js';
import type { ClassifiedLogSink } from './core/logs/ingest.js';
import type { WatcherEventSink } from './core/watchers/model.js';
import { createRunbookChain } from './core/runbooks/chain.js';
import { abortableSleep } from './jobs/sleep.js';
import type { ActionCatalog } from './core/actions/action.js';
import { createRunbookMetrics } from './metrics/runbook-metrics.js';
import { composeRotationSurface, createRotation } from './wiring/rotation.js';
import { createProviders } from './wiring/providers.js';
import { composeHome } from './wiring/home.js';

export interface AppOptions {
  readonly config: Config;
  readonly logger: Logger;
  readonly version: string;
  /** Injectable for tests that move time (quiet periods, reminders). */
  readonly now?: () => Date;
  /** Test seams: shorter breaker delays, smaller thresholds. */
  readonly auth0Policy?: Partial<PolicySettings>;
  readonly thresholds?: Partial<DetectionThresholds>;
  readonly slackRetry?: { retries: number };
  /** Static AWS credentials (tests); otherwise the SDK's standard credential chain. */
  readonly awsCredentials?: { readonly accessKeyId: string; readonly secretAccessKey: string };
  /** How long Auth0 may keep the old secret after a change (rollback verification). */
  readonly propagation?: { attempts: number; delayMs: number };
  /** Test seam: replaces the action catalog (e.g. with actions that count their runs). */
  readonly catalog?: ActionCatalog;
}

export interface App {
  readonly db: StoreDatabase;
  readonly slack: SlackApp;
  readonly http: HttpServer;
  readonly scheduler: Scheduler;
  readonly watching: TenantWatching;
  readonly incidents: Incidents;
  readonly metrics: AppMetrics;
  /** Binds HTTP, connects to Slack, then starts the jobs. Closes what it opened if it fails. */
  start(): Promise<AddressInfo>;
  /** For createShutdown: stop intake, drain, release. */
  readonly shutdownPlan: ShutdownPlan;
}

/**
 * Builds the whole product from config: the one wiring that production (main.ts) and the
 * in-process integration tests share. Nothing runs until start().
 */
export const buildApp = (options: AppOptions): App => {
  const { config, logger, version } = options;
  const now = options.now ?? (() => new Date());
  const startedAt = now();
  const db = openDatabase({ path: config.database.path });
  const inflight = createInflightTracker();
  const metrics = createMetrics({ version });
  const health = createHealthEvents({
    onListenerError: (err) => {
      logger.error({ event: 'health.listener_failed', err }, 'a health-event listener failed');
    },
  });
  const audit = new SqliteAuditLog(db);
  const resilienceMetrics = createResilienceMetrics(metrics.registry);
  // Cards and thread lines go through their own client with the SDK's retries off: the Slack
  // policy decides what may be retried (chat.postMessage never is; a retry would post twice).
  const slackClient = new webApi.WebClient(config.slack.botToken, {
    slackApiUrl: config.slack.apiUrl,
    retryConfig: { retries: 0 },
    rejectRateLimitedCalls: true,
    timeout: 10_000,
    logger: createBoltLogger(logger),
  });
  const slackPolicy = createDependencyPolicy({
    ...defaultPolicyOptions.slack,
    dependency: 'slack',
    events: health,
    metrics: resilienceMetrics,
    logger,
    audit,
    now,
  });
  let workspaceUrl: string | undefined;
  // Tenant watching first; its sinks forward to incidents, which are built from it below.
  const logSinks: ClassifiedLogSink[] = [];
  let watcherSink: WatcherEventSink = { accept: () => undefined };
  const watching = composeTenantWatching({
    config,
    store: db,
    logger,
    registry: metrics.registry,
    health,
    audit,
    now,
    resilienceMetrics,
    logSinks,
    watcherSink: {
      accept: (events) => {
        watcherSink.accept(events);
      },
    },
    ...(options.auth0Policy ? { policySettings: options.auth0Policy } : {}),
  });
  const { secrets, secretsPolicy, writers, agentModel, llmPolicies } = createProviders({
    config,
    health,
    resilienceMetrics,
    logger,
    audit,
    now,
    ...(options.awsCredentials ? { awsCredentials: options.awsCredentials } : {}),
  });
  const rotationControl = new SqliteRotationControl(db);
  const propagation = options.propagation ?? { attempts: 10, delayMs: 3_000 };
  const rotation = createRotation({
    store: db,
    secrets,
    watching,
    config,
    control: rotationControl,
    audit,
    now,
    logger,
    propagation,
  });
  const runbookMetrics = createRunbookMetrics(metrics.registry);
  // Set once the Home publisher exists (it needs rotationSurface, built after incidents).
  let homeChanged: () => void = () => undefined;
  const incidents = composeIncidents({
    config,
    store: db,
    logs: new SqliteLogStore(db),
    logger,
    registry: metrics.registry,
    health,
    audit,
    now,
    slackClient,
    slackPolicy,
    workspaceUrl: () => workspaceUrl,
    logsFresh: () => {
      const s = watching.poller.status();
      const maxAgeMs = Math.max(3 * config.poller.intervalSeconds * 1000, 120_000);
      return (
        s.lastError === undefined &&
        s.lastSuccessAt !== undefined &&
        now().getTime() - s.lastSuccessAt.getTime() <= maxAgeMs
      );
    },
    inflight,
    actions: {
      targets: config.rotation.targets,
      secrets,
      admin: watching.admin,
      keys: watching.tenant,
      rotation: rotation.starter,
      rotationControl,
      propagation,
      sleep: abortableSleep,
    },
    runbooks: (catalog) =>
      createRunbookChain({
        writers,
        catalog,
        timeoutMs: 45_000,
        now,
        onDropped: (reason, writer) => {
          logger.warn({ event: 'runbook.action_dropped', writer, reason }, 'dropped a proposed action');
        },
        onFallback: (writer, reason) => {
          logger.warn(
            { event: 'runbook.fallback', writer, reason },
            `runbook writer ${writer} failed; trying the next`,
          );
        },
      }),
    ...(options.thresholds ? { thresholds: options.thresholds } : {}),
    ...(options.catalog ? { catalogOverride: options.catalog } : {}),
    onRunbook: (provider) => {
      runbookMetrics.written(provider);
    },
    onChange: () => {
      homeChanged();
    },
    agent: {
      model: agentModel,
      tenant: watching.tenant,
    },
  });
  logSinks.push(incidents.logSink);
  watcherSink = incidents.watcherSink;
  const rotationSurface = composeRotationSurface({
    config,
    store: db,
    logger,
    now,
    service: rotation.service,
    incidents,
    control: rotationControl,
    slackClient,
    audit,
    registry: metrics.registry,
  });
  const home = composeHome({
    store: db,
    watching,
    rotationStatus: rotationSurface.status,
    incidents,
    dependencies: [
      { name: 'Auth0', policy: watching.policy },
      ...(secretsPolicy ? [{ name: 'Secrets Manager', policy: secretsPolicy }] : []),
      ...llmPolicies,
      { name: 'Slack', policy: slackPolicy },
    ],
    audit,
    slackClient,
    workspaceUrl: () => workspaceUrl,
    now,
    logger,
  });
  homeChanged = () => {
    home.changed();
  };
  const scheduler = createScheduler({
    logger,
    now,
    onRun: (job, outcome) => {
      watching.metrics.jobRun(job, outcome);
    },
  });
  for (const job of [...watching.jobs, ...incidents.jobs]) scheduler.add(job);
  let stopping = false;

  const slack: SlackApp = createSlackApp({
    botToken: config.slack.botToken,
    appToken: config.slack.appToken,
    apiUrl: config.slack.apiUrl,
    logger,
    metrics: metrics.slack,
    inflight,
    retry: options.slackRetry ?? { retries: 3, factor: 2, minTimeout: 500, maxTimeout: 5_000 },
    socketRetry: options.slackRetry ?? { retries: 10, factor: 2, minTimeout: 1_000, maxTimeout: 30_000 },
    register: [incidents.register, rotationSurface.register, home.register],
    command: {
      command: '/auth0',
      version,
      now,
      incidents: incidents.listReply,
      audit: incidents.auditReply,
      rotate: rotationSurface.command,
      onCommand: (subcommand) => {
        metrics.countCommand(subcommand);
      },
      status: () =>
        collectStatus(
          [...statusProviders({ version, startedAt, db, slack }), watching.status, incidents.status],
          {
            timeoutMs: 1_000,
          },
        ),
    },
  });

  const http = createHttpServer({
    logger,
    registry: metrics.registry,
    readiness: () => [
      { name: 'database', ok: db.isOpen(), detail: db.isOpen() ? 'open' : 'closed' },
      {
        name: 'slack_socket',
        ok: slack.isConnected(),
        detail: slack.isConnected() ? 'connected' : 'not connected',
      },
      { name: 'lifecycle', ok: !stopping, detail: stopping ? 'shutting down' : 'running' },
    ],
    info: () => ({ version, uptime_seconds: Math.floor((now().getTime() - startedAt.getTime()) / 1000) }),
    routes: watching.routes,
  });

  const shutdownPlan: ShutdownPlan = {
    stopIntake: [
      {
        name: 'mark-stopping',
        run: () => {
          stopping = true;
        },
      },
      { name: 'slack', run: () => slack.stop() },
      { name: 'scheduler', run: () => scheduler.stop() },
      { name: 'rotation-schedule', run: () => rotationSurface.stop() },
      {
        name: 'home',
        run: () => {
          home.stop();
        },
      },
    ],
    drain: (ms) => inflight.drain(ms),
    release: [
      { name: 'http', run: () => http.close() },
      {
        name: 'database',
        run: () => {
          db.close();
        },
      },
    ],
  };

  return {
    db,
    slack,
    http,
    scheduler,
    watching,
    incidents,
    metrics,
    shutdownPlan,
    async start() {
      try {
        const address = await http.listen(config.http.port, config.http.host);
        logger.info({ event: 'http.listening', port: address.port, host: address.address }, 'HTTP listening');
        await slack.start();
        // Steps a crash left running are settled before new clicks can arrive at the scheduler.
        await incidents.steps.recoverRunning();
        // Unfinished rotations end consistent before anything new may start.
        await rotation.service?.resumeUnfinished();
        // The bot's own credential, when rotated, lives in Secrets Manager: AUTH0_CLIENT_SECRET may be stale.
        await rotation.adoptOwnCredential().catch((err: unknown) => {
          logger.warn(
            { event: 'rotation.own_credential_unavailable', err },
            'could not read the bot credential from Secrets Manager; using the configured one',
          );
        });
        workspaceUrl = await slackClient.auth
          .test()
          .then((r) => r.url)
          .catch(() => undefined);
        scheduler.start();
        rotationSurface.start();
        return address;
      } catch (err) {
        // Close what was opened before reporting, so a failed start leaves no lock or socket behind.
        await scheduler.stop();
        await rotationSurface.stop();
        await http.close();
        db.close();
        throw err;
      }
    },
  };
};
