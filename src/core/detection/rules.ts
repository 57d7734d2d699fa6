import type { Decision, DetectionSignal } from './model.js';
import type { Severity } from '../incidents/model.js';
import type { LogSignal } from '../logs/classification.js';
import type { LogStore, StoredLogEvent } from '../logs/ports.js';
import type { DetectionThresholds } from './thresholds.js';
import type { CorrelatedChange } from './correlation.js';

/**
 * The log-derived signals detection watches and the rule each one is judged by. A rule looks at one
 * window's numbers and says how bad it is (`levelOf`) or whether it is quiet enough to recover
 * (`isQuiet`, deliberately stricter than "not firing": that gap is the hysteresis).
 */

/** Every detection signal judged from the stored log counts (the rest come from watchers and health). */
export type LogDetectionSignal = Exclude<
  DetectionSignal,
  'signing_key' | 'certificate' | 'credential_expiry' | 'auth0_unreachable' | 'rotation_failed'
>;

/** What a card title (and a group's severity and notes) is made from. */
export interface TitleInput {
  readonly signal: LogDetectionSignal;
  readonly scope: string;
  readonly assessment: Assessment;
  readonly stats: WindowStats;
  readonly context: RuleContext;
  readonly clientName: string | null;
  readonly singleSourceIp: string | undefined;
  readonly distinctIps: number;
  readonly correlated: CorrelatedChange | undefined;
  /** The window's failures as sampled for the evidence (bounded by `evidenceSampleLimit`). */
  readonly events: readonly StoredLogEvent[];
}

type RuleKind = 'ratio' | 'm2m' | 'rate_limit' | 'attack' | 'actions' | 'count' | 'custom';

/**
 * The `custom` rule: a family's own level and quiet test over the window's numbers (e.g. MFA abuse,
 * judged by the mix of sends, rejections and rate limits in `WindowStats.bySignal`).
 */
export interface Judge {
  level(s: WindowStats, ctx: RuleContext, t: DetectionThresholds): Assessment | undefined;
  quiet(s: WindowStats, ctx: RuleContext, t: DetectionThresholds): boolean;
}

/**
 * The `count` rule's levels: the failures in the window from which each severity applies (the
 * highest reached wins). `{ high: 1 }` is "one event is enough". Below the lowest level the
 * baseline rule (above `baselineMultiple` × the usual rate) still makes it `baseline`'s severity.
 */
interface CountLevels {
  readonly low?: number;
  readonly medium?: number;
  readonly high?: number;
  /** The severity of a surge above the baseline that reaches no level; absent: no baseline rule. */
  readonly baseline?: Severity;
  /** One `extra` event in the window (a connector going offline) is enough for this severity. */
  readonly onExtra?: Severity;
  /**
   * With a `success` signal: the levels count only while failures are above `ratioMedium` of the
   * attempts, so a busy scope's usual failures never reach them.
   */
  readonly guardRatio?: boolean;
}

/**
 * How stored scopes become incident scopes. `per_scope_and_tenant`: each stored scope on its own
 * (a connection, an IP), plus the tenant as a whole (every scope summed, including entries with
 * no connection or IP) which opens only when no single scope fires — so one problem is one incident.
 */
type Scoping = 'per_scope' | 'per_scope_and_tenant' | 'tenant';

export interface SignalGroup {
  readonly signal: LogDetectionSignal;
  /** The log signals counted as this group's failures (the numerator). */
  readonly failures: readonly LogSignal[];
  /** The denominator's successes, where one exists. */
  readonly success?: LogSignal;
  /** Counted for the evidence only (rate-limit warnings), or as decisive by `levels.onExtra`. */
  readonly extra?: LogSignal;
  readonly rule: RuleKind;
  readonly scoping: Scoping;
  /** The `count` rule's levels (required for it, ignored by the others). */
  readonly levels?: CountLevels;
  /** The `custom` rule's judge (required for it, ignored by the others). */
  readonly judge?: Judge;
  /** The card title; groups without one use `logSignalTitle`'s built-in titles. */
  readonly title?: (input: TitleInput, t: DetectionThresholds) => string;
  /** Why its incident is over, for the thread; groups without one use `recoveryReason`. */
  readonly recovery?: (t: DetectionThresholds) => string;
  /**
   * Signals this group stands for on the same scope: while it fires or is open there, they open
   * no card of their own, and one already open is resolved pointing to this one (one problem, one card).
   */
  readonly supersedes?: readonly LogDetectionSignal[];
  /** `watcher`: quiet logs never resolve its incidents; the watcher's recovery (or a person) does. */
  readonly recoveredBy?: 'watcher';
  /** A severity read from the sampled failures, used when above the rule's (an MFA channel failing). */
  readonly severity?: (input: TitleInput, t: DetectionThresholds) => Severity | undefined;
  /** Lines for the card's summary from the sampled failures and related events read with `related`. */
  readonly notes?: (input: TitleInput, related: RelatedReader, t: DetectionThresholds) => readonly string[];
}

