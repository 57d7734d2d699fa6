import { randomBytes } from 'node:crypto';
import type { App, webApi } from '@slack/bolt';
import type { Registry } from 'prom-client';
import type { Config } from '../config.js';
import type { Logger } from '../logger.js';
import type { AuditLog } from '../core/audit/ports.js';
import type { Decision } from '../core/detection/model.js';
import { createDetector, type DetectionThresholds } from '../core/detection/index.js';
import type { HealthEvents } from '../core/events/health-events.js';
import type { Incident } from '../core/incidents/model.js';
import { createIncidentActions } from '../core/incidents/incident-actions.js';
import { createIncidentService, type IncidentService } from '../core/incidents/incident-service.js';
import { incidentStats } from '../core/incidents/incident-stats.js';
import { createReminders } from '../core/incidents/reminders.js';
import type { ClassifiedLogSink } from '../core/logs/ingest.js';
import type { LogStore } from '../core/logs/ports.js';
import type { StatusProvider } from '../core/status/model.js';
import type { WatcherEventSink } from '../core/watchers/model.js';
import { createIncidentMetrics } from '../metrics/incident-metrics.js';
import { incidentStatusProvider } from '../core/incidents/status.js';
import type { IntervalJob } from '../jobs/job.js';
import type { IncidentChat, OperatorDirectory } from '../core/incidents/ports.js';
import type { DependencyPolicy } from '../resilience/index.js';
import type { CommandReply } from '../slack/blocks/help-blocks.js';
import { incidentList } from '../slack/blocks/incident-list.js';
import { createChatGateway } from '../slack/chat-gateway.js';
import { registerIncidentListeners } from '../slack/incident-listeners.js';
import { slackIncidentRenderer } from '../slack/incident-renderer.js';
import { createOperatorDirectory } from '../slack/operator-directory.js';
import { SqliteIdempotencyClaims, SqliteIncidentStore, type StoreDatabase } from '../store/index.js';
import { createActionCatalog, type CatalogDeps } from '../core/actions/catalog.js';
import type { ActionCatalog } from '../core/actions/action.js';
import type { InflightTracker } from '../core/background/inflight.js';
import { createRunbookAttacher, type RunbookSource } from '../core/incidents/runbook-attacher.js';
import { createAuditReader } from '../core/audit/reader.js';
import { createStepRunner, type StepRunner } from '../core/steps/step-runner.js';
import { createStepMetrics } from '../metrics/step-metrics.js';
import { auditReply } from '../slack/blocks/audit-blocks.js';
import { slackStepRenderer } from '../slack/blocks/step-blocks.js';
import { registerStepListeners } from '../slack/step-listeners.js';
import type { AgentModel } from '../core/agent/ports.js';
import { createIncidentThreadAnswerer } from '../core/agent/incident-thread.js';
import { createThreadAgent } from '../core/agent/thread-agent.js';
import type { Tenant } from '../core/tenant/ports.js';
import { builtinRunbook } from '../llm/builtin/builtin-runbook-writer.js';
import { registerThreadListeners } from '../slack/thread-listeners.js';
import { SqliteThreadStore } from '../store/sqlite-thread-store.js';

export interface IncidentsDeps {
  readonly config: Config;
  readonly store: StoreDatabase;
  readonly logs: Pick<LogStore, 'counts' | 'recent'>;
  readonly logger: Logger;
  readonly registry: Registry;
  readonly health: HealthEvents;
  readonly audit: AuditLog;
  readonly now: () => Date;
  /** A WebClient with its own retries off; the Slack policy decides what is retried. */
  readonly slackClient: webApi.WebClient;
  readonly slackPolicy: DependencyPolicy;
  /** `https://<workspace>.slack.com/` from auth.test, for links to cards; read at call time. */
  readonly workspaceUrl: () => string | undefined;
  readonly thresholds?: Partial<DetectionThresholds>;
  readonly reminders?: { everyMinutes: number; escalateAfterMinutes: number };
  readonly evaluateEveryMs?: number;
  /**
   * Whether the log poller is current. Silence in the counts means "quiet" only while logs are
   * arriving: when ingestion stalls, log-derived incidents are not auto-resolved.
   */
  readonly logsFresh: () => boolean;
  /** What runbook actions act on (the rechecker is this module's own). */
  readonly actions: Omit<CatalogDeps, 'rechecker'>;
  /** Writes runbooks from the catalog (core/runbook-chain.ts over the configured writers). */
  readonly runbooks: (catalog: ActionCatalog) => RunbookSource;
  /** Background step runs count as in-flight work for shutdown. */
  readonly inflight?: InflightTracker;
  /** Test seam: a catalog of counting actions instead of the real one. */
  readonly catalogOverride?: ActionCatalog;
  readonly onRunbook?: (provider: string) => void;
  /** Any incident changed (opened, acked, escalated, resolved, card posted): the App Home republishes. */
  readonly onChange?: () => void;
  /** The thread agent: its model (undefined = answers without an LLM) and its read-only tenant tools. */
  readonly agent: {
    readonly model: AgentModel | undefined;
    readonly tenant: Pick<Tenant, 'searchLogs' | 'listSigningKeys'>;
  };
}

