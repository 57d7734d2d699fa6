import type { StoredLogEvent } from '../../logs/ports.js';
import { topItems, truncate } from '../evidence.js';
import { minuteStart } from '../minutes.js';
import type { Refiner, Supersedes } from '../refinement.js';
import { ratioOf, type Judge } from '../rules.js';
import { plural } from '../titles.js';

/**
 * Credential stuffing and brute force, over every login-failure code (`f`, `fu`, `fp`, `fcoa`,
 * `fepft`, `fens`, `fc`, `fcpro`). The per-minute counts only say how many logins failed; who failed
 * from where comes from the window's sampled failures (the evidence sample the detector reads anyway:
 * newest first, at most `evidenceSampleLimit`, walked through the `date` index), so judging them costs
 * no extra query.
 *
 * 1. Gate, on the tenant's counts: at least `GATE_FAILURES` failed logins in the window and either a
 *    failure ratio above `ratioMedium` (with `minVolume` attempts), a rate above `GATE_MULTIPLE`× the
 *    usual. The gate is lower than the failed-login rule's (5×) because the shape
 *    below must confirm it; quiet (hysteresis): fewer failures than that, or a ratio below
 *    `recoveryRatio` and a rate at most `QUIET_MULTIPLE`× the usual.
 * 2. The sample's wrong-password and unknown-user failures from IPs without a successful login in
 *    the window decide (a connection that is down fails
 *    every user too, with its own error), counted over the attack's channel when one holds most of the
 *    failures (cross-origin `fcoa`, password grant `fepft`, enterprise connectors `fc`/`fcpro`, native
 *    social `fens`, else the login page's `f`/`fp`/`fu`), so ordinary failures elsewhere do not blur it:
 *    - one IP behind ≥ 80% of the failures, trying ≥ `USERS_PER_IP` users: stuffing from that IP
 *      (scope `ip:<addr>`);
 *    - ≥ `USERS` distinct users (or an IP trying ≥ `USERS_PER_IP` of them) from several IPs: distributed
 *      stuffing (scope `tenant`);
 *    - one user failing from ≥ `IPS_PER_USER` IPs: distributed brute force on that account (`tenant`);
 *    - otherwise not an attack (ordinary failures, one broken connection): no card.
 * 3. Severity: high at ≥ `HIGH_USERS` users (or ≥ 2×`IPS_PER_USER` IPs on one user) or a failure
 *    ratio above `ratioHigh`; else medium.
 * One attack is one card: while a stuffing incident is open every new finding updates it, and the
 * stuffing decision supersedes the same evaluation's new failed-login card for its connections or
 * the tenant, attack-protection and breached-password cards, and blocks of unknown IPs.
 */

const GATE_FAILURES = 10;
const GATE_MULTIPLE = 3;
const QUIET_MULTIPLE = 2;
const USERS_PER_IP = 10;
const USERS = 20;
const IPS_PER_USER = 10;
const HIGH_USERS = 50;
const SINGLE_SOURCE_SHARE = 0.8;

export const stuffingGate: Judge = {
  level: (s, ctx, t) => {
    if (s.failures < GATE_FAILURES) return undefined;
    const ratio = ratioOf(s);
    const rate = s.failures / t.windowMinutes;
    if (ratio !== undefined && s.failures + s.successes >= t.minVolume && ratio > t.ratioMedium)
      return { severity: 'medium', basis: 'ratio' };
    if (ctx.baseline !== undefined && rate > GATE_MULTIPLE * ctx.baseline)
      return { severity: 'medium', basis: 'baseline' };
    return undefined;
  },
  quiet: (s, ctx, t) => {
    if (s.failures < GATE_FAILURES) return true;
    const calm = ctx.baseline === undefined || s.failures / t.windowMinutes <= QUIET_MULTIPLE * ctx.baseline;
    return calm && (ratioOf(s) ?? 0) < t.recoveryRatio;
  },
};

interface Tally {
  events: number;
  readonly others: Set<string>;
}

