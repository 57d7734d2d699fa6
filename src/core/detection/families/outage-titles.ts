import type { StoredLogEvent } from '../../logs/ports.js';
import { truncate } from '../evidence.js';
import type { RelatedReader, TitleInput } from '../rules.js';
import type { DetectionThresholds } from '../thresholds.js';
import { plural, scopeLabel } from '../titles.js';

/**
 * Titles and card notes of the outage family: what is down, how many failed, and the thing that
 * failed by name (the connection, the Action, the delivery channel, the origin), read from the
 * stored reasons (core/logs/outage-reasons.ts writes them as `subject — detail`).
 */

/** Names quoted in a title are cut to this (they come from log fields). */
const NAME_MAX = 60;

const inWindow = (t: DetectionThresholds): string => `in ${t.windowMinutes} min`;

/** `Action add-roles-claim` from `Action add-roles-claim — action_timeout: …`. */
const subjectOf = (reason: string | null): string | null => {
  if (reason === null) return null;
  const cut = reason.indexOf(' — ');
  return cut < 0 ? null : reason.slice(0, cut);
};

/** Distinct values, most frequent first. */
const ranked = (values: ReadonlyArray<string | null>): string[] => {
  const counts = new Map<string, number>();
  for (const v of values) if (v !== null && v !== '') counts.set(v, (counts.get(v) ?? 0) + 1);
  return [...counts].sort(([a, x], [b, y]) => y - x || (a < b ? -1 : 1)).map(([v]) => v);
};

/** `a`, `a and b`, `a, b and 2 more`. */
const listed = (names: readonly string[], shown = 2): string => {
  const cut = names.slice(0, shown).map((n) => truncate(n, NAME_MAX));
  const rest = names.length - cut.length;
  if (rest > 0) return `${cut.join(', ')} and ${rest} more`;
  return cut.length <= 1 ? (cut[0] ?? '') : `${cut.slice(0, -1).join(', ')} and ${cut.at(-1) ?? ''}`;
};

const clock = (iso: string): string => `${iso.slice(11, 16)} UTC`;

// ── Enterprise connection down ────────────────────────────────────────────────────────────────

const connectionOf = (i: TitleInput): string =>
  i.scope === 'tenant' ? 'An enterprise connection' : `Enterprise connection ${scopeLabel(i.scope, null)}`;

export const connectionDownTitle = (i: TitleInput, t: DetectionThresholds): string => {
  const failed = `${plural(i.stats.failures, 'login')} failed by its connector ${inWindow(t)}`;
  if (i.stats.extra === 0) return `${connectionOf(i)} is down: ${failed}`;
  return i.stats.failures === 0
    ? `${connectionOf(i)} is down: its connector went offline`
    : `${connectionOf(i)} is down: connector offline, ${failed}`;
};

export const connectionDownNotes = (i: TitleInput, related: RelatedReader): string[] => {
  const events = related(['connection_offline', 'connection_online'], i.scope);
  const offline = events.find((e) => e.signal === 'connection_offline');
  const online = events.find((e) => e.signal === 'connection_online');
  const notes: string[] = [];
  if (offline) notes.push(`The AD/LDAP connector reported offline (coff) at ${clock(offline.date)}.`);
  if (online && (!offline || online.date > offline.date)) {
    notes.push(`It reported online again (con) at ${clock(online.date)}: logins should recover.`);
  }
  if (i.stats.successes === 0 && i.stats.failures > 0) notes.push('No login on this connection succeeded.');
  return notes;
};

// ── Mail and SMS not delivered ────────────────────────────────────────────────────────────────

const CHANNEL_WORDS: Readonly<Record<string, string>> = {
  email: 'emails',
  'verification email': 'verification emails',
  'MFA SMS': 'MFA SMS codes',
  'MFA voice call': 'MFA voice calls',
  'MFA push notification': 'MFA push notifications',
};

const capitalised = (text: string): string => text.charAt(0).toUpperCase() + text.slice(1);

const channelWords = (channel: string): string => CHANNEL_WORDS[channel] ?? `${channel} notifications`;

/** The MFA delivery failures among the sampled events: users waiting for a code cannot log in. */
export const mfaDeliveryFailures = (events: readonly StoredLogEvent[]): number =>
  events.filter((e) => e.type.startsWith('gd_send_')).length;