export interface Incidents {
  readonly service: IncidentService;
  readonly logSink: ClassifiedLogSink;
  readonly watcherSink: WatcherEventSink;
  readonly jobs: readonly IntervalJob[];
  readonly register: (app: App) => void;
  readonly listReply: () => CommandReply;
  readonly status: StatusProvider;
  readonly steps: StepRunner;
  readonly catalog: ActionCatalog;
  readonly chat: IncidentChat;
  readonly operators: OperatorDirectory;
  readonly auditReply: (user: string, limit: number) => Promise<CommandReply>;
  /** Runs detection now (also what every new batch of logs triggers). */
  evaluate(): Promise<void>;
}

const newIncidentId = () => `inc_${Date.now().toString(36)}${randomBytes(3).toString('hex')}`;

/** Detection → incidents → cards: builds it all from config; the scheduler and Bolt run it. */
export const composeIncidents = (deps: IncidentsDeps): Incidents => {
  const { config, logger, now } = deps;
  const incidents = new SqliteIncidentStore(deps.store);
  // Set below, once the runbook attacher exists: a new incident gets its runbook after its card.
  let attachRunbook: (incidentId: string) => void = () => undefined;
  const chat = createChatGateway(deps.slackClient, deps.slackPolicy);
  const metrics = createIncidentMetrics(deps.registry);
  const stats = () => incidentStats(incidents, now(), 7);
  const service = createIncidentService({
    incidents,
    audit: deps.audit,
    chat,
    render: slackIncidentRenderer,
    channel: config.slack.alertChannel,
    newId: newIncidentId,
    now,
    onChange: () => {
      metrics.update(stats());
      deps.onChange?.();
    },
    onError: (what, err) => {
      logger.warn({ event: 'incidents.chat_failed', what, err }, `incident ${what} failed`);
    },
    onOpened: (incident) => {
      attachRunbook(incident.id);
    },
  });
  const operators = createOperatorDirectory({
    operators: config.slack.operators,
    group: config.slack.operatorGroup,
    client: deps.slackClient,
    logger,
  });
  const actions = createIncidentActions({
    incidents,
    audit: deps.audit,
    operators,
    service,
    escalationGroup: config.slack.escalationGroup,
    now,
  });
  const reminders = createReminders({
    incidents,
    service,
    audit: deps.audit,
    escalationGroup: config.slack.escalationGroup,
    remindEveryMinutes: deps.reminders?.everyMinutes ?? 10,
    escalateAfterMinutes: deps.reminders?.escalateAfterMinutes ?? 30,
    now,
  });
  const catalog =
    deps.catalogOverride ??
    createActionCatalog({
      ...deps.actions,
      rechecker: {
        recheck: async (incidentId) => {
          await evaluate();
          const incident = incidents.get(incidentId);
          if (!incident) return 'The incident no longer exists.';
          return incident.state === 'resolved'
            ? 'Checked again: the signal is quiet and the incident is resolved.'
            : `Checked again: still ${incident.severity} — ${incident.title}.`;
        },
      },
    });
  const attacher = createRunbookAttacher({
    incidents,
    chain: deps.runbooks(catalog),
    catalog,
    service,
    now,
    onAttached: (incident, runbook) => {
      deps.onRunbook?.(runbook.provider);
      logger.info(
        {
          event: 'runbook.attached',
          incidentId: incident.id,
          provider: runbook.provider,
          dropped: runbook.dropped,
        },
        'runbook attached',
      );
    },
    onError: (err) => {
      logger.warn({ event: 'runbook.failed', err }, 'writing a runbook failed');
    },
  });
  const attaching = new Set<string>();
  attachRunbook = (incidentId) => {
    if (attaching.has(incidentId)) return;
    attaching.add(incidentId);
    void attacher.attach(incidentId).finally(() => attaching.delete(incidentId));
  };
  const steps = createStepRunner({
    incidents,
    claims: new SqliteIdempotencyClaims(deps.store),
    audit: deps.audit,
    catalog,
    operators,
    service,
    chat,
    render: slackStepRenderer,
    now,
    metrics: createStepMetrics(deps.registry),
    ...(deps.inflight ? { inflight: deps.inflight } : {}),
    onError: (what, err) => {
      logger.warn({ event: 'steps.failed', what, err }, `step ${what} failed`);
    },
  });
  const readAudit = createAuditReader({ audit: deps.audit, operators });
  const threadAgent = createThreadAgent({
    ...(deps.agent.model ? { model: deps.agent.model } : {}),
    tools: { tenant: deps.agent.tenant, audit: deps.audit },
    maxToolCalls: 4,
    maxTokens: 1024,
    timeoutMs: 20_000,
    now,
    builtinRunbook: (incident, evidence) =>
      builtinRunbook({
        incident: {
          id: incident.id,
          signal: incident.signal,
          scope: incident.scope,
          severity: incident.severity,
          title: incident.title,
        },
        evidence,
        actions: [],
      }),
  });
  const detector = createDetector({
    logs: deps.logs,
    now,
    ...(deps.thresholds ? { thresholds: deps.thresholds } : {}),
  });
  const apply = (decisions: readonly Decision[]) =>
    service.apply(decisions).catch((err: unknown) => {
      logger.error({ event: 'incidents.apply_failed', err }, 'applying detection decisions failed');
    });

  const logDerived = new Set<string>([
    'failed_logins',
    'm2m_token_failures',
    'web_token_failures',
    'rate_limit',
    'attack_protection',
    'actions_failures',
  ]);
  const evaluate = async () => {
    const fresh = deps.logsFresh();
    const decisions = detector
      .evaluate(incidents.listOpen())
      .filter((d) => fresh || d.kind !== 'recover' || !logDerived.has(d.signal));
    await apply(decisions);
    await service.repostMissingCards();
    // A runbook interrupted by a restart (or a writer outage) is written on a later pass.
    for (const incident of incidents.listOpen()) {
      if (incidents.steps(incident.id).length === 0) attachRunbook(incident.id);
    }
  };
  // New logs trigger one evaluation; triggers that arrive while it runs collapse into one more.
  let running: Promise<void> | undefined;
  let again = false;
  const trigger = () => {
    if (running) {
      again = true;
      return;
    }
    running = evaluate().finally(() => {
      running = undefined;
      if (again) {
        again = false;
        trigger();
      }
    });
  };
  deps.health.subscribe((event) => {
    void apply(detector.onHealthEvent(event));
  });

  const permalink = (i: Incident) => {
    const base = deps.workspaceUrl();
    return base && i.slackChannel && i.slackTs
      ? `${base}archives/${i.slackChannel}/p${i.slackTs.replace('.', '')}`
      : undefined;
  };

  return {
    service,
    evaluate,
    logSink: { accept: trigger },
    watcherSink: {
      accept: (events) => {
        void apply(detector.onWatcherEvents(events));
      },
    },
    jobs: [
      { name: 'detect.evaluate', everyMs: deps.evaluateEveryMs ?? 30_000, runAtStart: true, run: evaluate },
      {
        name: 'incidents.remind',
        everyMs: 60_000,
        run: async () => {
          await reminders.run();
        },
      },
    ],
    register: (app) => {
      registerIncidentListeners(app, {
        actions,
        chat,
        audit: deps.audit,
        now,
        onError: (err) => {
          logger.warn({ event: 'incidents.ephemeral_failed', err }, 'could not explain a refused click');
        },
      });
      registerThreadListeners(app, {
        findIncidentByThread: (channel, ts) =>
          incidents.listOpen().find((i) => i.slackChannel === channel && i.slackTs === ts),
        agent: createIncidentThreadAnswerer({ agent: threadAgent, incidents }),
        threads: new SqliteThreadStore(deps.store),
        chat,
        now,
        onError: (err) => {
          logger.warn({ event: 'agent.failed', err }, 'the thread agent failed');
        },
      });
      registerStepListeners(app, {
        runner: steps,
        chat,
        channel: config.slack.alertChannel,
        onError: (err) => {
          logger.warn({ event: 'steps.ephemeral_failed', err }, 'could not explain a step click');
        },
      });
      app.event('subteam_members_changed', () => {
        operators.invalidate();
        return Promise.resolve();
      });
    },
    listReply: () => incidentList(incidents.listOpen(), { permalink, now: now() }),
    steps,
    catalog,
    chat,
    operators,
    auditReply: async (user, limit) => auditReply(await readAudit(user, limit)),
    status: incidentStatusProvider(stats),
  };
};
