import { exposureSeverity } from '../../logs/secret-exposure.js';
import { weakeningSeverity } from '../../logs/security-changes.js';
import type { StoredLogEvent } from '../../logs/ports.js';
import { changeAuthor } from '../key-events.js';
import type { SignalGroup, TitleInput } from '../rules.js';
import { plural, scopeLabel } from '../titles.js';
import type { DetectionThresholds } from '../thresholds.js';

/**
 * Changes that weaken the tenant's security and secrets exposed to a person. Both are judged from
 * what classification read in the request bodies (core/logs/security-changes.ts), one incident per
 * weakened setting or application, and one event is enough:
 *
 * - security_weakened (`security_change`): high when a protection is turned off (brute-force
 *   protection, suspicious IP throttling, breached password detection, bot detection, MFA set to
 *   Never); medium when access is widened (password or implicit grant or cross-origin
 *   authentication enabled on an application, Management API scopes granted, an MFA factor
 *   turned off, an attack-protection allowlist set, the post-login Actions flow changed, a tenant
 *   member invited or joining); low when a tenant member is removed.
 * - secret_exposure (`secret_exposure`): medium when the API Explorer gets a Management API token
 *   (all scopes); low when a person reads a client secret. The bot's own reads never count.
 *
 * The count rule opens on one event (low); the group's severity hook raises it to the scope's
 * severity. The change stays made when the card recovers: recovery only means no further change came.
 */

const newest = (i: TitleInput): StoredLogEvent | undefined => i.events[0];

const more = (i: TitleInput, what: string): string =>
  i.stats.failures > 1 ? ` (+${plural(i.stats.failures - 1, `more ${what}`)})` : '';

/** "Security weakened: brute-force protection turned off by dana@acme.example". */
const weakenedTitle = (i: TitleInput): string => {
  const e = newest(i);
  if (e === undefined || e.reason === null) return `Security weakened on ${scopeLabel(i.scope, null)}`;
  return `Security weakened: ${e.reason} by ${changeAuthor(e)}${more(i, 'change')}`;
};

/** "Secret exposed: client_secret of billing-worker (Worker…) read by dana@acme.example". */
const exposureTitle = (i: TitleInput): string => {
  const e = newest(i);
  if (e === undefined || e.reason === null) return `Secret exposed on ${scopeLabel(i.scope, null)}`;
  const by = e.userName ? ` by ${e.userName}` : e.ip ? ` from ${e.ip}` : '';
  return `Secret exposed: ${e.reason}${by}${more(i, 'time')}`;
};

const quietFor = (t: DetectionThresholds, what: string): string =>
  `no further ${what} for ${t.quietMinutes} min; what was changed stays as it is until someone changes it back`;

export const SECURITY_GROUPS: readonly SignalGroup[] = [
  {
    signal: 'security_weakened',
    failures: ['security_change'],
    rule: 'count',
    scoping: 'per_scope',
    // One event opens the card; its severity is the weakened scope's (security-changes.ts).
    levels: { low: 1 },
    severity: (i) => weakeningSeverity(i.scope),
    title: weakenedTitle,
    recovery: (t) => quietFor(t, 'weakening change'),
  },
  {
    signal: 'secret_exposure',
    failures: ['secret_exposure'],
    rule: 'count',
    scoping: 'per_scope',
    levels: { low: 1 },
    severity: (i) => exposureSeverity(i.scope),
    title: exposureTitle,
    recovery: (t) => quietFor(t, 'secret read'),
  },
];
