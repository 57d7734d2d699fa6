import type { StoredLogEvent } from '../logs/ports.js';
import type { CorrelatedChange } from './correlation.js';
import { ratioOf, type SignalGroup, type TitleInput } from './rules.js';
import type { DetectionThresholds } from './thresholds.js';

/** Short, human, specific card titles: what, how much, where, and the likely cause when known. */

/** 0.62 → "62%", 0.251 → "25.1%". */
const percent = (ratio: number): string => `${Math.round(ratio * 1000) / 10}%`;

const perMinute = (rate: number): string => `${Math.round(rate * 10) / 10}/min`;

export const plural = (n: number, one: string, many = `${one}s`): string => `${n} ${n === 1 ? one : many}`;

/** `billing-worker (Zx81billing)`, `Username-Password-Authentication`, `203.0.113.7`, `the tenant`. */
export const scopeLabel = (scope: string, clientName: string | null): string => {
  const colon = scope.indexOf(':');
  if (colon < 0) return scope === 'tenant' ? 'the tenant' : scope;
  const kind = scope.slice(0, colon);
  const id = scope.slice(colon + 1);
  if (kind === 'client') return clientName ? `${clientName} (${id})` : `client ${id}`;
  return id;
};

const usually = (baseline: number | undefined): string =>
  baseline === undefined ? '' : baseline === 0 ? ' (usually none)' : ` (usually ${perMinute(baseline)})`;

/** "at 62%" for a ratio; "at 12/min" and " (usually 2/min)" for the baseline rule. */
const level = (i: TitleInput, t: DetectionThresholds): { at: string; usual: string } => {
  const ratio = ratioOf(i.stats);
  if (i.assessment.basis === 'ratio' && ratio !== undefined) return { at: `at ${percent(ratio)}`, usual: '' };
  return { at: `at ${perMinute(i.stats.failures / t.windowMinutes)}`, usual: usually(i.context.baseline) };
};

const correlationSuffix = (c: CorrelatedChange | undefined): string => {
  if (!c) return '';
  if (c.own) return " after the bot's own change (expected)";
  return c.correlation.kind === 'signing_key_rotation'
    ? ' after signing-key rotation'
    : ' after a secret change';
};

const attackTitle = (i: TitleInput, t: DetectionThresholds): string => {
  const events = `${plural(i.stats.failures, 'event')} in ${t.windowMinutes} min`;
  if (i.scope !== 'tenant') return `Attack protection blocking ${scopeLabel(i.scope, null)} (${events})`;
  const from = i.singleSourceIp ? `from ${i.singleSourceIp}` : `from ${plural(i.distinctIps, 'IP')}`;
  return `Attack protection: ${events} ${from}`;
};

/** The most frequent request path among the sampled `api_limit` entries (reason `POST /oauth/token (…)`). */
const topPath = (events: readonly StoredLogEvent[]): string | undefined => {
  const counts = new Map<string, number>();
  for (const e of events) {
    const path = /^(?:[A-Z]+ )?(\/\S{0,59})/.exec(e.reason ?? '')?.[1];
    if (path !== undefined) counts.set(path, (counts.get(path) ?? 0) + 1);
  }
  return [...counts].sort(([a, x], [b, y]) => y - x || (a < b ? -1 : 1))[0]?.[0];
};

/** Each bucket says what it limits: the Management API, the Authentication API as a whole, one IP. */
const rateLimitTitle = (i: TitleInput, t: DetectionThresholds): string => {
  const path = topPath(i.events);
  const on = path ? ` on ${path}` : '';
  const how =
    i.assessment.basis === 'sustained'
      ? ` in ${i.stats.activeMinutes} of the last ${t.rateLimitSustainedOfMinutes} minutes`
      : ` (${plural(i.stats.failures, 'time')} in ${t.windowMinutes} min)`;
  if (i.scope === 'api:management') return `Management API rate limit hit${on}${how}`;
  if (i.scope === 'api:authentication') return `Authentication API tenant-wide rate limit hit${on}${how}`;
  if (i.scope.startsWith('ip:')) {
    return `Authentication API per-IP rate limit hit by ${scopeLabel(i.scope, null)}${on}${how}`;
  }
  return `Auth0 rate limit hit${how}`;
};

export const logSignalTitle = (
  group: Pick<SignalGroup, 'title'>,
  i: TitleInput,
  t: DetectionThresholds,
): string => {
  if (group.title) return group.title(i, t);
  const where = scopeLabel(i.scope, i.clientName);
  const { at, usual } = level(i, t);
  switch (i.signal) {
    case 'failed_logins':
      return `Failed logins ${at} ${i.scope === 'tenant' ? 'across the tenant' : `on ${where}`}${usual}`;
    case 'm2m_token_failures': {
      const never = i.context.succeeded ? '' : ', which has not succeeded recently';
      return `M2M token failures for ${where}${never}${correlationSuffix(i.correlated)}`;
    }
    case 'web_token_failures':
      return `Token exchange failures ${at} for ${where}${usual}${correlationSuffix(i.correlated)}`;
    case 'rate_limit':
      return rateLimitTitle(i, t);
    case 'attack_protection':
      return attackTitle(i, t);
    case 'actions_failures':
      return `Actions failing: ${plural(i.stats.failures, 'execution')} in ${t.windowMinutes} min${usually(i.context.baseline)}`;
    default:
      return `${i.signal.replaceAll('_', ' ')}: ${plural(i.stats.failures, 'event')} in ${t.windowMinutes} min on ${where}`;
  }
};

/** The signing-key incident once token failures follow the rotation. */
export const rotationFollowedTitle = (clientNames: readonly string[]): string => {
  const [first, ...rest] = clientNames;
  const more = rest.length > 0 ? ` and ${plural(rest.length, 'more client')}` : '';
  return `Token failures for ${first ?? 'clients'}${more} after signing-key rotation`;
};

/** Why a log signal's incident is over, for the thread. */
export const recoveryReason = (
  group: Pick<SignalGroup, 'rule' | 'recovery'>,
  t: DetectionThresholds,
): string => {
  if (group.recovery) return group.recovery(t);
  const period = `for ${t.quietMinutes} min`;
  switch (group.rule) {
    case 'ratio':
      return `failure ratio below ${percent(t.recoveryRatio)} and near its usual rate ${period}`;
    case 'm2m':
      return `token failures below the burst threshold ${period}`;
    case 'rate_limit':
      return `no api_limit ${period}`;
    case 'attack':
      return `fewer than ${t.attackProtectionFloor} events per ${t.windowMinutes} min ${period}`;
    case 'actions':
      return `fewer than ${t.actionsFailureFloor} failures per ${t.windowMinutes} min ${period}`;
    case 'count':
    case 'custom':
      return `below its threshold ${period}`;
  }
};
