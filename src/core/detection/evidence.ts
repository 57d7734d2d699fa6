import type { Suspect, TopItem } from './model.js';
import type { StoredLogEvent } from '../logs/ports.js';
import { changeAuthor, isSigningKeyRotation, type KeyRotation } from './key-events.js';
import type { DetectionThresholds } from './thresholds.js';

/** Log fields are attacker-controlled (user agents, user names): cut before they reach a card. */
export const truncate = (value: string, max: number): string =>
  value.length > max ? `${value.slice(0, max - 1)}…` : value;

/** The `topN` most frequent values, most frequent first (ties by value), each cut to `topValueLength`. */
export const topItems = (
  values: Iterable<string | null | undefined>,
  t: Pick<DetectionThresholds, 'topN' | 'topValueLength'>,
): TopItem[] => {
  const counts = new Map<string, number>();
  for (const value of values) {
    if (value === null || value === undefined || value === '') continue;
    counts.set(value, (counts.get(value) ?? 0) + 1);
  }
  return [...counts]
    .sort(([a, x], [b, y]) => y - x || (a < b ? -1 : a > b ? 1 : 0))
    .slice(0, t.topN)
    .map(([value, count]) => ({ value: truncate(value, t.topValueLength), count }));
};

/** The IP behind at least `share` of the sampled events, if there is one. */
export const singleSourceIp = (events: readonly StoredLogEvent[], share: number): string | undefined => {
  if (events.length === 0) return undefined;
  const counts = new Map<string, number>();
  for (const e of events) if (e.ip) counts.set(e.ip, (counts.get(e.ip) ?? 0) + 1);
  for (const [ip, n] of counts) if (n / events.length >= share) return ip;
  return undefined;
};

const clientLabel = (e: Pick<StoredLogEvent, 'clientId' | 'clientName'>): string | null => {
  if (e.clientId === null) return e.clientName;
  return e.clientName ? `${e.clientName} (${e.clientId})` : e.clientId;
};

export interface TopLists {
  readonly topClients?: readonly TopItem[];
  readonly topIps?: readonly TopItem[];
  readonly topConnections?: readonly TopItem[];
  readonly topUserAgents?: readonly TopItem[];
  readonly topReasons?: readonly TopItem[];
}

/** Top clients, IPs, connections, user agents and reasons of the sampled events; empty lists left out. */
export const topLists = (events: readonly StoredLogEvent[], t: DetectionThresholds): TopLists => {
  const lists: Record<keyof TopLists, TopItem[]> = {
    topClients: topItems(events.map(clientLabel), t),
    topIps: topItems(
      events.map((e) => e.ip),
      t,
    ),
    topConnections: topItems(
      events.map((e) => e.connection),
      t,
    ),
    topUserAgents: topItems(
      events.map((e) => e.userAgent),
      t,
    ),
    // The code itself (`limit_mu`, `api_limit`) where the entry carries no reason.
    topReasons: topItems(
      events.map((e) => e.reason ?? e.type),
      t,
    ),
  };
  return Object.fromEntries(Object.entries(lists).filter(([, items]) => items.length > 0));
};

const changeSuspect = (e: StoredLogEvent, t: DetectionThresholds): Suspect => {
  const what = truncate(e.reason ?? e.description ?? e.type, t.topValueLength);
  if (!e.own) return { at: e.date, kind: 'tenant_change', who: changeAuthor(e), what, expected: false };
  const rotation = /rotat/i.test(`${e.description ?? ''} ${e.reason ?? ''}`);
  return {
    at: e.date,
    kind: rotation ? 'own_rotation' : 'own_change',
    who: 'auth0-oncall',
    what,
    expected: true,
  };
};

const rotationSuspect = (r: KeyRotation): Suspect => ({
  at: r.at,
  kind: r.own ? 'own_rotation' : 'signing_key_rotation',
  who: r.own ? 'auth0-oncall' : (r.who ?? 'signing-key watcher'),
  what: `signing key rotated${r.kid ? ` to ${r.kid}` : ''}${r.previousKid ? ` (was ${r.previousKid})` : ''}`,
  expected: r.own,
});

/** Changes to users (profiles, roles, blocks, MFA enrolments of one user) never break logins for others. */
const USER_EDIT =
  /^(?:PATCH|POST|PUT|DELETE) \/api\/v2\/users(?:\/|$|\?)|^(?:PATCH|POST|PUT|DELETE) \/api\/v2\/users-by-email/;

/** Paths whose changes can break or weaken logins for many: the settings detection cares most about. */
const SETTINGS =
  /\/api\/v2\/(?:clients|client-grants|connections|actions|keys|attack-protection|guardian|tenants|custom-domains|prompts|branding|rules|hooks|resource-servers|log-streams)/;

/**
 * How much a suspect has to do with an incident's scope: 2 when its change names the scope's
 * client, connection or IP (a secret change on the failing client), 1 for a tenant setting that
 * affects logins (connections, Actions, keys, attack protection…), 0 for anything else.
 */
const relevance = (s: Suspect, scope: string): number => {
  const colon = scope.indexOf(':');
  const id = colon < 0 ? '' : (scope.slice(colon + 1).split('/')[0] ?? '');
  if (s.kind === 'signing_key_rotation' || s.kind === 'own_rotation') return 1;
  if (id !== '' && s.what.includes(id)) return 2;
  return SETTINGS.test(s.what) ? 1 : 0;
};

/**
 * Tenant changes and signing-key rotations from `since` on, the most relevant to `scope` first,
 * then the newest, at most `suspectsLimit`. User edits are never suspects. A rotation known from
 * both the watcher and its log entry is shown once, as the rotation.
 */
export const suspectsOf = (
  changes: readonly StoredLogEvent[],
  rotations: readonly KeyRotation[],
  since: number,
  t: DetectionThresholds,
  scope = 'tenant',
): Suspect[] => {
  const after = (iso: string) => Date.parse(iso) >= since;
  const rotationTimes = new Set(rotations.map((r) => r.at));
  const fromChanges = changes
    .filter((e) => after(e.date) && !(isSigningKeyRotation(e) && rotationTimes.has(e.date)))
    .filter((e) => !USER_EDIT.test(e.reason ?? ''))
    .map((e) => changeSuspect(e, t));
  const fromRotations = rotations.filter((r) => after(r.at)).map(rotationSuspect);
  return [...fromChanges, ...fromRotations]
    .sort((a, b) => relevance(b, scope) - relevance(a, scope) || Date.parse(b.at) - Date.parse(a.at))
    .slice(0, t.suspectsLimit);
};

/** The bot's own changes never open a high incident on their own. */
export const onlyExpected = (suspects: readonly Suspect[]): boolean =>
  suspects.length > 0 && suspects.every((s) => s.expected);
