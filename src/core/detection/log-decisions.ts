import type { Evidence, Suspect } from './model.js';
import type { Severity } from '../incidents/model.js';
import type { LogStore, StoredLogEvent } from '../logs/ports.js';
import type { Finding, Firing } from './assess.js';
import { correlate, type CorrelatedChange } from './correlation.js';
import { baselineFrom, logQueryOf, onsetOf, readCurve } from './curve.js';
import { onlyExpected, singleSourceIp, suspectsOf, topLists } from './evidence.js';
import { knownRotations, type KeyRotation } from './key-events.js';
import { MINUTE_MS, minuteIndex, minuteStart } from './minutes.js';
import { TOKEN_SIGNALS, type RelatedReader } from './rules.js';
import type { DetectionThresholds } from './thresholds.js';
import { logSignalTitle } from './titles.js';

/** Tenant changes read per decision: newest first, so a flood of changes loses the oldest. */
const CHANGES_LIMIT = 200;

export interface DraftContext {
  readonly logs: Pick<LogStore, 'recent' | 'counts'>;
  readonly t: DetectionThresholds;
  /** The first minute the history shows the bot watching (baseline.ts); for "baseline from". */
  readonly observedSince?: number;
  readonly now: Date;
  readonly currentMinute: number;
  readonly rememberedRotations: readonly KeyRotation[];
}

/** A firing finding with its evidence, before it becomes an open or update decision. */
export interface Draft {
  readonly finding: Firing;
  /** The incident scope when a family's refiner moves it off the finding's (refinement.ts). */
  readonly scope?: string;
  /** The sampled failures of the window the evidence was built from. */
  readonly events: readonly StoredLogEvent[];
  readonly severity: Severity;
  readonly title: string;
  readonly evidence: Evidence;
  readonly correlated: CorrelatedChange | undefined;
  readonly clientName: string | null;
}

/** Onset: when the open incident opened, else the estimate from the counts. */
const onsetMinuteOf = (finding: Finding, openedAt: string | undefined, currentMinute: number): number => {
  if (openedAt !== undefined && !Number.isNaN(Date.parse(openedAt))) return minuteIndex(openedAt);
  return finding.onsetMinute ?? currentMinute;
};

/**
 * Tenant changes from `lookback` (the longer of suspects' and correlation's) before onset on. A
 * change that weakened security (`security_change`) is a tenant change too.
 */
export const readChanges = (ctx: DraftContext, onsetMinute: number): StoredLogEvent[] => {
  const back = Math.max(ctx.t.suspectLookbackMinutes, ctx.t.correlationMinutes);
  return ctx.logs.recent({
    signals: ['tenant_change', 'security_change'],
    since: minuteStart(onsetMinute - back),
    limit: CHANGES_LIMIT,
  });
};

const RANK: Readonly<Record<Severity, number>> = { info: 0, low: 1, medium: 2, high: 3 };

/** Related events read for a group's notes: at most this many. */
const RELATED_LIMIT = 50;

const relatedReader =
  (ctx: DraftContext, onsetMinute: number): RelatedReader =>
  (signals, scope) =>
    ctx.logs.recent({
      signals,
      ...(scope === undefined ? {} : { scope }),
      since: minuteStart(onsetMinute - ctx.t.suspectLookbackMinutes),
      limit: RELATED_LIMIT,
    });

const summaryOf = (
  finding: Finding,
  capped: boolean,
  ownEvents: number,
  t: DetectionThresholds,
  groupNotes: readonly string[],
): string | undefined => {
  const notes: string[] = [...groupNotes];
  if (ownEvents > 0) {
    notes.push(
      `auth0-oncall itself caused ${ownEvents} of these events (its own API calls and test token requests); ` +
        "they are left out of the numbers, and it waits for Auth0's rate-limit reset before calling again.",
    );
  }
  if (finding.group.rule === 'rate_limit') {
    notes.push(
      `api_limit in ${finding.stats.activeMinutes} of the last ${t.rateLimitSustainedOfMinutes} minutes; ` +
        `${finding.stats.extra} api_limit_warning in ${t.windowMinutes} min`,
    );
  }
  if (finding.group.rule === 'm2m') {
    notes.push(
      finding.context.succeeded
        ? 'The client was getting tokens successfully before.'
        : `No successful token request from this client in the last ${Math.round(t.baselineHistoryMinutes / 60)} h.`,
    );
  }
  if (capped) notes.push("Capped at medium: the only recent tenant changes are the bot's own (expected).");
  return notes.length > 0 ? notes.join(' ') : undefined;
};

const attackSource = (finding: Firing, events: readonly StoredLogEvent[], t: DetectionThresholds) => {
  if (finding.group.signal !== 'attack_protection') return undefined;
  if (finding.scope.startsWith('ip:')) return finding.scope.slice('ip:'.length);
  return singleSourceIp(events, t.singleSourceShare);
};

/** The failures of the current window, sampled for the top lists. */
const sampleOf = (finding: Firing, ctx: DraftContext): StoredLogEvent[] => {
  const aggregate = finding.scope === 'tenant' && finding.group.scoping !== 'per_scope';
  return ctx.logs.recent({
    signals: finding.group.failures,
    ...(aggregate ? {} : { scope: finding.scope }),
    since: minuteStart(ctx.currentMinute - ctx.t.windowMinutes + 1),
    limit: ctx.t.evidenceSampleLimit,
  });
};

