import { baselineOf, type HistorySnapshot } from './baseline.js';
import {
  isQuiet,
  levelOf,
  type Assessment,
  type RuleContext,
  type SignalGroup,
  type WindowStats,
} from './rules.js';
import { statsAt, totalOf, zeroSeries, type RecentCounts, type Series } from './series.js';
import type { DetectionThresholds } from './thresholds.js';

/** One (signal, scope) judged from the stored counts at one moment. */
export interface Finding {
  readonly group: SignalGroup;
  readonly scope: string;
  /** The current window (ending with the current minute). */
  readonly stats: WindowStats;
  readonly assessment: Assessment | undefined;
  readonly context: RuleContext;
  /** The first failing minute of the earliest window in the unbroken firing run up to now. */
  readonly onsetMinute: number | undefined;
  /** Every window ending in the quiet period is quiet (restart-safe: counts only). */
  readonly quiet: boolean;
}

/** A finding whose current window fires. */
export type Firing = Finding & { readonly assessment: Assessment };

export const isFiring = (f: Finding): f is Firing => f.assessment !== undefined;

/** Minutes of counts needed: every window ending in the quiet period, and the rate-limit span. */
export const recentSpan = (t: DetectionThresholds): number =>
  t.quietMinutes + Math.max(t.windowMinutes, t.rateLimitSustainedOfMinutes) - 1;

const isTenantAggregate = (group: SignalGroup, scope: string): boolean =>
  scope === 'tenant' && group.scoping !== 'per_scope';

const candidateScopes = (group: SignalGroup, recent: RecentCounts, openScopes: readonly string[]) => {
  const scopes = new Set<string>(openScopes);
  // A decisive extra event (a connector going offline) makes a scope a candidate on its own.
  const decisive = group.rule === 'count' && group.levels?.onExtra !== undefined;
  const active = (s: Series) => totalOf(s.failures) > 0 || (decisive && totalOf(s.extra) > 0);
  if (group.scoping !== 'tenant') {
    for (const [scope, series] of recent.byScope) {
      // Entries without a connection or IP count towards the tenant as a whole only.
      if (group.scoping === 'per_scope_and_tenant' && scope === 'tenant') continue;
      if (active(series)) scopes.add(scope);
    }
  }
  if (group.scoping !== 'per_scope' && active(recent.aggregate)) scopes.add('tenant');
  return scopes;
};

const contextFor = (
  group: SignalGroup,
  scope: string,
  series: Series,
  history: HistorySnapshot,
  t: DetectionThresholds,
): RuleContext => {
  const past = history.groups.get(group.signal);
  const aggregate = isTenantAggregate(group, scope);
  const perWindow = aggregate ? past?.aggregateWindowFailures : past?.windowFailures.get(scope);
  const pastSuccesses = (aggregate ? past?.aggregateSuccesses : past?.successes.get(scope)) ?? 0;
  return {
    baseline: baselineOf(history, perWindow, t),
    succeeded: pastSuccesses + totalOf(series.successes) > 0,
  };
};

const onsetOf = (
  group: SignalGroup,
  series: Series,
  recent: RecentCounts,
  context: RuleContext,
  t: DetectionThresholds,
): number | undefined => {
  const last = recent.length - 1;
  let earliest: number | undefined;
  for (let end = last; end >= t.windowMinutes - 1; end--) {
    if (!levelOf(group, statsAt(series, end, t), context, t)) break;
    earliest = end;
  }
  if (earliest === undefined) return undefined;
  const from = Math.max(0, earliest - t.windowMinutes + 1);
  for (let i = from; i <= earliest; i++) {
    if ((series.failures[i] ?? 0) > 0) return recent.start + i;
  }
  return recent.start + from;
};

export const assessGroup = (
  group: SignalGroup,
  recent: RecentCounts,
  history: HistorySnapshot,
  openScopes: readonly string[],
  t: DetectionThresholds,
): Finding[] => {
  const findings: Finding[] = [];
  const last = recent.length - 1;
  for (const scope of candidateScopes(group, recent, openScopes)) {
    const series = isTenantAggregate(group, scope)
      ? recent.aggregate
      : (recent.byScope.get(scope) ?? zeroSeries(recent.length));
    const context = contextFor(group, scope, series, history, t);
    const stats = statsAt(series, last, t);
    const assessment = levelOf(group, stats, context, t);
    let quiet = assessment === undefined;
    for (let end = last - t.quietMinutes + 1; quiet && end < last; end++) {
      quiet = isQuiet(group, statsAt(series, end, t), context, t);
    }
    quiet = quiet && isQuiet(group, stats, context, t);
    const onsetMinute = assessment ? onsetOf(group, series, recent, context, t) : undefined;
    findings.push({ group, scope, stats, assessment, context, onsetMinute, quiet });
  }
  return findings;
};
