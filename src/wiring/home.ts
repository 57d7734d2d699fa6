import type { DoctorReport } from '../core/doctor/model.js';
import { incidentStats } from '../core/incidents/incident-stats.js';
import type { OperatorDirectory } from '../core/incidents/ports.js';
import { collectStatus, type StatusProvider } from '../core/status/model.js';
import type { DependencyPolicy } from '../resilience/index.js';
import { createHomePublisher, type DependencyHealth, type HomeInput } from '../slack/home.js';
import type { Platform } from './platform.js';
import type { Listeners } from '../slack/listener-table.js';

const INTAKE_LABELS = new Set(['log poll', 'newest log', 'events ingested', 'rate limit (logs)']);

/** The App Home: what it shows, read fresh from the stores and policies at each publish; republished on `incident_changed`. */
export const wireHome = (
  platform: Platform,
  deps: {
    readonly tenantStatus: StatusProvider;
    readonly rotationStatus: StatusProvider;
    readonly operators: Pick<OperatorDirectory, 'isOperator'>;
    readonly permalink: HomeInput['permalink'];
    readonly dependencies: ReadonlyArray<{ readonly name: string; readonly policy: DependencyPolicy }>;
    /** The setup doctor's last report. */
    readonly doctor: () => DoctorReport | undefined;
  },
): { readonly register: (app: Listeners) => void; opened(userId: string): Promise<void>; stop(): void } => {
  const { now, stores } = platform;
  const health = (name: string, policy: DependencyPolicy): DependencyHealth => ({
    name,
    state: policy.state(),
    lastSuccess: policy.lastSuccess(),
    lastFailure: policy.lastFailure(),
  });
  const build = async (): Promise<HomeInput> => {
    const at = now();
    const [tenant, rotation] = await collectStatus([deps.tenantStatus, deps.rotationStatus], {
      timeoutMs: 1_000,
    });
    return {
      incidents: stores.incidents.listOpen(),
      permalink: deps.permalink,
      dependencies: deps.dependencies.map((d) => health(d.name, d.policy)),
      intake: tenant
        ? [{ title: 'Log intake', items: tenant.items.filter((i) => INTAKE_LABELS.has(i.label)) }]
        : [],
      rotation: rotation ?? { title: 'Rotation', items: [] },
      stats: { week: incidentStats(stores.incidents, at, 7), month: incidentStats(stores.incidents, at, 30) },
      audit: stores.audit.latest(5),
      doctor: deps.doctor(),
      maintenance: stores.quiet.active(at.toISOString()),
      recentlyResolved: stores.incidents.resolvedSince(new Date(at.getTime() - 7 * 86_400_000).toISOString()),
      now: at,
    };
  };
  const home = createHomePublisher({
    client: platform.slackClient,
    build,
    isOperator: (userId) => deps.operators.isOperator(userId),
    now,
    onError: (err, userId) => {
      platform.logger.warn({ event: 'home.publish_failed', err, userId }, 'could not publish the App Home');
    },
  });
  platform.bus.subscribe('incident_changed', () => {
    home.changed();
  });
  return home;
};