interface EvidenceParts {
  readonly events: readonly StoredLogEvent[];
  /** The first failing minute of this episode (assess.ts), or the current minute. */
  readonly onsetMinute: number;
  readonly suspects: readonly Suspect[];
  readonly correlated: CorrelatedChange | undefined;
  readonly source: string | undefined;
  readonly summary: string | undefined;
}

/** Onset, the last hour and the log query of the card (curve.ts). */
const shapeOf = (finding: Firing, parts: EvidenceParts, ctx: DraftContext) => {
  const { group, scope, context } = finding;
  const aggregate = scope === 'tenant' && group.scoping !== 'per_scope';
  const of = { signals: group.failures, scope: aggregate ? undefined : scope };
  const curve = readCurve(ctx.logs, of, ctx.currentMinute, ctx.now);
  // Without history, watching began with the first count of the last hour (or now).
  const firstCounted = curve.counts.findIndex((c) => c > 0);
  const watchedSince =
    ctx.observedSince ??
    (firstCounted < 0
      ? ctx.currentMinute
      : ctx.currentMinute -
        curve.counts.length * curve.bucketMinutes +
        1 +
        firstCounted * curve.bucketMinutes);
  return {
    onset: onsetOf(ctx.logs, of, {
      onsetMinute: parts.onsetMinute,
      currentMinute: ctx.currentMinute,
      baseline: context.baseline,
    }),
    curve,
    ...(context.baseline === undefined ? { baselineFrom: baselineFrom(watchedSince, ctx.t) } : {}),
    logQuery: logQueryOf(scope, parts.events, parts.source),
  };
};

const evidenceOf = (finding: Firing, parts: EvidenceParts, ctx: DraftContext): Evidence => {
  const { t } = ctx;
  const { stats, context, group } = finding;
  const hasDenominator = group.success !== undefined;
  const attempts = stats.failures + stats.successes;
  return {
    window: {
      from: minuteStart(ctx.currentMinute - t.windowMinutes + 1),
      to: ctx.now.toISOString(),
      minutes: t.windowMinutes,
    },
    failures: stats.failures,
    ...(hasDenominator ? { successes: stats.successes } : {}),
    ...(hasDenominator && attempts > 0 ? { ratio: stats.failures / attempts } : {}),
    rate: stats.failures / t.windowMinutes,
    ...(context.baseline === undefined ? {} : { baseline: context.baseline }),
    ...topLists(parts.events, t),
    suspects: parts.suspects,
    ...(parts.correlated ? { correlation: parts.correlated.correlation } : {}),
    ...(parts.source === undefined ? {} : { singleSourceIp: parts.source }),
    ...(parts.summary === undefined ? {} : { summary: parts.summary }),
    ...shapeOf(finding, parts, ctx),
  };
};

export const draftDecision = (finding: Firing, openedAt: string | undefined, ctx: DraftContext): Draft => {
  const { t } = ctx;
  const { group, scope, assessment } = finding;
  const onset = onsetMinuteOf(finding, openedAt, ctx.currentMinute);
  const sampled = sampleOf(finding, ctx);
  const events = sampled.filter((e) => !e.own);
  const changes = readChanges(ctx, onset);
  const rotations = knownRotations(ctx.rememberedRotations, changes, t.correlationMinutes);
  const suspects = suspectsOf(changes, rotations, (onset - t.suspectLookbackMinutes) * MINUTE_MS, t, scope);
  // Only logged reasons count: an entry without one neither fits nor contradicts a cause.
  const reasons =
    topLists(
      events.filter((e) => e.reason !== null),
      t,
    ).topReasons ?? [];
  const correlated = TOKEN_SIGNALS.has(group.signal)
    ? correlate(scope, onset, changes, rotations, t.correlationMinutes, reasons)
    : undefined;
  const source = attackSource(finding, events, t);
  const clientName = events.find((e) => e.clientName)?.clientName ?? null;
  const distinctIps = new Set(events.map((e) => e.ip).filter((ip) => ip !== null)).size;
  const input = {
    ...finding,
    signal: group.signal,
    clientName,
    singleSourceIp: source,
    distinctIps,
    correlated,
    events,
  };
  const read = group.severity?.(input, t);
  const severity = read !== undefined && RANK[read] > RANK[assessment.severity] ? read : assessment.severity;
  const capped = severity === 'high' && onlyExpected(suspects);
  const notes = group.notes?.(input, relatedReader(ctx, onset), t) ?? [];
  const summary = summaryOf(finding, capped, sampled.length - events.length, t, notes);
  const onsetMinute = finding.onsetMinute ?? ctx.currentMinute;
  const evidence = evidenceOf(finding, { events, onsetMinute, suspects, correlated, source, summary }, ctx);
  const title = logSignalTitle(group, input, t);
  return {
    finding,
    events,
    severity: capped ? 'medium' : severity,
    title,
    evidence,
    correlated,
    clientName,
  };
};
