import type { Decision, DetectionSignal, Evidence, TopItem } from '../detection/model.js';
import type { Severity } from '../incidents/model.js';
import type { TenantEvent, TenantEventKind } from './model.js';
import type { TenantEventStore } from './ports.js';

/**
 * Detections on Event Streams events. Counts are of distinct users over a sliding window of event
 * time (the stream is unordered and replays old events, so arrival time would mislead):
 * - mass user deletion and mass blocking (tenant): ≥ 20 users in 10 min medium, ≥ 100 high;
 * - a burst of sign-ups through one connection: ≥ 50 in 10 min medium, ≥ 250 high;
 * - any change to an organization's connections: one incident per organization (a removal,
 *   which can lock its members out, medium; an addition or update low).
 * A count incident recovers once the last 15 minutes hold fewer than half its medium threshold;
 * an organization's once it has seen no change for 60 minutes.
 */
interface EventStreamThresholds {
  readonly windowMinutes: number;
  readonly quietMinutes: number;
  readonly deletions: { readonly medium: number; readonly high: number };
  readonly blocks: { readonly medium: number; readonly high: number };
  readonly signups: { readonly medium: number; readonly high: number };
  readonly organizationQuietMinutes: number;
}

const THRESHOLDS: EventStreamThresholds = {
  windowMinutes: 10,
  quietMinutes: 15,
  deletions: { medium: 20, high: 100 },
  blocks: { medium: 20, high: 100 },
  signups: { medium: 50, high: 250 },
  organizationQuietMinutes: 60,
};

/** The kinds whose arrival can change a decision (others are stored and counted only). */
export const DETECTED_KINDS: ReadonlySet<TenantEventKind> = new Set([
  'user_deleted',
  'user_blocked',
  'user_created',
  'organization_connection',
]);

interface OpenRef {
  readonly signal: string;
  readonly scope: string;
}

export interface EventStreamDetectorDeps {
  readonly store: Pick<TenantEventStore, 'countUsers' | 'signupsByConnection' | 'organizationChanges'>;
  readonly now: () => Date;
}

const MINUTE = 60_000;
const MAX_ORG_CHANGES = 200;
const TOP = 5;

const severityOf = (n: number, t: { medium: number; high: number }): Severity | undefined =>
  n >= t.high ? 'high' : n >= t.medium ? 'medium' : undefined;

const minutesText = (m: number) => (m === 1 ? 'minute' : `${m} minutes`);

const evidence = (now: Date, minutes: number, summary: string, extra: Partial<Evidence> = {}): Evidence => ({
  window: { from: new Date(now.getTime() - minutes * MINUTE).toISOString(), to: now.toISOString(), minutes },
  // No denominators here: the summary carries the count, so the card shows it in words.
  failures: 0,
  rate: 0,
  suspects: [],
  summary,
  ...extra,
});

const CHANGE_VERB: Readonly<Record<string, string>> = {
  'organization.connection.added': 'added',
  'organization.connection.removed': 'removed',
  'organization.connection.updated': 'updated',
};

