import { ATTACK_GROUPS } from './families/attacks.js';
import { OUTAGE_GROUPS } from './families/outages.js';
import { SECURITY_GROUPS } from './families/security.js';
import { CORE_GROUPS, type SignalGroup } from './rules.js';

/** Every log signal group the detector evaluates, in the order their decisions are made. */
export const SIGNAL_GROUPS: readonly SignalGroup[] = [
  ...CORE_GROUPS,
  ...ATTACK_GROUPS,
  ...OUTAGE_GROUPS,
  ...SECURITY_GROUPS,
];
