import { randomBytes } from 'node:crypto';
import { coalesce } from '../core/background/coalesce.js';
import { BREAKER_EVENTS } from '../core/events/health-events.js';
import { createDetector, resolveThresholds } from '../core/detection/index.js';
import { logsAreFresh } from '../core/detection/freshness.js';
import { createIncidentEvaluation, type IncidentEvaluation } from '../core/incidents/evaluation.js';
import { createIncidentActions } from '../core/incidents/incident-actions.js';
import { createIncidentService, type IncidentService } from '../core/incidents/incident-service.js';
import { incidentStats } from '../core/incidents/incident-stats.js';
import type { Incident } from '../core/incidents/model.js';
import type { IncidentChat, OperatorDirectory } from '../core/incidents/ports.js';
import { createRecheck, type RecheckResult } from '../core/incidents/recheck.js';
import { createReminders } from '../core/incidents/reminders.js';
import { createOwnership } from '../core/incidents/ownership.js';
import { onCallTarget } from '../core/incidents/paging.js';
import { createSeverityNotes } from '../core/incidents/severity-notes.js';
import { createQuietState, type QuietState } from '../core/incidents/quiet.js';
import { createIncidentSummary } from '../core/incidents/summary.js';
import { incidentStatusProvider } from '../core/incidents/status.js';
import type { StatusProvider } from '../core/status/model.js';
import { createOutboxDelivery } from '../core/outbox/delivery.js';
import type { Outbox } from '../core/outbox/ports.js';
import type { IntervalJob } from '../jobs/job.js';
import { outboxDeliveryJob } from '../jobs/outbox-delivery.js';
import { createIncidentMetrics } from '../metrics/incident-metrics.js';
import type { CommandReply } from '../slack/blocks/help-blocks.js';
import { incidentList } from '../slack/blocks/incident-list.js';
import { createChatGateway } from '../slack/chat-gateway.js';
import { dashboardTenantOf } from '../core/tenant/dashboard-link.js';
import { registerDetailsListeners } from '../slack/details-listeners.js';
import { registerIncidentListeners } from '../slack/incident-listeners.js';
import { escalationModal } from '../slack/blocks/incident-owner-modals.js';
import { noteCommandReply, registerOwnerListeners } from '../slack/incident-owner-listeners.js';
import { createSlackIncidentRenderer } from '../slack/incident-renderer.js';
import { createOperatorDirectory } from '../slack/operator-directory.js';
import { createOutboxChat } from '../slack/outbox-chat.js';
import type { Platform } from './platform.js';
import type { TenantWatching } from './tenant.js';
import type { Listeners } from '../slack/listener-table.js';

export interface Incidents {
  readonly service: IncidentService;
  readonly evaluation: IncidentEvaluation;
  /** Counts an incident's failures since its last step or change, without evaluating. */
  readonly recheck: (incidentId: string) => RecheckResult;
  readonly chat: IncidentChat;
  /** Every thread line, step result and announcement goes through it. */
  readonly outbox: Outbox;
  readonly operators: OperatorDirectory;
  readonly jobs: readonly IntervalJob[];
  readonly register: (app: Listeners) => void;
  readonly listReply: () => CommandReply;
  readonly status: StatusProvider;
  /** `https://<workspace>.slack.com/archives/…` for an incident's card, once the workspace is known. */
  readonly permalink: (incident: Incident) => string | undefined;
  /** `/auth0 note <incident> <text>`. */
  readonly noteCommand: (user: string, incidentId: string, text: string) => Promise<CommandReply>;
  /** `note: <text>` in a card's thread; `key` makes a redelivered message one note. */
  readonly threadNote: (incident: Incident, user: string, text: string, key: string) => Promise<unknown>;
  /** Snoozes and maintenance windows as the cards and reminders see them. */
  readonly quiet: QuietState;
  /** A client's name from its newest stored log event (windows may name a client). */
  readonly clientName: (clientId: string) => string | undefined;
}

