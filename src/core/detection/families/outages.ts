import type { SignalGroup } from '../rules.js';

/** Outages of what logins depend on: enterprise connections, mail and SMS, custom domains, Actions, the platform. */
export const OUTAGE_GROUPS: readonly SignalGroup[] = [];
