import { collectStatus } from '../core/status/model.js';
import { createHttpServer, type HttpServer } from '../http/server.js';
import { auditPruneJob } from '../jobs/log-jobs.js';
import { createScheduler, type Scheduler } from '../jobs/scheduler.js';
import { createSlackApp, type SlackApp } from '../slack/app.js';
import { wireAgent } from './agent.js';
import { wireBackups } from './backups.js';
import { statusProviders } from './app-status.js';
import { wireDoctor, type Doctor } from './doctor.js';
import { wireEventStreams } from './event-streams.js';
import { wireHome } from './home.js';
import { wireIncidents, type Incidents } from './incidents.js';
import { wireJwksHooks } from './jwks-hooks.js';
import { wireQuiet } from './quiet.js';
import { wireWatchdog } from './watchdog.js';
import { createPlatform, type AppOptions, type Platform } from './platform.js';
import type { ShutdownPlan } from './lifecycle.js';
import type { IncidentService } from '../core/incidents/incident-service.js';
import type { StepRunner } from '../core/steps/step-runner.js';
import type { AppMetrics } from '../metrics/app-metrics.js';
import type { StorageHealth, StoreDatabase } from '../store/index.js';
import type { AddressInfo } from 'node:net';

export type { AppOptions } from './platform.js';
import { createProviders } from './providers.js';
import { createStorageWatch } from './storage-watch.js';
import { wireRotation, wireRotationService, type Rotation } from './rotation.js';
import { wirePostmortem } from './postmortem.js';
import { wireRunbooks } from './runbooks.js';
import { wireSteps, type Steps } from './steps.js';
import { wireTenantWatching, type TenantWatching } from './tenant.js';

/** What main.ts and the in-process tests hold: the running app (src/app.ts orders its start and stop). */
export interface App {
  readonly db: StoreDatabase;
  readonly slack: SlackApp;
  readonly http: HttpServer;
  /** Where /healthz and /metrics listen when METRICS_PORT sets them apart (after start). */
  statusAddress(): AddressInfo | undefined;
  readonly scheduler: Scheduler;
  readonly watching: TenantWatching;
  readonly incidents: {
    readonly service: IncidentService;
    readonly steps: StepRunner;
    /** Runs detection now (also what every new batch of logs triggers). */
    evaluate(): Promise<void>;
  };
  readonly metrics: AppMetrics;
  /** The setup doctor: runs every check now, or gives the last report. */
  readonly doctor: Pick<Doctor, 'check' | 'latest'>;
  /** Binds HTTP, connects to Slack, settles what a crash left, then starts the jobs. Closes what it opened if it fails. */
  start(): Promise<AddressInfo>;
  /** For createShutdown: stop intake, drain, release. */
  readonly shutdownPlan: ShutdownPlan;
}

/** Everything the app is made of, built and connected, nothing started. */
export interface Wired {
  readonly platform: Platform;
  readonly watching: TenantWatching;
  readonly incidents: Incidents;
  readonly steps: Steps;
  readonly rotation: Rotation;
  readonly home: { stop(): void };
  readonly doctor: Doctor;
  readonly slack: SlackApp;
  readonly http: HttpServer;
  /** /healthz and /metrics on METRICS_PORT; undefined when they share HTTP_PORT. */
  readonly statusHttp: HttpServer | undefined;
  readonly scheduler: Scheduler;
  /** Unfinished rotations left by a crash: resumed or rolled back before anything new may start. */
  resumeRotations(): Promise<number>;
  /** The bot's own credential, when rotated, lives in Secrets Manager: AUTH0_CLIENT_SECRET may be stale. */
  adoptOwnCredential(): Promise<boolean>;
  /** Whether shutdown has begun (readiness answers 503 from then on). */
  readonly lifecycle: { stopping: boolean };
  /** Notices a database file deleted, replaced or failing writes between writes. */
  readonly storage: { start(): void; stop(): void };
}

/**
 * The one place that knows every part. Features are built in dependency order and joined by the
 * event bus (src/core/events/bus.ts), so none needs a reference to one built after it.
 */