export const notificationTitle = (i: TitleInput, t: DetectionThresholds): string => {
  const channels = ranked(i.events.map((e) => subjectOf(e.reason) ?? e.reason));
  const what = channels.length === 0 ? 'Notifications' : capitalised(listed(channels.map(channelWords)));
  const mfa = mfaDeliveryFailures(i.events) > 0 ? ', MFA logins blocked' : '';
  return `${what} not delivered: ${i.stats.failures} failed ${inWindow(t)}${mfa}`;
};

export const notificationNotes = (i: TitleInput, related: RelatedReader): string[] => {
  const notes: string[] = [];
  const mfa = mfaDeliveryFailures(i.events);
  if (mfa > 0) {
    notes.push(
      `${plural(mfa, 'MFA code')} could not be sent: users enrolled with that factor cannot finish logging in.`,
    );
  }
  const domains = related(['custom_domain_failure']);
  const [latest] = domains;
  if (latest) {
    const name = latest.scope.startsWith('domain:')
      ? latest.scope.slice('domain:'.length)
      : 'a custom domain';
    notes.push(
      `Related: custom domain ${truncate(name, NAME_MAX)} failed verification at ${clock(latest.date)}` +
        ' (its own card): a DNS change may have broken mail sending too.',
    );
  }
  return notes;
};

// ── Custom domain ─────────────────────────────────────────────────────────────────────────────

export const customDomainTitle = (i: TitleInput, t: DetectionThresholds): string => {
  const domain = i.scope.startsWith('domain:') ? scopeLabel(i.scope, null) : 'A custom domain';
  const checks = i.stats.failures > 1 ? `: ${i.stats.failures} failed checks ${inWindow(t)}` : '';
  return `Custom domain ${truncate(domain, NAME_MAX)} failed verification${checks}`;
};

// ── Actions, Flows and hooks ──────────────────────────────────────────────────────────────────

export const actionsTitle = (i: TitleInput, t: DetectionThresholds): string => {
  const subjects = ranked(i.events.map((e) => subjectOf(e.reason)));
  const what = subjects.length === 0 ? 'Actions' : listed(subjects);
  const usual =
    i.context.baseline === undefined
      ? ''
      : i.context.baseline === 0
        ? ' (usually none)'
        : ` (usually ${Math.round(i.context.baseline * 10) / 10}/min)`;
  return `${what} failing: ${plural(i.stats.failures, 'execution')} ${inWindow(t)}${usual}`;
};

// ── CORS ──────────────────────────────────────────────────────────────────────────────────────

export const callbackTitle = (i: TitleInput, t: DetectionThresholds): string => {
  const urls = ranked(i.events.map((e) => (e.reason?.startsWith('callback ') ? e.reason.slice(9) : null)));
  const url =
    urls.length === 1
      ? ` ${truncate(urls[0] ?? '', NAME_MAX)}`
      : urls.length > 1
        ? ` (${urls.length} URLs)`
        : '';
  return `Callback URL${url} not allowed for ${scopeLabel(i.scope, i.clientName)}: ${plural(i.stats.failures, 'login')} refused ${inWindow(t)}`;
};

export const corsTitle = (i: TitleInput, t: DetectionThresholds): string => {
  const origins = ranked(i.events.map((e) => (e.reason?.startsWith('origin ') ? e.reason.slice(7) : null)));
  const from =
    origins.length === 1
      ? ` from ${truncate(origins[0] ?? '', NAME_MAX)}`
      : origins.length > 1
        ? ` from ${origins.length} origins`
        : '';
  return `CORS refused ${plural(i.stats.failures, 'request')} to ${scopeLabel(i.scope, i.clientName)}${from} ${inWindow(t)}`;
};

// ── Platform ──────────────────────────────────────────────────────────────────────────────────

export const kmsFailures = (events: readonly StoredLogEvent[]): number =>
  events.filter((e) => e.type === 'kms_key_management_failure').length;

export const platformTitle = (i: TitleInput, t: DetectionThresholds): string => {
  const subjects = ranked(i.events.map((e) => subjectOf(e.reason)));
  const what = subjects.length === 0 ? 'A platform operation' : listed(subjects);
  return `${what} failed: ${plural(i.stats.failures, 'failure')} ${inWindow(t)}`;
};