/** The least time between two detections triggered by new logs. */
const DETECTION_SPACING_MS = 200;

const newIncidentId = () => `inc_${Date.now().toString(36)}${randomBytes(3).toString('hex')}`;

/**
 * Detection → incidents → cards. Listens on the bus for new logs (coalesced into one evaluation
 * at a time), watcher signals and breaker transitions; publishes `incident_opened`,
 * `runbook_missing` and `incident_changed`.
 */
export const wireIncidents = (platform: Platform, watching: Pick<TenantWatching, 'poller'>): Incidents => {
  const { config, logger, now, bus } = platform;
  const incidents = platform.stores.incidents;
  const audit = platform.stores.audit;
  const chat = createChatGateway(platform.slackClient, platform.slackPolicy);
  const metrics = createIncidentMetrics(platform.metrics.registry);
  // The card's "Open in Auth0 logs" link; none for a domain that names no Auth0 region.
  const dashboard = dashboardTenantOf(config.auth0.domain);
  const stats = () => incidentStats(incidents, now(), 7);
  const outboxChat = createOutboxChat(platform.slackClient, platform.slackPolicy);
  const clientName = (clientId: string) =>
    platform.stores.logs.recent({ clientId, limit: 1 })[0]?.clientName ?? undefined;
  const quiet = createQuietState({
    snoozes: platform.stores.quiet,
    windows: platform.stores.quiet,
    nameOf: clientName,
    now,
  });
  const delivery = createOutboxDelivery({
    store: platform.stores.outbox,
    chat: outboxChat,
    now,
    onError: (what, err) => {
      logger.warn({ event: 'outbox.delivery_failed', what, err }, `${what} not delivered yet`);
    },
    onDelivered: (entry, recovered) => {
      if (recovered)
        logger.info(
          { event: 'outbox.found_posted', key: entry.key },
          'an earlier attempt had reached Slack; not posted again',
        );
    },
  });
  const outbox: Outbox = {
    enqueue: (message, at) => platform.stores.outbox.enqueue(message, at),
    deliver: () => delivery.deliver(),
    nudge: () => {
      platform.tasks.spawn('slack.outbox', () => delivery.deliver());
    },
  };
  const service = createIncidentService({
    incidents,
    audit,
    chat,
    cards: outboxChat,
    outbox,
    unitOfWork: platform.stores.db,
    render: createSlackIncidentRenderer({ dashboard }),
    channel: config.slack.alertChannel,
    newId: newIncidentId,
    now,
    onChange: () => {
      metrics.update(stats());
      bus.publish({ type: 'incident_changed' });
    },
    onError: (what, err) => {
      logger.warn({ event: 'incidents.chat_failed', what, err }, `incident ${what} failed`);
    },
    onOpened: (incident) => {
      bus.publish({ type: 'incident_opened', incidentId: incident.id });
    },
    quiet,
    summarize: createIncidentSummary({ incidents, logs: platform.stores.logs }),
  });
  const operators = createOperatorDirectory({
    operators: config.slack.operators,
    group: config.slack.operatorGroup,
    client: platform.slackClient,
    logger,
  });
  const actions = createIncidentActions({
    incidents,
    audit,
    operators,
    service,
    escalationGroup: config.slack.escalationGroup,
    now,
  });
  const reminders = createReminders({
    incidents,
    service,
    audit,
    escalationGroup: config.slack.escalationGroup,
    operators: config.slack.operators,
    remindEveryMinutes: 10,
    escalateAfterMinutes: 30,
    // Gentler than the unacknowledged cadence: someone is on it (docs/on-call.md).
    ownerRemindEveryMinutes: 30,
    now,
    quiet,
  });
  const ownership = createOwnership({
    incidents,
    audit,
    service,
    escalationGroup: config.slack.escalationGroup,
    operators: config.slack.operators,
    now,
  });
  const severityNotes = createSeverityNotes({ incidents, audit, operators, service, now });
  const fallbackPage = onCallTarget(config.slack.escalationGroup, config.slack.operators);
  const recheck = createRecheck({
    logs: platform.stores.logs,
    incidents,
    now,
    windowMinutes: resolveThresholds(platform.overrides.thresholds ?? {}).windowMinutes,
  });
  const evaluation = createIncidentEvaluation({
    detector: createDetector({
      logs: platform.stores.logs,
      now,
      ...(platform.overrides.thresholds ? { thresholds: platform.overrides.thresholds } : {}),
    }),
    incidents,
    service,
    logsFresh: () => logsAreFresh(watching.poller.status(), now(), config.poller.intervalSeconds),
    requestRunbook: (incidentId) => {
      bus.publish({ type: 'runbook_missing', incidentId });
    },
    count: recheck,
    onApplyError: (err) => {
      logger.error({ event: 'incidents.apply_failed', err }, 'applying detection decisions failed');
    },
  });
  // Spaced: a backlog drained page after page evaluates a few times a second, not once a page
  // (bench/pipeline-throughput.ts); the first page after a quiet spell is evaluated at once.
  const detectOnNewLogs = coalesce(
    evaluation.evaluate,
    (work) => {
      platform.tasks.spawn('detect.on_logs', work);
    },
    { spacingMs: DETECTION_SPACING_MS },
  );
  bus.subscribe('logs_ingested', () => {
    detectOnNewLogs.trigger();
  });
  bus.subscribe('watcher_signals', (e) => evaluation.onWatcherEvents(e.events));
  bus.subscribe('event_stream_decisions', (e) => evaluation.onDecisions(e.decisions));
  bus.subscribe('incident_evidence', (e) => {
    const incident = incidents.get(e.incidentId);
    return incident ? service.postThread(incident, { kind: 'correlated', detail: e.text }) : undefined;
  });
  bus.subscribe(BREAKER_EVENTS, (e) => evaluation.onHealthEvent(e));

  const permalink = (i: Incident) => {
    const base = platform.workspace.url();
    return base && i.slackChannel && i.slackTs
      ? `${base}archives/${i.slackChannel}/p${i.slackTs.replace('.', '')}`
      : undefined;
  };

  return {
    service,
    evaluation,
    recheck,
    chat,
    outbox,
    operators,
    permalink,
    quiet,
    clientName,
    jobs: [
      outboxDeliveryJob({ delivery, everyMs: 5_000 }),
      { name: 'detect.evaluate', everyMs: 30_000, runAtStart: true, run: evaluation.evaluate },
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
        audit,
        incidents: platform.stores.incidents,
        escalationModal: (incident) => escalationModal(incident, fallbackPage),
        now,
        onError: (err) => {
          logger.warn({ event: 'incidents.ephemeral_failed', err }, 'could not explain a refused click');
        },
      });
      registerOwnerListeners(app, {
        ownership,
        severityNotes,
        incidents,
        chat,
        audit,
        now,
        onError: (err) => {
          logger.warn(
            { event: 'incidents.ephemeral_failed', err },
            'could not open or explain an incident form',
          );
        },
      });
      registerDetailsListeners(app, {
        incidents: platform.stores.incidents,
        chat,
        audit,
        dashboard,
        now,
        onError: (err) => {
          logger.warn({ event: 'incidents.details_failed', err }, 'could not open incident details');
        },
      });
      app.event('subteam_members_changed', () => {
        operators.invalidate();
        return Promise.resolve();
      });
    },
    listReply: () => incidentList(incidents.listOpen(), { permalink, now: now() }),
    status: incidentStatusProvider(stats),
    noteCommand: async (user, incidentId, text) =>
      noteCommandReply(await severityNotes.addNote(incidentId, user, text, 'command')),
    threadNote: (incident, user, text, key) => severityNotes.addNote(incident.id, user, text, 'thread', key),
  };
};