export const wireApp = (options: AppOptions): Wired => {
  const platform = createPlatform(options);
  const { config, logger, now, version, stores, overrides } = platform;
  const watching = wireTenantWatching(platform);
  const eventStreams = wireEventStreams(platform);
  const providers = createProviders({
    config,
    health: platform.bus,
    resilienceMetrics: platform.resilienceMetrics,
    logger,
    audit: stores.audit,
    now,
    ...(overrides.awsCredentials ? { awsCredentials: overrides.awsCredentials } : {}),
  });
  const propagation = overrides.propagation ?? { attempts: 10, delayMs: 3_000 };
  const rotationService = wireRotationService(platform, {
    secrets: providers.secrets,
    watching,
    propagation,
  });
  const incidents = wireIncidents(platform, watching);
  const jwksHooks = wireJwksHooks(platform, { watching, incidents });
  const rotation = wireRotation(platform, {
    service: rotationService.service,
    incidents,
    tenant: watching.tenant,
  });
  const steps = wireSteps(platform, {
    watching,
    incidents,
    secrets: providers.secrets,
    rotation: rotation.starter,
    propagation,
    jwksHooks: jwksHooks.resender,
  });
  wireRunbooks(platform, { writers: providers.writers, catalog: steps.catalog, service: incidents.service });
  const agent = wireAgent(platform, {
    model: providers.agentModel,
    tenant: watching.tenant,
    chat: incidents.chat,
    recheck: incidents.recheck,
    addNote: incidents.threadNote,
  });
  const doctor = wireDoctor(platform, {
    watching,
    models: providers.modelProbes,
    operators: incidents.operators,
  });
  const home = wireHome(platform, {
    doctor: doctor.latest,
    tenantStatus: watching.status,
    rotationStatus: rotation.status,
    operators: incidents.operators,
    permalink: incidents.permalink,
    dependencies: [
      { name: 'Auth0', policy: watching.policy },
      ...(providers.secretsPolicy ? [{ name: 'Secrets Manager', policy: providers.secretsPolicy }] : []),
      ...providers.llmPolicies,
      { name: 'Slack', policy: platform.slackPolicy },
    ],
  });
  const quiet = wireQuiet(platform, {
    incidents,
    refreshHome: (userId) => home.opened(userId),
    // A planned rotation's window: its propagation checks plus the old key's grace, in minutes.
    rotationMinutes: Math.ceil((propagation.attempts * propagation.delayMs) / 60_000) + 10,
  });
  const scheduler = createScheduler({
    logger,
    now,
    onRun: (job, outcome) => {
      watching.metrics.jobRun(job, outcome);
    },
  });
  for (const job of [
    ...watching.jobs,
    ...eventStreams.jobs,
    ...incidents.jobs,
    ...jwksHooks.jobs,
    ...quiet.jobs,
    ...wireBackups(platform),
  ])
    scheduler.add(job);
  const auditDays = config.retention.auditDays;
  if (auditDays !== undefined) {
    scheduler.add(
      auditPruneJob({
        audit: stores.auditRetention,
        days: auditDays,
        now,
        onPruned: (removed) => {
          if (removed > 0)
            logger.info({ event: 'audit.pruned', removed, days: auditDays }, 'pruned old audit entries');
        },
      }),
    );
  }
  const lifecycle = { stopping: false };

  const slack: SlackApp = createSlackApp({
    botToken: config.slack.botToken,
    appToken: config.slack.appToken,
    apiUrl: config.slack.apiUrl,
    logger,
    metrics: platform.metrics.slack,
    inflight: platform.tasks,
    retry: overrides.slackRetry ?? { retries: 3, factor: 2, minTimeout: 500, maxTimeout: 5_000 },
    socketRetry: overrides.slackRetry ?? { retries: 10, factor: 2, minTimeout: 1_000, maxTimeout: 30_000 },
    register: [
      incidents.register,
      steps.register,
      agent.register,
      rotation.register,
      home.register,
      quiet.register,
    ],
    command: {
      command: '/auth0',
      version,
      now,
      incidents: incidents.listReply,
      audit: steps.auditReply,
      rotate: rotation.command,
      doctor: doctor.command,
      note: incidents.noteCommand,
      maintenance: quiet.command,
      postmortem: wirePostmortem(platform, { writers: providers.postmortemWriters }),
      onCommand: (subcommand) => {
        platform.metrics.countCommand(subcommand);
      },
      status: () =>
        collectStatus(
          [
            ...statusProviders({ version, startedAt: platform.startedAt, db: stores.db, slack }),
            watching.status,
            incidents.status,
          ],
          { timeoutMs: 1_000 },
        ),
    },
  });

  const readiness = () => [
    databaseReadiness(stores.db.health()),
    {
      name: 'slack_socket',
      ok: slack.isConnected(),
      detail: slack.isConnected() ? 'connected' : 'not connected',
    },
    {
      name: 'lifecycle',
      ok: !lifecycle.stopping,
      detail: lifecycle.stopping ? 'shutting down' : 'running',
    },
  ];
  const status = {
    registry: platform.metrics.registry,
    readiness,
    info: () => ({
      version,
      uptime_seconds: Math.floor((now().getTime() - platform.startedAt.getTime()) / 1000),
    }),
  };
  const watchdog = wireWatchdog(platform, { readiness, poller: watching.poller });
  for (const job of watchdog.jobs) scheduler.add(job);
  // With METRICS_PORT, /healthz and /metrics leave the server Auth0 pushes to.
  const apart = config.http.metrics !== undefined;
  const http = createHttpServer({
    logger,
    ...status,
    routes: [...watching.routes, ...eventStreams.routes],
    statusRoutes: !apart,
  });
  const statusHttp = apart
    ? createHttpServer({ logger, ...status, portVariable: 'METRICS_PORT' })
    : undefined;

  return {
    platform,
    watching,
    incidents,
    steps,
    rotation,
    home,
    doctor,
    slack,
    http,
    statusHttp,
    scheduler,
    lifecycle,
    storage: createStorageWatch({ health: () => stores.db.health(), logger }),
    resumeRotations: () => rotation.resume(),
    adoptOwnCredential: () => rotationService.adoptOwnCredential(),
  };
};

const databaseReadiness = (health: StorageHealth) =>
  health.ok
    ? { name: 'database', ok: true, detail: 'open' }
    : { name: 'database', ok: false, detail: health.problem };
