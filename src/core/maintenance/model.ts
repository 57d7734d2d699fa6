import type { IsoTimestamp } from '../audit/ports.js';

/**
 * Maintenance windows: for a while, incidents of one scope (the whole tenant, a client, a
 * connection) are recorded and shown as usual but page nobody (docs/on-call.md, "Snooze and
 * maintenance windows"). Pure rules here; the use cases are in maintenance-service.ts.
 */

export type WindowScope =
  | { readonly kind: 'tenant' }
  /** A client ID or a client name, as typed. */
  | { readonly kind: 'client'; readonly value: string }
  | { readonly kind: 'connection'; readonly value: string };

type WindowOrigin = 'manual' | 'rotation';

export interface MaintenanceWindow {
  /** 1–64 characters, no `:` (it is embedded in the Home's `maintenance:end:<id>`). */
  readonly id: string;
  readonly scope: WindowScope;
  readonly reason: string;
  readonly origin: WindowOrigin;
  /** A Slack user ID, or `'system'` for a window a planned rotation opened. */
  readonly createdBy: string;
  readonly startsAt: IsoTimestamp;
  readonly endsAt: IsoTimestamp;
  readonly endedAt: IsoTimestamp | null;
  readonly endedBy: string | null;
}

export type NewMaintenanceWindow = Omit<MaintenanceWindow, 'endedAt' | 'endedBy'>;

export interface MaintenanceStore {
  create(window: NewMaintenanceWindow): MaintenanceWindow;
  get(id: string): MaintenanceWindow | null;
  /** Not ended and not past its end at `at`, soonest end first. */
  active(at: IsoTimestamp): MaintenanceWindow[];
  /** Not ended yet although their end is at or before `at` (the expiry job closes them). */
  lapsed(at: IsoTimestamp): MaintenanceWindow[];
  /** Ends a window not ended yet; null when there is none (unknown or already ended). */
  end(id: string, by: string, at: IsoTimestamp): MaintenanceWindow | null;
}

const MAX_WINDOW_MINUTES = 7 * 24 * 60;
const MAX_REASON = 300;
const MAX_SCOPE_VALUE = 200;

const UNITS: Readonly<Record<string, number>> = { m: 1, h: 60, d: 24 * 60 };

export type Parsed<T> =
  { readonly ok: true; readonly value: T } | { readonly ok: false; readonly problem: string };

/** `30m`, `2h`, `1d`: a whole number and a unit, from 1 minute to 7 days. */
export const parseDuration = (text: string): Parsed<number> => {
  const match = /^([0-9]{1,5})([mhd])$/i.exec(text.trim());
  const unit = match?.[2] === undefined ? undefined : UNITS[match[2].toLowerCase()];
  if (!match?.[1] || unit === undefined)
    return {
      ok: false,
      problem: `\`${text.slice(0, 40)}\` is not a duration: write a whole number and m, h or d, e.g. 30m, 2h, 1d`,
    };
  const minutes = Number(match[1]) * unit;
  if (minutes < 1) return { ok: false, problem: 'a maintenance window lasts at least 1 minute' };
  if (minutes > MAX_WINDOW_MINUTES)
    return {
      ok: false,
      problem: 'a maintenance window lasts at most 7 days (7d); open another one after it',
    };
  return { ok: true, value: minutes };
};

/** `tenant`, `client:<name or id>`, `connection:<name>`. */
export const parseScope = (text: string): Parsed<WindowScope> => {
  if (text.toLowerCase() === 'tenant') return { ok: true, value: { kind: 'tenant' } };
  const colon = text.indexOf(':');
  const kind = colon < 0 ? '' : text.slice(0, colon).toLowerCase();
  const value = colon < 0 ? '' : text.slice(colon + 1).trim();
  if ((kind === 'client' || kind === 'connection') && value !== '' && value.length <= MAX_SCOPE_VALUE)
    return { ok: true, value: { kind, value } };
  if ((kind === 'client' || kind === 'connection') && value === '')
    return {
      ok: false,
      problem: `\`${kind}:\` needs a ${kind === 'client' ? 'client name or ID' : 'connection name'} after the colon`,
    };
  if (kind === 'client' || kind === 'connection')
    return { ok: false, problem: `a ${kind} name is at most ${MAX_SCOPE_VALUE} characters` };
  return {
    ok: false,
    problem: `\`${text.slice(0, 60)}\` is not a scope: use \`tenant\`, \`client:<name or ID>\` or \`connection:<name>\``,
  };
};

export interface MaintenanceRequest {
  readonly minutes: number;
  readonly scope: WindowScope;
  readonly reason: string;
}

/**
 * The words after `/auth0 maintenance`: a duration, then a scope when the next word looks like
 * one (`tenant` or `kind:value`), then the reason. A word with a colon that names no known scope
 * kind is an error, not a reason: `user:bob` must not quietly open a tenant-wide window.
 */
export const parseMaintenanceRequest = (words: readonly string[]): Parsed<MaintenanceRequest> => {
  const [first = '', second, ...rest] = words;
  const duration = parseDuration(first);
  if (!duration.ok) return duration;
  let scope: WindowScope = { kind: 'tenant' };
  let reasonWords: readonly string[] = second === undefined ? [] : [second, ...rest];
  if (second !== undefined && (second.toLowerCase() === 'tenant' || /^[a-z_-]+:/i.test(second))) {
    const parsed = parseScope(second);
    if (!parsed.ok) return parsed;
    scope = parsed.value;
    reasonWords = rest;
  }
  const reason = reasonWords.join(' ').trim();
  if (reason.length > MAX_REASON)
    return { ok: false, problem: `the reason is at most ${MAX_REASON} characters` };
  return { ok: true, value: { minutes: duration.value, scope, reason } };
};

export const describeScope = (scope: WindowScope): string =>
  scope.kind === 'tenant' ? 'the whole tenant' : `${scope.kind} ${scope.value}`;

/**
 * Whether a window covers an incident's scope (`tenant`, `client:<id>`, `client:<id>/…`,
 * `connection:<name>`, …). A tenant-wide window covers every incident; a client window matches by
 * client ID, or by the client's name (case ignored) through `nameOf`.
 */
export const windowCovers = (
  window: Pick<MaintenanceWindow, 'scope'>,
  incidentScope: string,
  nameOf: (clientId: string) => string | undefined = () => undefined,
): boolean => {
  const { scope } = window;
  if (scope.kind === 'tenant') return true;
  if (scope.kind === 'connection') return incidentScope === `connection:${scope.value}`;
  if (!incidentScope.startsWith('client:')) return false;
  const clientId = incidentScope.slice('client:'.length).split('/')[0] ?? '';
  if (clientId === scope.value) return true;
  const name = nameOf(clientId);
  return name !== undefined && name.trim().toLowerCase() === scope.value.trim().toLowerCase();
};

/** Active at `at`: started, not ended, not past its end. */
export const isActive = (window: MaintenanceWindow, at: Date): boolean =>
  window.endedAt === null &&
  Date.parse(window.startsAt) <= at.getTime() &&
  at.getTime() < Date.parse(window.endsAt);
