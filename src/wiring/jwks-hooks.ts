import { createHookDelivery, describeResults } from '../core/jwks-hooks/delivery.js';
import { changeTitle, type HookPayload } from '../core/jwks-hooks/model.js';
import { createJwksHookNotifier } from '../core/jwks-hooks/notifier.js';
import type { HookNotification } from '../core/jwks-hooks/ports.js';
import { createJwksHookResender, type JwksHookResender } from '../core/jwks-hooks/resend.js';
import { createFetchHookSender } from '../http/hook-sender.js';
import type { IntervalJob } from '../jobs/job.js';
import { jwksHookDeliveryJob } from '../jobs/jwks-hook-delivery.js';
import { createOutboxMetrics } from '../metrics/outbox-metrics.js';
import type { Incidents } from './incidents.js';
import type { Platform } from './platform.js';
import type { TenantWatching } from './tenant.js';

export interface JwksHooks {
  readonly jobs: readonly IntervalJob[];
  /** For the runbook action; undefined when JWKS_REFRESH_WEBHOOKS is not set. */
  readonly resender: JwksHookResender | undefined;
}

const subjectOf = (n: HookNotification): string => {
  const payload = JSON.parse(n.body) as Pick<HookPayload, 'event' | 'kid'>;
  return changeTitle(payload);
};

/**
 * JWKS-refresh hooks (docs/decisions/0011-jwks-refresh-hooks.md): hears signing-key rotations and
 * revocations from the watcher and the logs, queues one signed POST per URL, delivers them with
 * retries and tells the incident's thread which receivers acknowledged.
 */
export const wireJwksHooks = (
  platform: Platform,
  deps: {
    readonly watching: Pick<TenantWatching, 'tenant'>;
    readonly incidents: Pick<Incidents, 'service'>;
  },
): JwksHooks => {
  const { config, logger, now, bus, stores } = platform;
  const { urls, secret } = config.jwksHooks;
  const store = stores.jwksHooks;
  // Both backlogs, whether or not hooks are configured: the outbox-backlog alert reads the Slack one.
  const metrics = createOutboxMetrics(platform.metrics.registry, () => ({
    slack: stores.outbox.pendingCount(),
    jwks_hooks: store.pendingCount(),
  }));
  if (urls.length === 0 || secret === undefined) return { jobs: [], resender: undefined };
  const delivery = createHookDelivery({
    store,
    sender: createFetchHookSender({ now }),
    secret,
    now,
    ...platform.overrides.hookBackoff,
    report: async (n, results) => {
      const incident =
        n.incidentId === null
          ? stores.incidents.findOpen('signing_key', 'tenant')
          : stores.incidents.get(n.incidentId);
      const summary = `${subjectOf(n)}: ${describeResults(results)}`;
      logger.info({ event: 'jwks_hooks.outcome', notification: n.id, summary }, 'JWKS refresh hooks settled');
      if (!incident?.slackTs) return false;
      await deps.incidents.service.postThread(incident, { kind: 'jwks_hooks', summary });
      return true;
    },
    onError: (what, err) => {
      logger.warn({ event: 'jwks_hooks.delivery_failed', what, err }, `${what} not acknowledged`);
    },
    onSettled: (_d, outcome) => {
      metrics.hookDelivery(outcome);
    },
  });
  const nudge = () => {
    platform.tasks.spawn('jwks.hooks', () => delivery.deliver());
  };
  const notifier = createJwksHookNotifier({
    store,
    urls,
    tenant: config.auth0.domain,
    jwksUri: `${config.auth0.baseUrl}/.well-known/jwks.json`,
    keys: deps.watching.tenant,
    logs: stores.logs,
    now,
    nudge,
    onError: (what, err) => {
      logger.warn(
        { event: 'jwks_hooks.keys_unreadable', what, err },
        `${what} failed; sending without the kid`,
      );
    },
  });
  bus.subscribe('watcher_signals', (e) => {
    notifier.onWatcherEvents(e.events);
  });
  bus.subscribe('logs_ingested', () => notifier.onLogsIngested());

  return {
    jobs: [jwksHookDeliveryJob({ delivery, everyMs: 5_000 })],
    resender: createJwksHookResender({ notifier, store, deliver: () => delivery.deliver() }),
  };
};
