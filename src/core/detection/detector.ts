import type { Decision, TopItem } from './model.js';
import type { HealthEvent } from '../events/health-events.js';
import type { Severity } from '../incidents/model.js';
import type { LogStore } from '../logs/ports.js';
import type { WatcherEvent } from '../watchers/model.js';
import { assessGroup, isFiring, recentSpan, type Finding, type Firing } from './assess.js';
import { extendHistory, historyBoundary, readHistory, type HistorySnapshot } from './baseline.js';
import { recover } from './decision-builders.js';
import { truncate } from './evidence.js';
import { absorbedByScope } from './grouping.js';
import { healthDecisions } from './health-decisions.js';
import { createKeyEventMemory, isSigningKeyRotation, type KeyEventMemory } from './key-events.js';
import { draftDecision, readChanges, type Draft, type DraftContext } from './log-decisions.js';
import { MINUTE_MS, minuteIndex } from './minutes.js';
import { LOG_DIGESTS, REFINERS, SIGNAL_GROUPS, SUPERSEDES } from './groups.js';
import { TOKEN_SIGNALS, type SignalGroup } from './rules.js';
import { countsKey, readRecent, type RecentCounts } from './series.js';
import { resolveThresholds, type DetectionThresholds } from './thresholds.js';
import { recoveryReason, rotationFollowedTitle } from './titles.js';
import { watcherDecisions } from './watcher-decisions.js';

/**
 * The detector. Pure apart from one bounded memory (watcher key events, key-events.ts)
 * and a cache of the baseline history (baseline.ts); every decision is re-derived from the stored
 * per-minute counts, so a restarted detector reaches the same decisions.
 *
 * For each log signal (rules.ts, thresholds.ts for the numbers), over the window ending now:
 * - failed logins, web token failures: ratio > 25% medium, > 50% high (exactly 25% filtered), with
 *   at least 20 attempts; or a rate > 5× the baseline with at least 10 failures: at least medium.
 *   Logins are judged per connection; the tenant as a whole opens only when no connection fires.
 * - M2M token failures, per client: ≥ 5 for a client with successes in the last day: high; a
 *   client that never succeeded: ≥ 20 is medium.
 * - rate limits, per bucket (the Management API, the Authentication API, one IP's bucket): any
 *   `api_limit` medium; in ≥ 3 of the last 5 minutes high; warnings are evidence only.
 * - attack protection, per IP and for the tenant (like logins): ≥ 10 medium, ≥ 50 high, or above
 *   5× its baseline; the single source IP is noted at ≥ 80% of the volume.
 * - Actions failures (no denominator is logged): ≥ 20 medium, ≥ 100 high, or above 5× baseline.
 * - The families' groups (families/*.ts, docs/detections.md), with their own titles and notes; a
 *   group that `supersedes` another on the same scope keeps it from opening a second card there.
 *   Daily digests (`LOG_DIGESTS`) decide after the groups.
 * Then: high is capped at medium when every suspect is the bot's own change; token failures
 * correlated with a rotation fold into an open signing-key incident (raised to high). An open
 * incident recovers when every window ending in the last 15 minutes is quiet (below the
 * hysteresis bounds: ratio < 20%, rate ≤ 3× baseline, counts below their thresholds).
 */

/** An unresolved incident as detection needs it; an `Incident` fits as it is. */
interface OpenIncidentRef {
  readonly signal: string;
  readonly scope: string;
  readonly severity: Severity;
  /** When it opened: anchors suspects and correlation to the real onset. Estimated when absent. */
  readonly openedAt?: string;
}

export interface DetectorDeps {
  /** `newestDate`, when given, tells a history read before its data had all arrived (see historyAt). */
  readonly logs: Pick<LogStore, 'counts' | 'eachCount' | 'recent'> & Partial<Pick<LogStore, 'newestDate'>>;
  /** Overrides of `DEFAULT_THRESHOLDS`; invalid or inconsistent values throw `config_invalid`. */
  readonly thresholds?: Partial<DetectionThresholds>;
  readonly now: () => Date;
}

export interface Detector {
  /** After each ingest and on a timer: open, update and recover decisions for the log signals. */
  evaluate(open: ReadonlyArray<OpenIncidentRef>): Decision[];
  onWatcherEvents(events: readonly WatcherEvent[]): Decision[];
  onHealthEvent(event: HealthEvent): Decision[];
}

const keyOf = (signal: string, scope: string): string => `${signal}\u0000${scope}`;

const RANK: Readonly<Record<Severity, number>> = { info: 0, low: 1, medium: 2, high: 3 };

/**
 * Firing findings worth a decision. The tenant as a whole (logins, attack protection) opens only
 * when no single connection or IP fires, nor an open card on one is the bulk of it (grouping.ts),
 * so one problem is one incident; once open it is updated.
 */
