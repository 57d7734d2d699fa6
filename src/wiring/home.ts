import type { webApi } from '@slack/bolt';
import type { Logger } from '../logger.js';
import type { Incidents } from './incidents.js';
import type { TenantWatching } from './tenant.js';
import type { AuditLog } from '../core/audit/ports.js';
import { incidentStats } from '../core/incidents/incident-stats.js';
import { collectStatus, type StatusProvider } from '../core/status/model.js';
import type { DependencyPolicy } from '../resilience/index.js';
import { createHomePublisher, type DependencyHealth, type HomeInput } from '../slack/home.js';
import { SqliteIncidentStore, type StoreDatabase } from '../store/index.js';

const INTAKE_LABELS = new Set(['log poll', 'newest log', 'events ingested', 'rate limit (logs)']);

/** The App Home: what it shows, read fresh from the stores and policies at each publish. */
export const composeHome = (deps: {
  readonly store: StoreDatabase;
  readonly watching: Pick<TenantWatching, 'status'>;
  readonly rotationStatus: StatusProvider;
  readonly incidents: Pick<Incidents, 'operators'>;
  readonly dependencies: ReadonlyArray<{ readonly name: string; readonly policy: DependencyPolicy }>;
  readonly audit: AuditLog;
  readonly slackClient: webApi.WebClient;
  readonly workspaceUrl: () => string | undefined;
  readonly now: () => Date;
  readonly logger: Logger;
}) => {
  const { now } = deps;
  const incidentStore = new SqliteIncidentStore(deps.store);
  const health = (name: string, policy: DependencyPolicy): DependencyHealth => ({
    name,
    state: policy.state(),
    lastSuccess: policy.lastSuccess(),
    lastFailure: policy.lastFailure(),
  });
  const build = async (): Promise<HomeInput> => {
    const at = now();
    const [tenant, rotation] = await collectStatus([deps.watching.status, deps.rotationStatus], {
      timeoutMs: 1_000,
    });
    const base = deps.workspaceUrl();
    return {
      incidents: incidentStore.listOpen(),
      permalink: (i) =>
        base && i.slackChannel && i.slackTs
          ? `${base}archives/${i.slackChannel}/p${i.slackTs.replace('.', '')}`
          : undefined,
      dependencies: deps.dependencies.map((d) => health(d.name, d.policy)),
      intake: tenant
        ? [{ title: 'Log intake', items: tenant.items.filter((i) => INTAKE_LABELS.has(i.label)) }]
        : [],
      rotation: rotation ?? { title: 'Rotation', items: [] },
      stats: { week: incidentStats(incidentStore, at, 7), month: incidentStats(incidentStore, at, 30) },
      audit: deps.audit.latest(5),
      now: at,
    };
  };
  return createHomePublisher({
    client: deps.slackClient,
    build,
    isOperator: (userId) => deps.incidents.operators.isOperator(userId),
    now,
    onError: (err, userId) => {
      deps.logger.warn({ event: 'home.publish_failed', err, userId }, 'could not publish the App Home');
    },
  });
};