/** Events of `signals` (on `scope` when given) from the suspects' lookback before onset on, newest first. */
export type RelatedReader = (signals: readonly LogSignal[], scope?: string) => readonly StoredLogEvent[];

/** An incident detection holds open, as a digest sees it. */
interface OpenRef {
  readonly signal: string;
  readonly scope: string;
}

/**
 * Decisions not made by a sliding-window rule (a daily digest): each evaluation gets the stored
 * logs, the time and the open incidents, and returns its open, update and recover decisions.
 */
export type LogDigest = (input: {
  readonly logs: Pick<LogStore, 'counts' | 'recent'>;
  readonly now: Date;
  readonly open: readonly OpenRef[];
  readonly t: DetectionThresholds;
}) => Decision[];

/** The groups built into the detector; `groups.ts` adds the families. */
export const CORE_GROUPS: readonly SignalGroup[] = [
  {
    signal: 'failed_logins',
    failures: ['login_failure', 'connector_failure'],
    success: 'login_success',
    rule: 'ratio',
    scoping: 'per_scope_and_tenant',
  },
  {
    signal: 'm2m_token_failures',
    failures: ['m2m_token_failure'],
    success: 'm2m_token_success',
    rule: 'm2m',
    scoping: 'per_scope',
  },
  {
    signal: 'web_token_failures',
    failures: ['web_token_failure'],
    success: 'web_token_success',
    rule: 'ratio',
    scoping: 'per_scope',
  },
  {
    // Per bucket (rate-limit-bucket.ts): the Management API, the Authentication API as a whole, or
    // one IP's Authentication API bucket are different problems with different runbooks.
    signal: 'rate_limit',
    failures: ['rate_limit'],
    extra: 'rate_limit_warning',
    rule: 'rate_limit',
    scoping: 'per_scope',
  },
  {
    signal: 'attack_protection',
    failures: ['attack_protection'],
    rule: 'attack',
    scoping: 'per_scope_and_tenant',
  },
  // Actions failures live with the outages family (families/outages.ts), which names what failed.
];

export const TOKEN_SIGNALS: ReadonlySet<DetectionSignal> = new Set([
  'm2m_token_failures',
  'web_token_failures',
]);

export interface WindowStats {
  readonly failures: number;
  readonly successes: number;
  readonly extra: number;
  /** Minutes with failures among the last `rateLimitSustainedOfMinutes` ending with the window. */
  readonly activeMinutes: number;
  /** The window's count of each of the group's log signals (failures, success and extra). */
  readonly bySignal: Readonly<Partial<Record<LogSignal, number>>>;
}

export interface RuleContext {
  /** Usual failures per minute for this signal and scope; undefined without enough history. */
  readonly baseline: number | undefined;
  /** The scope had successes in the history or the recent minutes (M2M: "was succeeding"). */
  readonly succeeded: boolean;
}

/** Which rule fired: titles say it. */
type Basis = 'ratio' | 'baseline' | 'burst' | 'volume' | 'sustained' | 'any';

export interface Assessment {
  readonly severity: Severity;
  readonly basis: Basis;
}

export const ratioOf = (s: WindowStats): number | undefined => {
  const attempts = s.failures + s.successes;
  return attempts === 0 ? undefined : s.failures / attempts;
};

const rateOf = (s: WindowStats, t: DetectionThresholds): number => s.failures / t.windowMinutes;

/** The baseline rule: enough failures, and a rate above `multiple` × the usual rate. */
const surges = (s: WindowStats, ctx: RuleContext, t: DetectionThresholds, multiple: number): boolean =>
  ctx.baseline !== undefined && s.failures >= t.baselineMinFailures && rateOf(s, t) > multiple * ctx.baseline;

const ratioLevel = (s: WindowStats, ctx: RuleContext, t: DetectionThresholds): Assessment | undefined => {
  const ratio = ratioOf(s);
  if (ratio !== undefined && s.failures + s.successes >= t.minVolume) {
    if (ratio > t.ratioHigh) return { severity: 'high', basis: 'ratio' };
    if (ratio > t.ratioMedium) return { severity: 'medium', basis: 'ratio' };
  }
  return surges(s, ctx, t, t.baselineMultiple) ? { severity: 'medium', basis: 'baseline' } : undefined;
};

const m2mLevel = (s: WindowStats, ctx: RuleContext, t: DetectionThresholds): Assessment | undefined => {
  if (ctx.succeeded) return s.failures >= t.m2mMinFailures ? { severity: 'high', basis: 'burst' } : undefined;
  // A client that never succeeded is misconfigured or probed, not broken by a change: medium at most.
  return s.failures >= t.minVolume ? { severity: 'medium', basis: 'volume' } : undefined;
};

