import { z } from 'zod';
import { AppError } from '../../errors.js';

/**
 * Every number detection decides with. The defaults are the values README.md documents under
 * "Incidents"; the composition root may override any of them (parse with
 * `detectionThresholdsSchema`).
 */
export interface DetectionThresholds {
  /** The sliding window the rate, the ratio and the volume guards are computed over. */
  readonly windowMinutes: number;
  /** How far back the baseline looks (the current window excluded). */
  readonly baselineHistoryMinutes: number;
  /** Less observed history than this and there is no baseline (so no baseline rule). */
  readonly baselineMinHistoryMinutes: number;
  /** An open incident recovers once every window ending in this period is quiet. */
  readonly quietMinutes: number;
  /** Attempts (failures + successes) in the window before a failure ratio counts. */
  readonly minVolume: number;
  /** A ratio above this is medium; exactly this is filtered. */
  readonly ratioMedium: number;
  /** A ratio above this is high. */
  readonly ratioHigh: number;
  /** Hysteresis: a ratio signal is quiet only below this (not merely below `ratioMedium`). */
  readonly recoveryRatio: number;
  /** A rate above this multiple of the baseline is at least medium. */
  readonly baselineMultiple: number;
  /** Hysteresis for the baseline rule: quiet only at or below this multiple. */
  readonly baselineRecoveryMultiple: number;
  /** Failures in the window before the baseline rule applies (a zero baseline is common). */
  readonly baselineMinFailures: number;
  /** M2M: this many failures in the window for a client that was succeeding is a burst (high). */
  readonly m2mMinFailures: number;
  /** Rate limits: `api_limit` in at least this many of the last `rateLimitSustainedOfMinutes` is high. */
  readonly rateLimitSustainedMinutes: number;
  readonly rateLimitSustainedOfMinutes: number;
  /** Attack protection events in the window: medium at the floor, high at `attackProtectionHigh`. */
  readonly attackProtectionFloor: number;
  readonly attackProtectionHigh: number;
  /** One IP with at least this share of the sampled volume is noted as the single source. */
  readonly singleSourceShare: number;
  /** Actions failures in the window: medium at the floor, high at `actionsFailureHigh`. */
  readonly actionsFailureFloor: number;
  readonly actionsFailureHigh: number;
  /** Tenant changes this long before onset are suspects. */
  readonly suspectLookbackMinutes: number;
  /** Token failures starting this long after a key rotation or secret change are correlated. */
  readonly correlationMinutes: number;
  readonly suspectsLimit: number;
  /** Entries per top list, and the length values are cut to. */
  readonly topN: number;
  readonly topValueLength: number;
  /** Events sampled for the top lists (the log store caps a read at 1000). */
  readonly evidenceSampleLimit: number;
}

export const DEFAULT_THRESHOLDS: DetectionThresholds = {
  windowMinutes: 5,
  baselineHistoryMinutes: 24 * 60,
  baselineMinHistoryMinutes: 60,
  quietMinutes: 15,
  minVolume: 20,
  ratioMedium: 0.25,
  ratioHigh: 0.5,
  recoveryRatio: 0.2,
  baselineMultiple: 5,
  baselineRecoveryMultiple: 3,
  baselineMinFailures: 10,
  m2mMinFailures: 5,
  rateLimitSustainedMinutes: 3,
  rateLimitSustainedOfMinutes: 5,
  attackProtectionFloor: 10,
  attackProtectionHigh: 50,
  singleSourceShare: 0.8,
  actionsFailureFloor: 20,
  actionsFailureHigh: 100,
  suspectLookbackMinutes: 30,
  correlationMinutes: 30,
  suspectsLimit: 10,
  topN: 10,
  topValueLength: 100,
  evidenceSampleLimit: 1000,
};

const count = z.number().int().min(1);
const fraction = z.number().gt(0).lt(1);
const multiple = z.number().min(1);

/** Overrides: any subset, each checked on its own; `resolveThresholds` checks them together. */
export const detectionThresholdsSchema = z
  .object({
    windowMinutes: count.max(60),
    baselineHistoryMinutes: count.max(7 * 24 * 60),
    baselineMinHistoryMinutes: count,
    quietMinutes: count.max(24 * 60),
    minVolume: count,
    ratioMedium: fraction,
    ratioHigh: fraction,
    recoveryRatio: fraction,
    baselineMultiple: multiple,
    baselineRecoveryMultiple: multiple,
    baselineMinFailures: count,
    m2mMinFailures: count,
    rateLimitSustainedMinutes: count,
    rateLimitSustainedOfMinutes: count.max(60),
    attackProtectionFloor: count,
    attackProtectionHigh: count,
    singleSourceShare: z.number().gt(0.5).max(1),
    actionsFailureFloor: count,
    actionsFailureHigh: count,
    suspectLookbackMinutes: count.max(24 * 60),
    correlationMinutes: count.max(24 * 60),
    suspectsLimit: count.max(50),
    topN: count.max(50),
    topValueLength: count.max(1000),
    evidenceSampleLimit: count.max(10_000),
  })
  .partial();

type DetectionThresholdOverrides = z.infer<typeof detectionThresholdsSchema>;

const crossChecks = (t: DetectionThresholds): string[] => {
  const problems: string[] = [];
  const order = (low: keyof DetectionThresholds, high: keyof DetectionThresholds, strict: boolean) => {
    if (strict ? t[low] >= t[high] : t[low] > t[high]) {
      problems.push(`${low} (${t[low]}) must be ${strict ? 'below' : 'at most'} ${high} (${t[high]})`);
    }
  };
  order('recoveryRatio', 'ratioMedium', false);
  order('ratioMedium', 'ratioHigh', true);
  order('baselineRecoveryMultiple', 'baselineMultiple', false);
  order('rateLimitSustainedMinutes', 'rateLimitSustainedOfMinutes', false);
  order('attackProtectionFloor', 'attackProtectionHigh', false);
  order('actionsFailureFloor', 'actionsFailureHigh', false);
  order('windowMinutes', 'baselineHistoryMinutes', true);
  return problems;
};

/** The defaults with `overrides` applied; every problem is reported together. */
export const resolveThresholds = (overrides: unknown = {}): DetectionThresholds => {
  const parsed = detectionThresholdsSchema.safeParse(overrides);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((i) => `${i.path.join('.') || 'thresholds'}: ${i.message}`);
    throw new AppError('config_invalid', `Detection thresholds are invalid: ${problems.join('; ')}`);
  }
  const merged: DetectionThresholds = { ...DEFAULT_THRESHOLDS, ...stripUndefined(parsed.data) };
  const problems = crossChecks(merged);
  if (problems.length > 0) {
    throw new AppError('config_invalid', `Detection thresholds are inconsistent: ${problems.join('; ')}`);
  }
  return merged;
};

// `{ windowMinutes: undefined }` must keep the default, not erase it.
const stripUndefined = (o: DetectionThresholdOverrides): DetectionThresholdOverrides => {
  const entries: Array<[string, number | undefined]> = Object.entries(o);
  return Object.fromEntries(entries.filter(([, v]) => v !== undefined));
};
