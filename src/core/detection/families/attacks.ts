import type { SignalGroup } from '../rules.js';

/** Attacks on logins, tokens, MFA and signups. */
export const ATTACK_GROUPS: readonly SignalGroup[] = [];
