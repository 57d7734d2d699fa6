import type { Suspect } from '../../core/detection/model.js';
import type { Severity } from '../../core/incidents/model.js';
import { escapeMrkdwn } from './text.js';

/**
 * Formatting shared by the incident card, the `/auth0 incidents` list and the thread lines, so a
 * severity, a signal, a time or a number reads the same wherever it appears.
 */

const MARK = '…';

export const severityEmoji: Readonly<Record<Severity, string>> = {
  high: ':red_circle:',
  medium: ':large_orange_circle:',
  low: ':large_yellow_circle:',
  info: ':large_blue_circle:',
};

const severityWord: Readonly<Record<Severity, string>> = {
  high: 'High',
  medium: 'Medium',
  low: 'Low',
  info: 'Info',
};

/** Highest first: the order incidents are listed in. */
export const severityRank: Readonly<Record<Severity, number>> = { high: 0, medium: 1, low: 2, info: 3 };

/** `:red_circle: High`. */
export const severityLabel = (severity: Severity): string =>
  `${severityEmoji[severity]} ${severityWord[severity]}`;

const signalWords: Readonly<Record<string, string>> = {
  failed_logins: 'Failed logins',
  m2m_token_failures: 'M2M token failures',
  web_token_failures: 'Web token exchange failures',
  rate_limit: 'Rate limits',
  attack_protection: 'Attack protection',
  actions_failures: 'Actions failures',
  signing_key: 'Signing key',
  certificate: 'Expiring certificate',
  credential_expiry: 'Expiring credential',
  custom_domain: 'Custom domain',
  auth0_unreachable: 'Bot cannot reach Auth0',
  rotation_failed: 'Credential rotation failed',
  mass_user_deletion: 'Mass user deletion',
  mass_user_blocking: 'Mass user blocking',
  signup_burst: 'Sign-up burst',
  organization_connections: 'Organization connections changed',
};

/** The signal in words, already safe for mrkdwn (an unknown signal is shown as its name). */
export const signalName = (signal: string): string => {
  const known = signalWords[signal];
  if (known !== undefined) return known;
  const words = clean(signal).replace(/_/g, ' ');
  return escapeWithin(words.charAt(0).toUpperCase() + words.slice(1), 60);
};

// C0/C1 controls, zero-width and bidi overrides: log fields are attacker-controlled, and these can
// break a line, hide text or reverse how the rest of the card reads.
// eslint-disable-next-line no-control-regex
const INVISIBLE = /[\u0000-\u001f\u007f-\u009f\u200b-\u200f\u202a-\u202e\u2060-\u2069\ufeff]+/g;

/** One line of plain text: control and invisible characters become spaces, runs of space one. */
export const clean = (text: string): string => text.replace(INVISIBLE, ' ').replace(/\s+/g, ' ').trim();

/** Several lines of plain text: each line cleaned, blank lines dropped. */
export const cleanLines = (text: string): string =>
  text
    .split(/\r?\n/)
    .map(clean)
    .filter((line) => line !== '')
    .join('\n');

/**
 * Escapes `text` for mrkdwn and cuts it so the *escaped* result fits `max` characters, marking a
 * cut with `…`. Cutting after escaping could split `&lt;` and leave a stray `&`; cutting before
 * could overflow, since escaping lengthens the text.
 */
export const escapeWithin = (text: string, max: number): string => {
  const escaped = escapeMrkdwn(text);
  if (escaped.length <= max) return escaped;
  let out = '';
  for (const char of text) {
    const piece = escapeMrkdwn(char);
    if (out.length + piece.length > max - MARK.length) break;
    out += piece;
  }
  return out + MARK;
};

/** A value from the logs on one line, escaped and bounded: `(empty)` when there is nothing. */
export const untrusted = (text: string, max: number): string => {
  const line = clean(text);
  return line === '' ? '_(empty)_' : escapeWithin(line, max);
};

/** A Slack user ID as a mention; the bot itself in words; anything else as escaped text. */
export const userRef = (actor: string | null | undefined): string => {
  if (actor === null || actor === undefined || actor === '' || actor === 'system') return 'auth0-oncall';
  if (/^[UW][A-Z0-9]{2,20}$/.test(actor)) return `<@${actor}>`;
  return untrusted(actor, 60);
};