const firingOf = (findings: readonly Finding[], open: ReadonlyMap<string, OpenIncidentRef>): Firing[] =>
  findings.filter(isFiring).filter((f) => {
    if (f.scope !== 'tenant' || f.group.scoping !== 'per_scope_and_tenant') return true;
    if (open.has(keyOf(f.group.signal, f.scope))) return true;
    if (absorbedByScope(f, findings, (signal, scope) => open.has(keyOf(signal, scope)))) return false;
    return !findings.some((g) => g !== f && g.group === f.group && g.assessment !== undefined);
  });

/** A refined group counted tenant-wide: its incidents may sit on other scopes (refinement.ts). */
const movesScope = (group: SignalGroup): boolean =>
  group.scoping === 'tenant' && REFINERS[group.signal] !== undefined;

/** Drops the `open` decisions another decision of the same evaluation already covers. */
const superseded = (decisions: readonly Decision[], open: readonly OpenIncidentRef[]): Decision[] =>
  decisions.filter(
    (d) =>
      d.kind !== 'open' ||
      !(
        decisions.some((c) => c !== d && c.kind !== 'recover' && SUPERSEDES.some((rule) => rule(c, d))) ||
        open.some((o) => SUPERSEDES.some((rule) => rule(o, d)))
      ),
  );

/**
 * Token failures fold into the open signing-key incident only when the rotation is their cause by
 * evidence (correlation.ts: their reasons are unknown signatures or key IDs). Failures of another
 * kind — a wrong client secret — keep their own card, whatever else is open.
 */
const foldable = (draft: Draft): boolean =>
  TOKEN_SIGNALS.has(draft.finding.group.signal) &&
  draft.correlated?.correlation.kind === 'signing_key_rotation';

/**
 * The group that supersedes `f` on its scope (firing or open there), if one does. Never on `tenant`:
 * for a per-scope group that is "no connection named", for the superseded one the whole tenant.
 */
const supersederOf = (
  f: Finding,
  firing: readonly Firing[],
  open: ReadonlyMap<string, OpenIncidentRef>,
): SignalGroup | undefined =>
  f.scope === 'tenant'
    ? undefined
    : SIGNAL_GROUPS.find(
        (g) =>
          g.supersedes?.includes(f.group.signal) === true &&
          (open.has(keyOf(g.signal, f.scope)) || firing.some((x) => x.group === g && x.scope === f.scope)),
      );

/** Token failures after a rotation raise the open signing-key incident instead of opening their own. */
const raiseSigningKey = (primary: Draft, others: readonly Draft[], t: DetectionThresholds): Decision => {
  const ordered = [primary, ...others];
  const name = (d: Draft) => d.clientName ?? d.finding.scope.replace(/^client:/, '');
  const topClients: TopItem[] = ordered
    .slice(0, t.topN)
    .map((d) => ({ value: truncate(name(d), t.topValueLength), count: d.finding.stats.failures }));
  const severity = ordered.reduce<Severity>((s, d) => (RANK[d.severity] > RANK[s] ? d.severity : s), 'info');
  return {
    kind: 'update',
    signal: 'signing_key',
    scope: 'tenant',
    severity,
    title: rotationFollowedTitle(ordered.map(name)),
    evidence: { ...primary.evidence, topClients },
  };
};

