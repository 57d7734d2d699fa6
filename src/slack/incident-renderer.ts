import type { IncidentRenderer, ThreadLine } from '../core/incidents/ports.js';
import type { Incident } from '../core/incidents/model.js';
import { auth0LogsUrl, type DashboardTenant } from '../core/tenant/dashboard-link.js';
import { incidentCard } from './blocks/incident-card.js';
import { untrusted } from './blocks/incident-format.js';
import {
  acknowledgedLine,
  auth0ReachableLine,
  escalatedLine,
  newSuspectLine,
  reminderLine,
  resolvedLine,
  severityChangedLine,
  type ThreadMessage,
} from './blocks/incident-thread.js';

const plain = (text: string): ThreadMessage => ({
  text,
  blocks: [{ type: 'section', text: { type: 'mrkdwn', text } }],
});

const line = (l: ThreadLine, incident: Incident, now: Date): ThreadMessage => {
  switch (l.kind) {
    case 'severity_changed':
      return severityChangedLine({ from: l.from, to: l.to, why: l.title });
    case 'new_suspect':
      return newSuspectLine(l.suspect);
    case 'correlated':
      return plain(`:link: ${untrusted(l.detail, 300)}`);
    case 'acknowledged':
      return acknowledgedLine({ by: l.by, openedAt: incident.openedAt, at: now });
    case 'escalated':
      return escalatedLine({ by: l.by, escalationGroup: l.group ?? null });
    case 'resolved':
      return resolvedLine({ by: l.by, resolution: 'manual', openedAt: incident.openedAt, at: now });
    case 'auto_resolved':
      return incident.signal === 'auth0_unreachable'
        ? auth0ReachableLine({ since: incident.openedAt, now })
        : resolvedLine({
            by: null,
            resolution: 'auto',
            openedAt: incident.openedAt,
            at: now,
            reason: l.reason,
          });
    case 'reminder':
      return reminderLine({ openedAt: incident.openedAt, now, escalationGroup: l.group ?? null });
    case 'jwks_hooks':
      return plain(`:satellite_antenna: JWKS refresh hooks: ${untrusted(l.summary, 1500)}`);
  }
};

/**
 * The Slack rendering of incidents: the card and the thread lines (pure builders in blocks/). With
 * the tenant's place in the Auth0 Dashboard, each card links to its log search.
 */
export const createSlackIncidentRenderer = (options: {
  readonly dashboard: DashboardTenant | undefined;
}): IncidentRenderer => ({
  card: (incident, evidence, steps, now) =>
    incidentCard({
      incident,
      evidence,
      steps,
      runbookProvider: incident.runbookProvider,
      ...(options.dashboard === undefined
        ? {}
        : { logsUrl: auth0LogsUrl(options.dashboard, evidence.logQuery) }),
      now,
    }),
  thread: (l, incident, now) => line(l, incident, now),
});

/** Without a dashboard link: a tenant on a domain that names no Auth0 region (and tests). */
export const slackIncidentRenderer: IncidentRenderer = createSlackIncidentRenderer({ dashboard: undefined });