/** `<!subteam^S…>` for a user-group ID; nothing for an empty or malformed one. */
export const groupMention = (groupId: string | null | undefined): string | undefined =>
  groupId !== null && groupId !== undefined && /^S[A-Z0-9]{2,20}$/.test(groupId)
    ? `<!subteam^${groupId}>`
    : undefined;

const toDate = (at: string | Date): Date => (at instanceof Date ? at : new Date(at));

/**
 * A Slack date token: each reader sees the time in their own time zone; the fallback (UTC) is what
 * notifications and old clients show.
 */
export const slackDate = (at: string | Date, format = '{date_short_pretty} at {time}'): string => {
  const date = toDate(at);
  const ms = date.getTime();
  if (!Number.isFinite(ms)) return typeof at === 'string' ? untrusted(at, 40) : 'unknown time';
  const fallback = `${date.toISOString().slice(0, 16).replace('T', ' ')} UTC`;
  return `<!date^${Math.floor(ms / 1000)}^${format}|${fallback}>`;
};

/** `less than a minute`, `4 min`, `2 h 5 min`, `3 d 4 h`: the sign is ignored. */
export const formatDuration = (ms: number): string => {
  if (!Number.isFinite(ms)) return 'an unknown time';
  const minutes = Math.floor(Math.abs(ms) / 60_000);
  if (minutes < 1) return 'less than a minute';
  if (minutes < 60) return `${minutes} min`;
  const hours = Math.floor(minutes / 60);
  if (hours < 24) return minutes % 60 === 0 ? `${hours} h` : `${hours} h ${minutes % 60} min`;
  const days = Math.floor(hours / 24);
  return hours % 24 === 0 ? `${days} d` : `${days} d ${hours % 24} h`;
};

/** Milliseconds from `from` to `to`; NaN when either is not a time. */
export const between = (from: string | Date, to: string | Date): number =>
  toDate(to).getTime() - toDate(from).getTime();

const decimal = (n: number, digits: number): string =>
  n.toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: 0 });

/** `1,234`. */
export const formatCount = (n: number): string => (Number.isFinite(n) ? decimal(Math.round(n), 0) : '—');

/** `42%`, `3.5%`, `0.4%` for a 0..1 ratio: one decimal below 10% so a small share is not `0%`. */
export const formatPercent = (ratio: number): string => {
  if (!Number.isFinite(ratio)) return '—';
  const pct = Math.min(Math.max(ratio, 0), 1) * 100;
  return `${decimal(pct, pct < 10 ? 1 : 0)}%`;
};

/** `12/min`, `2.5/min`, `0.02/min`. */
export const formatRate = (perMinute: number): string => {
  if (!Number.isFinite(perMinute)) return '—';
  const digits = perMinute >= 10 ? 0 : perMinute >= 1 ? 1 : 2;
  return `${decimal(perMinute, digits)}/min`;
};

/** `6.2×`, `15×`: how far a rate is above its baseline. */
export const formatMultiple = (n: number): string =>
  Number.isFinite(n) ? `${decimal(n, n >= 10 ? 0 : 1)}×` : '—';

/** `last 5 min`, `last 2 h`. */
export const formatWindow = (minutes: number): string =>
  Number.isFinite(minutes) && minutes > 0 ? `last ${formatDuration(minutes * 60_000)}` : 'the current window';

const suspectKind: Readonly<Record<Suspect['kind'], string>> = {
  tenant_change: 'Tenant change',
  signing_key_rotation: 'Signing-key rotation',
  own_rotation: 'Credential rotation',
  own_change: 'Change',
};

/** `<date> Tenant change by deploy-bot: PATCH /api/v2/clients/abc _(the bot's own change)_`. */
export const suspectLine = (suspect: Suspect): string => {
  const own = suspect.expected ? " _(the bot's own change)_" : '';
  const who = untrusted(suspect.who, 60);
  return `${slackDate(suspect.at)} ${suspectKind[suspect.kind]} by ${who}: ${untrusted(suspect.what, 120)}${own}`;
};