export const createDetector = (deps: DetectorDeps): Detector => {
  const t = resolveThresholds(deps.thresholds ?? {});
  const keys: KeyEventMemory = createKeyEventMemory(deps.now);
  // Recomputed whenever the aligned history boundary moves; see baseline.ts.
  let history: HistorySnapshot | undefined;
  /** The snapshot was read before the store held any event past its boundary: it may be partial. */
  let partial = true;
  /** The store's newest event when the snapshot was read (ms), while it was partial. */
  let readUpTo: number | undefined;

  const historyAt = (currentMinute: number): HistorySnapshot => {
    const boundary = historyBoundary(currentMinute, t);
    // Read whole when the boundary moves. While the history may still be filling (a backlog
    // drained or pushed oldest first), the minutes that have since completed are added, so the
    // baseline is the real one at once, not one that counts the minutes still on their way as
    // zeros until the next boundary. Minutes are added once per window of newly arrived history
    // (the baseline is per window) and once more when the backlog reaches the boundary; the minute
    // of the newest event may still be arriving, so it waits for the next read.
    const newest = partial || history?.boundary !== boundary ? deps.logs.newestDate?.() : undefined;
    const newestMs = newest === undefined ? undefined : Date.parse(newest);
    const caughtUp = newestMs !== undefined && newestMs >= boundary * MINUTE_MS;
    const through = newestMs === undefined || caughtUp ? boundary - 1 : Math.floor(newestMs / MINUTE_MS) - 1;
    if (history?.boundary !== boundary || history.observedSince === undefined) {
      history = readHistory(deps.logs, SIGNAL_GROUPS, boundary, t, through);
    } else if (
      partial &&
      (caughtUp ||
        (newestMs !== undefined &&
          (readUpTo === undefined || newestMs - readUpTo >= t.windowMinutes * 60_000)))
    ) {
      history = extendHistory(deps.logs, SIGNAL_GROUPS, history, through, t);
    } else return history;
    partial = !caughtUp;
    readUpTo = newestMs;
    return history;
  };

  /** The last key event (watcher or log) is at least `correlationMinutes` old. */
  const keysSettled = (ctx: DraftContext): boolean => {
    const logged = readChanges(ctx, ctx.currentMinute)
      .filter(isSigningKeyRotation)
      .map((e) => Date.parse(e.date));
    const latest = Math.max(keys.latestEventAt() ?? -Infinity, ...logged);
    return ctx.now.getTime() - latest >= t.correlationMinutes * MINUTE_MS;
  };

  const signingKeyDecisions = (
    signingKey: OpenIncidentRef | undefined,
    folded: readonly Draft[],
    findings: readonly Finding[],
    ctx: DraftContext,
  ): Decision[] => {
    if (!signingKey) return [];
    const [primary, ...others] = [...folded].sort(
      (a, b) => b.finding.stats.failures - a.finding.stats.failures,
    );
    if (primary) return [raiseSigningKey(primary, others, t)];
    const tokens = findings.filter((f) => TOKEN_SIGNALS.has(f.group.signal));
    if (tokens.some((f) => f.assessment !== undefined || !f.quiet) || !keysSettled(ctx)) return [];
    const reason =
      signingKey.severity === 'info'
        ? `no token failures within ${t.correlationMinutes} min of the key change`
        : `token failures below threshold for ${t.quietMinutes} min`;
    return [recover('signing_key', 'tenant', reason)];
  };

  const evaluate = (open: ReadonlyArray<OpenIncidentRef>): Decision[] => {
    const now = deps.now();
    const currentMinute = minuteIndex(now);
    const snapshot = historyAt(currentMinute);
    const openByKey = new Map(open.map((o) => [keyOf(o.signal, o.scope), o]));
    const start = currentMinute - recentSpan(t) + 1;
    const read = new Map<string, RecentCounts>();
    const findings = SIGNAL_GROUPS.flatMap((group) => {
      const scopes = open.filter((o) => o.signal === group.signal).map((o) => o.scope);
      const judged = movesScope(group) ? scopes.slice(0, 1).map(() => 'tenant') : scopes;
      const recent = read.get(countsKey(group)) ?? readRecent(deps.logs, group, start, currentMinute);
      read.set(countsKey(group), recent);
      return assessGroup(group, recent, snapshot, judged, t);
    });
    const ctx: DraftContext = {
      logs: deps.logs,
      t,
      now,
      currentMinute,
      rememberedRotations: keys.rotations(),
      ...(snapshot.observedSince === undefined ? {} : { observedSince: snapshot.observedSince }),
    };
    const signingKey = openByKey.get(keyOf('signing_key', 'tenant'));
    const decisions: Decision[] = [];
    const folded: Draft[] = [];
    const firing = firingOf(findings, openByKey);
    const outdone = new Set<Finding>();
    for (const f of findings) {
      const by = supersederOf(f, firing, openByKey);
      if (!by) continue;
      outdone.add(f);
      if (openByKey.has(keyOf(f.group.signal, f.scope))) {
        decisions.push(recover(f.group.signal, f.scope, `superseded: the ${by.signal} card covers it`));
      }
    }
    for (const finding of firing) {
      if (outdone.has(finding)) continue;
      const { signal } = finding.group;
      const refiner = REFINERS[signal];
      const first = draftDecision(finding, openByKey.get(keyOf(signal, finding.scope))?.openedAt, ctx);
      const draft = refiner
        ? refiner(
            first,
            ctx,
            open.filter((o) => o.signal === signal),
          )
        : first;
      if (!draft) continue;
      const scope = draft.scope ?? finding.scope;
      const existing = openByKey.get(keyOf(signal, scope));
      if (!existing && signingKey && foldable(draft)) {
        folded.push(draft);
        continue;
      }
      const { severity, title, evidence } = draft;
      decisions.push({ kind: existing ? 'update' : 'open', signal, scope, severity, title, evidence });
    }
    for (const f of findings) {
      if (outdone.has(f) || f.group.recoveredBy === 'watcher') continue;
      if (f.assessment || !f.quiet) continue;
      const scopes = movesScope(f.group)
        ? open.filter((o) => o.signal === f.group.signal).map((o) => o.scope)
        : [f.scope].filter((scope) => openByKey.has(keyOf(f.group.signal, scope)));
      for (const scope of scopes) decisions.push(recover(f.group.signal, scope, recoveryReason(f.group, t)));
    }
    decisions.push(...signingKeyDecisions(signingKey, folded, findings, ctx));
    for (const digest of LOG_DIGESTS) decisions.push(...digest({ logs: deps.logs, now, open, t }));
    return superseded(decisions, open);
  };

  return {
    evaluate,
    onWatcherEvents(events) {
      keys.remember(events);
      return watcherDecisions(events);
    },
    onHealthEvent: healthDecisions,
  };
};
