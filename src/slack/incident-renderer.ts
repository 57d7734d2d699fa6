import type { IncidentRenderer, ThreadLine } from '../core/incidents/ports.js';
import type { Incident } from '../core/incidents/model.js';
import { auth0LogsUrl, type DashboardTenant } from '../core/tenant/dashboard-link.js';
import { incidentCard } from './blocks/incident-card.js';
import { between, formatDuration, untrusted } from './blocks/incident-format.js';
import {
  noteLine,
  operatorsReminderLine,
  ownerReminderLine,
  pagedLine,
  severitySetLine,
  tookOverLine,
} from './blocks/incident-owner-blocks.js';
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
import { snoozedLine, snoozeEndedLine, wokeOnSeverityLine } from './blocks/quiet-blocks.js';
import { summaryMessage } from './blocks/summary-blocks.js';

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
      return l.operators !== undefined && l.operators.length > 0 && l.group === undefined
        ? operatorsReminderLine(l.operators, formatDuration(between(incident.openedAt, now)))
        : reminderLine({ openedAt: incident.openedAt, now, escalationGroup: l.group ?? null });
    case 'owner_reminder':
      return ownerReminderLine(l.owner, l.minutes);
    case 'took_over':
      return tookOverLine(l.by, l.from);
    case 'paged':
      return pagedLine(l.by, l.target, l.note);
    case 'severity_set':
      return severitySetLine(l.by, l.from, l.to, l.reason);
    case 'note':
      return noteLine(l.by, l.text);
    case 'jwks_hooks':
      return plain(`:satellite_antenna: JWKS refresh hooks: ${untrusted(l.summary, 1500)}`);
    case 'snoozed':
      return snoozedLine(l.by, l.until);
    case 'snooze_ended':
      return snoozeEndedLine(l.why, l.by);
    case 'woke_on_severity':
      return wokeOnSeverityLine(l.from, l.to, l.snoozedBy);
    case 'summary':
      return summaryMessage(incident, l.summary);
  }
};

/**
 * The Slack rendering of incidents: the card and the thread lines (pure builders in blocks/). With
 * the tenant's place in the Auth0 Dashboard, each card links to its log search.
 */
export const createSlackIncidentRenderer = (options: {
  readonly dashboard: DashboardTenant | undefined;
}): IncidentRenderer => ({
  card: (incident, evidence, steps, now, quiet) =>
    incidentCard({
      incident,
      evidence,
      steps,
      runbookProvider: incident.runbookProvider,
      ...(options.dashboard === undefined
        ? {}
        : { logsUrl: auth0LogsUrl(options.dashboard, evidence.logQuery) }),
      now,
      quiet,
    }),
  thread: (l, incident, now) => line(l, incident, now),
});

/** Without a dashboard link: a tenant on a domain that names no Auth0 region (and tests). */
export const slackIncidentRenderer: IncidentRenderer = createSlackIncidentRenderer({ dashboard: undefined });