const tally = (pairs: Iterable<readonly [string, string | null]>): Map<string, Tally> => {
  const map = new Map<string, Tally>();
  for (const [key, other] of pairs) {
    let entry = map.get(key);
    if (!entry) {
      entry = { events: 0, others: new Set() };
      map.set(key, entry);
    }
    entry.events += 1;
    if (other !== null) entry.others.add(other);
  }
  return map;
};

const widest = (map: ReadonlyMap<string, Tally>): [string, Tally] | undefined => {
  let best: [string, Tally] | undefined;
  for (const entry of map) {
    if (!best || entry[1].others.size > best[1].others.size) best = entry;
  }
  return best;
};

/** User names differ only in case between attempts of the same address. */
const userOf = (e: StoredLogEvent): string | null => e.userName?.toLowerCase() ?? null;

interface Spread {
  readonly events: number;
  readonly users: number;
  readonly ips: number;
  /** The IP trying the most distinct users. */
  readonly topIp?: { readonly ip: string; readonly events: number; readonly users: number };
  /** The user failing from the most distinct IPs. */
  readonly topUser?: { readonly user: string; readonly events: number; readonly ips: number };
}

const spreadOf = (events: readonly StoredLogEvent[]): Spread => {
  const byIp = tally(events.flatMap((e) => (e.ip === null ? [] : [[e.ip, userOf(e)] as const])));
  const byUser = tally(
    events.flatMap((e) => {
      const user = userOf(e);
      return user === null ? [] : [[user, e.ip] as const];
    }),
  );
  const ip = widest(byIp);
  const user = widest(byUser);
  return {
    events: events.length,
    users: byUser.size,
    ips: byIp.size,
    ...(ip ? { topIp: { ip: ip[0], events: ip[1].events, users: ip[1].others.size } } : {}),
    ...(user ? { topUser: { user: user[0], events: user[1].events, ips: user[1].others.size } } : {}),
  };
};

type Shape =
  | { readonly kind: 'single_source'; readonly ip: string }
  | { readonly kind: 'distributed' }
  | { readonly kind: 'brute_force'; readonly user: string; readonly ips: number; readonly events: number };

const shapeOf = (s: Spread): Shape | undefined => {
  const { topIp, topUser } = s;
  if (topIp && topIp.users >= USERS_PER_IP && topIp.events >= SINGLE_SOURCE_SHARE * s.events)
    return { kind: 'single_source', ip: topIp.ip };
  if (s.users >= USERS || (topIp && topIp.users >= USERS_PER_IP)) return { kind: 'distributed' };
  if (topUser && topUser.ips >= IPS_PER_USER)
    return { kind: 'brute_force', user: topUser.user, ips: topUser.ips, events: topUser.events };
  return undefined;
};

const CHANNELS: Readonly<Record<string, string>> = {
  fcoa: 'cross-origin',
  fepft: 'password grant',
  fc: 'enterprise connector',
  fcpro: 'enterprise connector',
  fens: 'native social',
};

/**
 * Wrong passwords and unknown users: what stuffing produces. A connection that is down fails every
 * user too, but with its own error (a timeout, a script error): that is an outage, not an attack.
 */
const CREDENTIAL_ERROR =
  /wrong (e-?mail|username|password)|invalid[_ ](user[_ ])?(password|credentials|username)|user does not exist|unknown user/i;

const isCredentialFailure = (e: StoredLogEvent): boolean =>
  e.type === 'fp' || e.type === 'fu' || CREDENTIAL_ERROR.test(`${e.reason ?? ''} ${e.description ?? ''}`);

/** The channel holding more than half of the failures, and its failures; else every failure. */
const channelOf = (
  events: readonly StoredLogEvent[],
): { readonly label: string | undefined; readonly events: readonly StoredLogEvent[] } => {
  const byChannel = new Map<string, StoredLogEvent[]>();
  for (const e of events) {
    const channel = CHANNELS[e.type] ?? 'login page';
    byChannel.set(channel, [...(byChannel.get(channel) ?? []), e]);
  }
  for (const [label, list] of byChannel) {
    if (list.length * 2 > events.length)
      return { label: label === 'login page' ? undefined : label, events: list };
  }
  return { label: undefined, events };
};

