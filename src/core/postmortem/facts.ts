import type { AuditEntry, AuditLog } from '../audit/ports.js';
import { evidenceOf } from '../incidents/evidence-codec.js';
import type { Incident, IncidentEvent, IncidentStore } from '../incidents/model.js';
import { failureSignalsOf } from '../incidents/recheck.js';
import { createIncidentSummary } from '../incidents/summary.js';
import type { LogStore } from '../logs/ports.js';
import type { CountedItem, PostmortemFacts, PostmortemImpact, TimelineEntry } from './model.js';

/** What the postmortem is built from: the incident, its timeline, its audit trail and the logs. */
export interface FactsDeps {
  readonly incidents: Pick<IncidentStore, 'timeline' | 'steps'>;
  readonly audit: Pick<AuditLog, 'forIncident'>;
  readonly logs: Pick<LogStore, 'counts' | 'recent'>;
}

const MAX_TIMELINE = 40;
/** `recent` answers at most this many events: past it, client and user counts are "at least". */
const SAMPLE = 1000;
const TOP = 5;

const str = (v: unknown): string | undefined => (typeof v === 'string' ? v : undefined);

const eventLine = (e: IncidentEvent, stepTitle: (id: string) => string): string | undefined => {
  const by = e.actor === 'system' ? 'the bot' : e.actor;
  const step = stepTitle(str(e.detail.stepId) ?? '');
  switch (e.kind) {
    case 'opened':
      return 'Incident card opened';
    case 'severity_changed':
      return `Severity changed${str(e.detail.to) ? ` to ${str(e.detail.to)}` : ''}`;
    case 'acknowledged':
      return `Acknowledged by ${by}`;
    case 'escalated':
      return `Escalated by ${by}`;
    case 'resolved':
      return e.actor === 'system' ? 'Resolved automatically' : `Resolved by ${by}`;
    case 'reminder':
      return 'Reminder: still unacknowledged';
    case 'runbook':
      return 'Runbook attached';
    case 'step_started':
      return `Step started by ${by}: ${step}`;
    case 'step_succeeded':
      return `Step succeeded (${by}): ${step}${str(e.detail.summary) ? ` — ${str(e.detail.summary)}` : ''}`;
    case 'step_failed':
      return `Step failed (${by}): ${step}${str(e.detail.summary) ? ` — ${str(e.detail.summary)}` : ''}`;
    case 'note':
      return `Note by ${by}${str(e.detail.text) ? `: ${str(e.detail.text)}` : ''}`;
    case 'evidence':
      return undefined;
  }
};

// Audit entries the incident timeline does not already hold: refusals, duplicates, escalations
// to people, earlier postmortems. Transitions and step runs are in the timeline already.
const TIMELINE_ACTIONS = new Set([
  'incident.ack',
  'incident.resolve',
  'incident.open',
  'step.run',
  'step.recover',
]);
const auditLine = (a: AuditEntry): string | undefined =>
  TIMELINE_ACTIONS.has(a.action) && a.outcome === 'success'
    ? undefined
    : `${a.actor === 'system' ? 'the bot' : a.actor}: ${a.action} ${a.outcome} — ${a.summary}`;

const timelineOf = (deps: FactsDeps, incident: Incident, onset: string, onsetFromSignal: boolean) => {
  const titles = new Map(deps.incidents.steps(incident.id).map((s) => [s.stepId, s.title]));
  const stepTitle = (id: string) => titles.get(id) ?? id;
  const entries: TimelineEntry[] = [
    ...(onsetFromSignal ? [{ at: onset, what: 'First failure of the signal (onset)' }] : []),
    ...deps.incidents.timeline(incident.id).flatMap((e) => {
      const what = eventLine(e, stepTitle);
      return what === undefined ? [] : [{ at: e.at, what }];
    }),
    ...deps.audit.forIncident(incident.id).flatMap((a) => {
      const what = auditLine(a);
      return what === undefined ? [] : [{ at: a.at, what }];
    }),
  ].sort((a, b) => a.at.localeCompare(b.at));
  // The first and the last entries matter most: the middle is what is left out.
  if (entries.length <= MAX_TIMELINE) return { timeline: entries, omitted: 0 };
  const head = entries.slice(0, MAX_TIMELINE / 2);
  const tail = entries.slice(-MAX_TIMELINE / 2);
  return { timeline: [...head, ...tail], omitted: entries.length - MAX_TIMELINE };
};

const top = (values: ReadonlyArray<string | null>): CountedItem[] => {
  const counts = new Map<string, number>();
  for (const v of values) if (v !== null && v !== '') counts.set(v, (counts.get(v) ?? 0) + 1);
  return [...counts]
    .map(([name, count]) => ({ name, count }))
    .sort((a, b) => b.count - a.count || a.name.localeCompare(b.name));
};

const impactOf = (
  deps: FactsDeps,
  incident: Incident,
  from: string,
  to: string,
): PostmortemImpact | undefined => {
  const signals = failureSignalsOf(incident.signal);
  if (signals === undefined) return undefined;
  const scope = incident.scope === 'tenant' ? {} : { scope: incident.scope };
  const bySignal = new Map<string, number>();
  for (const c of deps.logs.counts({
    signals,
    fromMinute: from.slice(0, 16),
    toMinute: to.slice(0, 16),
    ...scope,
  }))
    bySignal.set(c.signal, (bySignal.get(c.signal) ?? 0) + c.count - c.ownCount);
  const events = deps.logs
    .recent({ signals, ...scope, since: from, limit: SAMPLE })
    .filter((e) => !e.own && e.date <= to);
  const clients = top(events.map((e) => e.clientName ?? e.clientId));
  return {
    from,
    to,
    bySignal: [...bySignal].map(([name, count]) => ({ name, count })).filter((c) => c.count > 0),
    total: [...bySignal.values()].reduce((a, b) => a + b, 0),
    clients: clients.slice(0, TOP),
    clientCount: clients.length,
    userCount: top(events.map((e) => e.userName)).length,
    ipCount: top(events.map((e) => e.ip)).length,
    sampled: events.length >= SAMPLE,
  };
};

/** Everything the bot knows of one incident, resolved or not (`now` ends an open one's spans). */
export const gatherFacts = (deps: FactsDeps, incident: Incident, now: Date): PostmortemFacts => {
  const at = now.toISOString();
  const asIfResolved: Incident =
    incident.resolvedAt === null ? { ...incident, resolvedAt: at, resolution: null } : incident;
  const summary = createIncidentSummary(deps)(asIfResolved);
  const { timeline, omitted } = timelineOf(deps, incident, summary.onset, summary.onsetFromSignal);
  const evidence = evidenceOf(incident.evidence, incident.openedAt);
  return {
    incident: {
      id: incident.id,
      title: incident.title,
      signal: incident.signal,
      scope: incident.scope,
      severity: incident.severity,
      resolved: incident.state === 'resolved',
    },
    summary,
    timeline,
    timelineOmitted: omitted,
    impact: impactOf(deps, incident, summary.onset, summary.resolvedAt),
    reasons: (evidence.topReasons ?? []).slice(0, TOP).map((r) => ({ name: r.value, count: r.count })),
    generatedAt: at,
  };
};
