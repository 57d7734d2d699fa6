import type { SignalGroup } from '../rules.js';

/** Changes that weaken the tenant's security and exposures of secrets. */
export const SECURITY_GROUPS: readonly SignalGroup[] = [];