const stuffingTitle = (shape: Shape, spread: Spread, channel: string, minutes: number): string => {
  const users = plural(spread.users, 'user');
  switch (shape.kind) {
    case 'single_source':
      return `Credential stuffing from ${shape.ip}: ${users} failed in ${minutes} min${channel}`;
    case 'distributed':
      return `Credential stuffing: ${users} from ${plural(spread.ips, 'IP')} failed in ${minutes} min${channel}`;
    case 'brute_force':
      return `Brute force on ${truncate(shape.user, 80)}: ${plural(shape.events, 'failed login')} from ${shape.ips} IPs in ${minutes} min${channel}`;
  }
};

const stuffingSummary = (shape: Shape, spread: Spread, events: readonly StoredLogEvent[]): string => {
  const users = topItems(events.map(userOf), { topN: 5, topValueLength: 60 })
    .map((u) => `${u.value} (${u.count})`)
    .join(', ');
  const ip = spread.topIp
    ? ` The busiest IP, ${spread.topIp.ip}, tried ${plural(spread.topIp.users, 'user')}.`
    : '';
  const what =
    shape.kind === 'brute_force'
      ? `One account failing from many addresses: a distributed brute force.`
      : `Many different accounts failing: stolen username/password pairs being tried.`;
  return `${what} ${spread.users} distinct users, ${spread.ips} IPs in ${spread.events} sampled failures.${ip} Users: ${users}.`;
};

export const refineStuffing: Refiner = (draft, ctx, open) => {
  // Real users behind an address also log in: failures from IPs with a success in the window are
  // people mistyping (or a broken password store), not stuffing. One bounded read, only past the gate.
  const since = minuteStart(ctx.currentMinute - ctx.t.windowMinutes + 1);
  const succeeded = new Set(
    ctx.logs.recent({ signal: 'login_success', since, limit: ctx.t.evidenceSampleLimit }).map((e) => e.ip),
  );
  const attempts = draft.events.filter((e) => isCredentialFailure(e) && !succeeded.has(e.ip));
  const channel = channelOf(attempts);
  const spread = spreadOf(channel.events);
  const shape = shapeOf(spread);
  if (!shape) return undefined;
  const ratio = ratioOf(draft.finding.stats);
  const high =
    spread.users >= HIGH_USERS ||
    (shape.kind === 'brute_force' && shape.ips >= 2 * IPS_PER_USER) ||
    (ratio !== undefined && ratio > ctx.t.ratioHigh);
  const [current] = open;
  const scope = current?.scope ?? (shape.kind === 'single_source' ? `ip:${shape.ip}` : 'tenant');
  return {
    ...draft,
    scope,
    severity: high ? 'high' : 'medium',
    title: stuffingTitle(shape, spread, channel.label ? ` (${channel.label})` : '', ctx.t.windowMinutes),
    evidence: {
      ...draft.evidence,
      ...(shape.kind === 'single_source' ? { singleSourceIp: shape.ip } : {}),
      summary: stuffingSummary(shape, spread, channel.events),
    },
  };
};

/** What a stuffing card already tells: the failed logins, Auth0's blocks and leaked passwords it causes. */
export const stuffingSupersedes: Supersedes = (covering, other) => {
  if (covering.signal !== 'credential_stuffing') return false;
  switch (other.signal) {
    case 'failed_logins': {
      // An open stuffing incident (no evidence here) covers every new failed-login card while it lasts.
      if (covering.evidence === undefined) return true;
      const connections = (covering.evidence.topConnections ?? []).map((c) => `connection:${c.value}`);
      return other.scope === 'tenant' || connections.includes(other.scope);
    }
    case 'attack_protection':
    case 'breached_password':
      return true;
    case 'ip_blocked':
      // A block of an address your users log in from is its own problem (they are locked out).
      return other.severity !== 'high';
    default:
      return false;
  }
};
