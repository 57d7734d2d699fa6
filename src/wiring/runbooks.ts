import type { ActionCatalog } from '../core/actions/action.js';
import { runbookRequests } from '../core/incidents/evaluation.js';
import type { IncidentService } from '../core/incidents/incident-service.js';
import { createRunbookAttacher } from '../core/incidents/runbook-attacher.js';
import { createRunbookChain } from '../core/runbooks/chain.js';
import type { RunbookWriter } from '../core/runbooks/model.js';
import { createRunbookMetrics } from '../metrics/runbook-metrics.js';
import type { Platform } from './platform.js';

/** Model-written runbooks — the configured writers, then the built-in library — attached after the card. */
export const wireRunbooks = (
  platform: Platform,
  deps: {
    readonly writers: readonly RunbookWriter[];
    readonly catalog: ActionCatalog;
    readonly service: IncidentService;
  },
): void => {
  const { logger, now, bus } = platform;
  const metrics = createRunbookMetrics(platform.metrics.registry);
  const chain = createRunbookChain({
    writers: deps.writers,
    catalog: deps.catalog,
    timeoutMs: 45_000,
    now,
    onDropped: (reason, writer) => {
      metrics.dropped(writer);
      logger.warn({ event: 'runbook.action_dropped', writer, reason }, 'dropped a proposed action');
    },
    onFallback: (writer, reason) => {
      metrics.fallback(writer);
      logger.warn(
        { event: 'runbook.fallback', writer, reason },
        `runbook writer ${writer} failed; trying the next`,
      );
    },
  });
  const attacher = createRunbookAttacher({
    incidents: platform.stores.incidents,
    chain,
    catalog: deps.catalog,
    service: deps.service,
    tenantDomain: platform.config.auth0.domain,
    now,
    onAttached: (incident, runbook) => {
      metrics.written(runbook.provider);
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
  const request = runbookRequests(
    (incidentId) => attacher.attach(incidentId),
    (name, work) => {
      platform.tasks.spawn(name, work);
    },
  );
  bus.subscribe(['incident_opened', 'runbook_missing'], (e) => {
    request(e.incidentId);
  });
};
