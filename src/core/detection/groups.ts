import { ATTACK_GROUPS, ATTACK_REFINERS, ATTACK_SUPERSEDES } from './families/attacks.js';
import { OUTAGE_DIGESTS, OUTAGE_GROUPS } from './families/outages.js';
import { SECURITY_GROUPS } from './families/security.js';
import type { Refiner, Supersedes } from './refinement.js';
import { CORE_GROUPS, type LogDetectionSignal, type LogDigest, type SignalGroup } from './rules.js';

/** Every log signal group the detector evaluates, in the order their decisions are made. */
export const SIGNAL_GROUPS: readonly SignalGroup[] = [
  ...CORE_GROUPS,
  ...ATTACK_GROUPS,
  ...OUTAGE_GROUPS,
  ...SECURITY_GROUPS,
];

/** Decisions made outside the sliding window (the daily deprecation digest), after the groups'. */
export const LOG_DIGESTS: readonly LogDigest[] = [...OUTAGE_DIGESTS];

/** The families' refiners, by the signal they settle (refinement.ts). */
export const REFINERS: Readonly<Partial<Record<LogDetectionSignal, Refiner>>> = { ...ATTACK_REFINERS };

/** The families' superseding rules (refinement.ts). */
export const SUPERSEDES: readonly Supersedes[] = [...ATTACK_SUPERSEDES];
