import type { Decision, Evidence, TopItem } from '../model.js';
import { recover } from '../decision-builders.js';
import { topLists, truncate } from '../evidence.js';
import { minuteIndex, minuteKey, minuteStart } from '../minutes.js';
import type { LogDigest } from '../rules.js';
import type { DetectionThresholds } from '../thresholds.js';
import { plural } from '../titles.js';

/**
 * Deprecation notices (`depnote`): Auth0 saying the tenant still uses something it will remove.
 * Nothing is broken yet, so this is never a page: one low-severity digest card per UTC day
 * (scope `day:<YYYY-MM-DD>`), opened by the first notice of the day, updated by every later one,
 * resolved when the day is over. Low incidents get no reminders and no escalation
 * (core/incidents/reminders.ts), and severity only goes up through a decision, which this never makes.
 *
 * Auth0 may log a notice for every request that uses the feature, so the day is read from the
 * per-minute counts (stored per `feature:<name>` scope, one indexed range) and only the window's
 * events are read, for the clients.
 */

const SIGNAL = 'deprecation_notices';

const featureOf = (scope: string): string => (scope.startsWith('feature:') ? scope.slice(8) : 'unnamed');

const evidenceOf = (
  features: readonly TopItem[],
  total: number,
  clients: Partial<Pick<Evidence, 'topClients'>>,
  dayStart: string,
  now: Date,
): Evidence => {
  const minutes = Math.max(1, Math.ceil((now.getTime() - Date.parse(dayStart)) / 60_000));
  return {
    window: { from: dayStart, to: now.toISOString(), minutes },
    failures: total,
    rate: total / minutes,
    topReasons: features,
    ...clients,
    suspects: [],
    summary:
      `Auth0 logged ${plural(total, 'deprecation notice')} today about ${plural(features.length, 'feature')} ` +
      'this tenant still uses. Nothing is broken yet: plan the migration before the removal date in the ' +
      'linked documentation. One digest a day; it never pages.',
  };
};

const featureCounts = (
  rows: ReadonlyArray<{ scope: string; count: number }>,
  t: DetectionThresholds,
): TopItem[] => {
  const counts = new Map<string, number>();
  for (const r of rows) counts.set(featureOf(r.scope), (counts.get(featureOf(r.scope)) ?? 0) + r.count);
  return [...counts]
    .sort(([a, x], [b, y]) => y - x || (a < b ? -1 : 1))
    .slice(0, t.topN)
    .map(([value, count]) => ({ value: truncate(value, t.topValueLength), count }));
};

export const deprecationDigest: LogDigest = ({ logs, now, open, t }) => {
  const day = now.toISOString().slice(0, 10);
  const scope = `day:${day}`;
  const decisions: Decision[] = open
    .filter((o) => o.signal === SIGNAL && o.scope !== scope)
    .map((o) => recover(SIGNAL, o.scope, 'the day is over: a new digest opens if notices continue'));
  const dayStart = `${day}T00:00:00.000Z`;
  const windowStart = minuteIndex(now) - t.windowMinutes + 1;
  const rows = logs.counts({ signals: ['deprecation_notice'], fromMinute: minuteKey(minuteIndex(dayStart)) });
  // Like every rule, only news in the window speaks: an open digest is not re-rendered every tick.
  if (!rows.some((r) => r.minute >= minuteKey(windowStart))) return decisions;
  const features = featureCounts(rows, t);
  const total = rows.reduce((sum, r) => sum + r.count, 0);
  const recent = logs.recent({
    signal: 'deprecation_notice',
    since: minuteStart(windowStart),
    limit: t.evidenceSampleLimit,
  });
  const clients = topLists(recent, t).topClients;
  const named = features.map((f) => f.value);
  const about =
    named.length === 0
      ? ''
      : ` about ${named.slice(0, 2).join(', ')}${named.length > 2 ? ` and ${named.length - 2} more` : ''}`;
  decisions.push({
    kind: open.some((o) => o.signal === SIGNAL && o.scope === scope) ? 'update' : 'open',
    signal: SIGNAL,
    scope,
    severity: 'low',
    title: `Deprecation digest for ${day}: ${plural(total, 'notice')}${about}`,
    evidence: evidenceOf(features, total, clients ? { topClients: clients } : {}, dayStart, now),
  });
  return decisions;
};