export const createEventStreamDetector = (deps: EventStreamDetectorDeps) => {
  const t = THRESHOLDS;
  const since = (now: Date, minutes: number) => new Date(now.getTime() - minutes * MINUTE).toISOString();

  const userCount = (
    now: Date,
    openKeys: ReadonlySet<string>,
    signal: DetectionSignal,
    kind: TenantEventKind,
    limits: { medium: number; high: number },
    verb: string,
  ): Decision[] => {
    const n = deps.store.countUsers(kind, since(now, t.windowMinutes));
    const severity = severityOf(n, limits);
    const isOpen = openKeys.has(`${signal}\u0000tenant`);
    if (severity) {
      const title = `${n} users ${verb} in the last ${minutesText(t.windowMinutes)}`;
      const summary = `${title} (Auth0 Event Streams; ${limits.medium} or more opens an incident, ${limits.high} or more is high).`;
      return [
        {
          kind: isOpen ? 'update' : 'open',
          signal,
          scope: 'tenant',
          severity,
          title,
          evidence: evidence(now, t.windowMinutes, summary),
        },
      ];
    }
    const quiet = deps.store.countUsers(kind, since(now, t.quietMinutes)) < limits.medium / 2;
    return isOpen && quiet
      ? [
          {
            kind: 'recover',
            signal,
            scope: 'tenant',
            reason: `fewer than ${Math.ceil(limits.medium / 2)} users ${verb} in the last ${minutesText(t.quietMinutes)}`,
          },
        ]
      : [];
  };

  const signups = (now: Date, open: readonly OpenRef[]): Decision[] => {
    const counts = deps.store.signupsByConnection(since(now, t.windowMinutes));
    const top: TopItem[] = counts.slice(0, TOP).map((c) => ({ value: c.connection, count: c.count }));
    const decisions: Decision[] = [];
    const firing = new Set<string>();
    for (const { connection, count } of counts) {
      const severity = severityOf(count, t.signups);
      if (!severity) continue;
      const scope = `connection:${connection}`;
      firing.add(scope);
      const title = `${count} sign-ups through ${connection} in the last ${minutesText(t.windowMinutes)}`;
      decisions.push({
        kind: open.some((o) => o.signal === 'signup_burst' && o.scope === scope) ? 'update' : 'open',
        signal: 'signup_burst',
        scope,
        severity,
        title,
        evidence: evidence(now, t.windowMinutes, `${title} (Auth0 Event Streams, user.created).`, {
          topConnections: top,
        }),
      });
    }
    const quietSince = deps.store.signupsByConnection(since(now, t.quietMinutes));
    for (const o of open) {
      if (o.signal !== 'signup_burst' || firing.has(o.scope)) continue;
      const recent = quietSince.find((c) => `connection:${c.connection}` === o.scope)?.count ?? 0;
      if (recent < t.signups.medium / 2)
        decisions.push({
          kind: 'recover',
          signal: 'signup_burst',
          scope: o.scope,
          reason: `fewer than ${Math.ceil(t.signups.medium / 2)} sign-ups in the last ${minutesText(t.quietMinutes)}`,
        });
    }
    return decisions;
  };

  const organizations = (now: Date, open: readonly OpenRef[]): Decision[] => {
    const changes = deps.store.organizationChanges(since(now, t.organizationQuietMinutes), MAX_ORG_CHANGES);
    const byOrg = new Map<string, TenantEvent[]>();
    for (const e of changes) {
      const org = e.organizationId ?? 'unknown';
      byOrg.set(org, [...(byOrg.get(org) ?? []), e]);
    }
    const decisions: Decision[] = [];
    for (const [org, events] of byOrg) {
      const scope = `organization:${org}`;
      const removed = events.some((e) => CHANGE_VERB[e.type] === 'removed');
      const lines = events.map(
        (e) => `${CHANGE_VERB[e.type] ?? e.type} ${e.organizationConnection ?? 'a connection'} at ${e.time}`,
      );
      const title = `Connections of organization ${org} changed (${events.length} change${events.length === 1 ? '' : 's'})`;
      decisions.push({
        kind: open.some((o) => o.signal === 'organization_connections' && o.scope === scope)
          ? 'update'
          : 'open',
        signal: 'organization_connections',
        scope,
        severity: removed ? 'medium' : 'low',
        title,
        evidence: evidence(
          now,
          t.organizationQuietMinutes,
          `In the last ${minutesText(t.organizationQuietMinutes)}: ${lines.slice(-5).join('; ')}.`,
        ),
      });
    }
    for (const o of open)
      if (o.signal === 'organization_connections' && !byOrg.has(o.scope.replace(/^organization:/, '')))
        decisions.push({
          kind: 'recover',
          signal: 'organization_connections',
          scope: o.scope,
          reason: `no further change for ${minutesText(t.organizationQuietMinutes)}`,
        });
    return decisions;
  };

  return {
    /**
     * What Event Streams saw lately, as one line of evidence for another incident's thread (a
     * login or token problem that came with blocked or deleted users); undefined when nothing.
     */
    recentActivity(): string | undefined {
      const from = since(deps.now(), t.windowMinutes);
      const created = deps.store.signupsByConnection(from).reduce((n, c) => n + c.count, 0);
      const parts = [
        [deps.store.countUsers('user_blocked', from), 'blocked'],
        [deps.store.countUsers('user_deleted', from), 'deleted'],
        [created, 'created'],
      ]
        .filter(([n]) => Number(n) > 0)
        .map(([n, verb]) => `${String(n)} user${n === 1 ? '' : 's'} ${String(verb)}`);
      return parts.length === 0
        ? undefined
        : `Auth0 Event Streams: ${parts.join(', ')} in the last ${minutesText(t.windowMinutes)}.`;
    },
    /** Open, update and recover decisions for the Event Streams signals, given the open incidents. */
    evaluate(open: readonly OpenRef[]): Decision[] {
      const now = deps.now();
      const openKeys = new Set(open.map((o) => `${o.signal}\u0000${o.scope}`));
      return [
        ...userCount(now, openKeys, 'mass_user_deletion', 'user_deleted', t.deletions, 'deleted'),
        ...userCount(now, openKeys, 'mass_user_blocking', 'user_blocked', t.blocks, 'blocked'),
        ...signups(now, open),
        ...organizations(now, open),
      ];
    },
  };
};