const rateLimitLevel = (s: WindowStats, t: DetectionThresholds): Assessment | undefined => {
  if (s.activeMinutes >= t.rateLimitSustainedMinutes) return { severity: 'high', basis: 'sustained' };
  return s.failures > 0 ? { severity: 'medium', basis: 'any' } : undefined;
};

const volumeLevel = (
  s: WindowStats,
  ctx: RuleContext,
  t: DetectionThresholds,
  floor: number,
  high: number,
): Assessment | undefined => {
  if (s.failures >= high) return { severity: 'high', basis: 'volume' };
  if (s.failures >= floor) return { severity: 'medium', basis: 'volume' };
  return surges(s, ctx, t, t.baselineMultiple) ? { severity: 'medium', basis: 'baseline' } : undefined;
};

const RANK: Readonly<Record<Severity, number>> = { info: 0, low: 1, medium: 2, high: 3 };

const countVolume = (
  s: WindowStats,
  ctx: RuleContext,
  t: DetectionThresholds,
  levels: CountLevels | undefined,
): Assessment | undefined => {
  if (levels?.guardRatio === true && (ratioOf(s) ?? 0) <= t.ratioMedium) return undefined;
  if (levels?.high !== undefined && s.failures >= levels.high) return { severity: 'high', basis: 'volume' };
  if (levels?.medium !== undefined && s.failures >= levels.medium)
    return { severity: 'medium', basis: 'volume' };
  if (levels?.low !== undefined && s.failures >= levels.low) return { severity: 'low', basis: 'volume' };
  if (levels?.baseline !== undefined && surges(s, ctx, t, t.baselineMultiple)) {
    return { severity: levels.baseline, basis: 'baseline' };
  }
  return undefined;
};

const countLevel = (
  s: WindowStats,
  ctx: RuleContext,
  t: DetectionThresholds,
  levels: CountLevels | undefined,
): Assessment | undefined => {
  const volume = countVolume(s, ctx, t, levels);
  if (levels?.onExtra === undefined || s.extra === 0) return volume;
  return volume && RANK[volume.severity] >= RANK[levels.onExtra]
    ? volume
    : { severity: levels.onExtra, basis: 'any' };
};

/** The lowest count at which a `count` group fires; below it (and calm) it is quiet. */
const countFloor = (levels: CountLevels | undefined): number =>
  Math.min(levels?.low ?? Infinity, levels?.medium ?? Infinity, levels?.high ?? Infinity);

export const levelOf = (
  group: Pick<SignalGroup, 'rule' | 'levels' | 'judge'>,
  s: WindowStats,
  ctx: RuleContext,
  t: DetectionThresholds,
): Assessment | undefined => {
  switch (group.rule) {
    case 'ratio':
      return ratioLevel(s, ctx, t);
    case 'm2m':
      return m2mLevel(s, ctx, t);
    case 'rate_limit':
      return rateLimitLevel(s, t);
    case 'attack':
      return volumeLevel(s, ctx, t, t.attackProtectionFloor, t.attackProtectionHigh);
    case 'actions':
      return volumeLevel(s, ctx, t, t.actionsFailureFloor, t.actionsFailureHigh);
    case 'count':
      return countLevel(s, ctx, t, group.levels);
    case 'custom':
      return group.judge?.level(s, ctx, t);
  }
};

/** Quiet enough to count towards recovery: below the lower (hysteresis) bounds. */
export const isQuiet = (
  group: Pick<SignalGroup, 'rule' | 'levels' | 'judge'>,
  s: WindowStats,
  ctx: RuleContext,
  t: DetectionThresholds,
): boolean => {
  const calm = !surges(s, ctx, t, t.baselineRecoveryMultiple);
  switch (group.rule) {
    case 'ratio': {
      const ratio = ratioOf(s) ?? 0;
      return calm && (s.failures + s.successes < t.minVolume || ratio < t.recoveryRatio);
    }
    case 'm2m':
      return s.failures < (ctx.succeeded ? t.m2mMinFailures : t.minVolume);
    case 'rate_limit':
      return s.failures === 0;
    case 'attack':
      return calm && s.failures < t.attackProtectionFloor;
    case 'actions':
      return calm && s.failures < t.actionsFailureFloor;
    case 'count':
      return (
        (group.levels?.baseline === undefined || calm) &&
        (group.levels?.onExtra === undefined || s.extra === 0) &&
        (s.failures < countFloor(group.levels) ||
          (group.levels?.guardRatio === true && (ratioOf(s) ?? 0) < t.recoveryRatio))
      );
    case 'custom':
      return group.judge?.quiet(s, ctx, t) ?? true;
  }
};
