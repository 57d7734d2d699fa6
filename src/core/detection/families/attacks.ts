import type { LogSignal } from '../../logs/classification.js';
import type { StoredLogEvent } from '../../logs/ports.js';
import { topItems } from '../evidence.js';
import type { Draft } from '../log-decisions.js';
import { MINUTE_MS } from '../minutes.js';
import type { Refiner, Supersedes } from '../refinement.js';
import type { Judge, LogDetectionSignal, SignalGroup, WindowStats } from '../rules.js';
import { plural, scopeLabel } from '../titles.js';
import { refineStuffing, stuffingGate, stuffingSupersedes } from './credential-stuffing.js';

/**
 * Attacks on logins, tokens, MFA and signups. Severity rules (docs/detections.md, "Attacks"):
 *
 * - credential_stuffing: see credential-stuffing.ts (distinct users per IP, IPs per user, the
 *   failure ratio and the baseline; medium, high at ≥ 50 users or a ratio above 50%).
 * - refresh_token_reuse (`ferrt`), per client: one event is high (a rotating refresh token used twice
 *   means a copy of it is in someone else's hands).
 * - ip_blocked (`limit_mu`), per IP: one event is enough; high when the IP had a successful login in
 *   the last 24 h (an office NAT or VPN: real users are locked out), else medium.
 * - breached_password (`pwd_leak`, `reset_pwd_leak`), tenant-wide (Auth0 logs them at most once per
 *   IP per hour, so one card lists the IPs): one is medium, ≥ 10 in the window high.
 * - mfa_abuse, per user: ≥ 10 MFA messages sent in the window (SMS bombing, push flood) medium, high
 *   with a rejection or rate limit beside it; ≥ 3 push rejections (push fatigue) high; one OTP or
 *   recovery-code rate limit medium; ≥ 10 wrong codes medium; ≥ 3 failed enrolments low.
 * - signup_fraud, tenant-wide: signups (`ss` + `fs` + `signup_pwd_leak`) above 5× the usual rate with at
 *   least 20 in the window, or ≥ 100 with no baseline yet: medium; high when ≥ 25% failed or any used
 *   a breached password.
 */

const rate = (s: WindowStats, minutes: number): number => s.failures / minutes;
const n = (s: WindowStats, signal: LogSignal): number => s.bySignal[signal] ?? 0;

// MFA, per user: the levels below, in the window.
const MFA_SENDS = 10;
const MFA_REJECTIONS = 3;
const MFA_WRONG_CODES = 10;
const MFA_ENROLL_FAILURES = 3;

const mfaJudge: Judge = {
  level: (s) => {
    const sent = n(s, 'mfa_sent');
    const rejected = n(s, 'mfa_rejected');
    const limited = n(s, 'mfa_rate_limit');
    if (sent >= MFA_SENDS) return { severity: rejected + limited > 0 ? 'high' : 'medium', basis: 'volume' };
    if (rejected >= MFA_REJECTIONS) return { severity: 'high', basis: 'volume' };
    if (limited >= 1 || n(s, 'mfa_failure') >= MFA_WRONG_CODES)
      return { severity: 'medium', basis: 'volume' };
    if (n(s, 'mfa_enroll_failure') >= MFA_ENROLL_FAILURES) return { severity: 'low', basis: 'volume' };
    return undefined;
  },
  quiet: (s) =>
    n(s, 'mfa_sent') < MFA_SENDS / 2 &&
    n(s, 'mfa_rejected') === 0 &&
    n(s, 'mfa_rate_limit') === 0 &&
    n(s, 'mfa_failure') < MFA_WRONG_CODES / 2 &&
    n(s, 'mfa_enroll_failure') === 0,
};

const SIGNUP_MIN = 20;
const SIGNUP_NO_BASELINE = 100;
const SIGNUP_FAILED_SHARE = 0.25;

const signupJudge: Judge = {
  level: (s, ctx, t) => {
    const surge =
      ctx.baseline === undefined
        ? s.failures >= SIGNUP_NO_BASELINE
        : s.failures >= SIGNUP_MIN && rate(s, t.windowMinutes) > t.baselineMultiple * ctx.baseline;
    if (!surge) return undefined;
    const failed = n(s, 'signup_failure') + n(s, 'signup_breached_password');
    const high = n(s, 'signup_breached_password') > 0 || failed >= SIGNUP_FAILED_SHARE * s.failures;
    return { severity: high ? 'high' : 'medium', basis: ctx.baseline === undefined ? 'volume' : 'baseline' };
  },
  quiet: (s, ctx, t) =>
    s.failures < SIGNUP_MIN ||
    (ctx.baseline !== undefined && rate(s, t.windowMinutes) <= t.baselineRecoveryMultiple * ctx.baseline),
};

const perMinute = (value: number): string => `${Math.round(value * 10) / 10}/min`;

export const ATTACK_GROUPS: readonly SignalGroup[] = [
  {
    signal: 'credential_stuffing',
    failures: ['login_failure', 'connector_failure'],
    success: 'login_success',
    rule: 'custom',
    judge: stuffingGate,
    scoping: 'tenant',
    recovery: (t) => `failed logins back to their usual level for ${t.quietMinutes} min`,
  },
  {
    signal: 'refresh_token_reuse',
    failures: ['refresh_token_reuse'],
    rule: 'count',
    levels: { high: 1 },
    scoping: 'per_scope',
    title: (i, t) =>
      `Refresh-token reuse for ${scopeLabel(i.scope, i.clientName)}: ${plural(i.stats.failures, 'reused token')} in ${t.windowMinutes} min from ${plural(i.distinctIps, 'IP')}`,
    recovery: (t) => `no refresh-token reuse for ${t.quietMinutes} min`,
  },
  {
    signal: 'ip_blocked',
    failures: ['ip_blocked'],
    rule: 'count',
    levels: { medium: 1 },
    scoping: 'per_scope',
    recovery: (t) => `no new block of the IP for ${t.quietMinutes} min (Auth0 may still be blocking it)`,
  },
  {
    signal: 'breached_password',
    failures: ['breached_password'],
    rule: 'count',
    levels: { medium: 1, high: 10 },
    scoping: 'tenant',
    title: (i, t) =>
      `Breached passwords: ${plural(i.stats.failures, 'login')} with a leaked password blocked from ${plural(i.distinctIps, 'IP')} in ${t.windowMinutes} min`,
    recovery: (t) => `no login with a leaked password for ${t.quietMinutes} min`,
  },
  {
    signal: 'mfa_abuse',
    // Sends count as "failures" here: a flood of codes to one user is the attack.
    failures: ['mfa_sent', 'mfa_rejected', 'mfa_rate_limit', 'mfa_failure', 'mfa_enroll_failure'],
    success: 'mfa_success',
    rule: 'custom',
    judge: mfaJudge,
    scoping: 'per_scope',
    recovery: (t) => `MFA messages and failures for the user back to normal for ${t.quietMinutes} min`,
  },
  {
    signal: 'signup_fraud',
    failures: ['signup_success', 'signup_failure', 'signup_breached_password'],
    rule: 'custom',
    judge: signupJudge,
    scoping: 'tenant',
    title: (i, t) => {
      const s = i.stats;
      const usual = i.context.baseline === undefined ? '' : ` (usually ${perMinute(i.context.baseline)})`;
      const failed = n(s, 'signup_failure');
      const leaked = n(s, 'signup_breached_password');
      const extras = [
        failed > 0 ? `${failed} failed` : '',
        leaked > 0 ? `${plural(leaked, 'attempt')} with a breached password` : '',
      ].filter((x) => x !== '');
      return `Signup surge: ${plural(s.failures, 'signup')} in ${t.windowMinutes} min${usual} from ${plural(i.distinctIps, 'IP')}${extras.length > 0 ? `, ${extras.join(', ')}` : ''}`;
    },
    recovery: (t) => `signups back to their usual rate for ${t.quietMinutes} min`,
  },
];

const usersOf = (events: readonly StoredLogEvent[]): string =>
  topItems(
    events.map((e) => e.userName),
    { topN: 5, topValueLength: 60 },
  )
    .map((u) => `${u.value} (${u.count})`)
    .join(', ');

const withSummary = (draft: Draft, summary: string): Draft => ({
  ...draft,
  evidence: { ...draft.evidence, summary },
});

const refineTokenReuse: Refiner = (draft) =>
  withSummary(
    draft,
    'A rotating refresh token was presented after it had already been exchanged: the token family is ' +
      `revoked and one of the two holders is not the user. Users: ${usersOf(draft.events) || 'not logged'}.`,
  );

const KNOWN_IP_HOURS = 24;

const refineIpBlocked: Refiner = (draft, ctx, open) => {
  const ip = draft.finding.scope.startsWith('ip:') ? draft.finding.scope.slice('ip:'.length) : undefined;
  if (ip === undefined) return draft;
  const existing = open.find((o) => o.scope === draft.finding.scope);
  // Looked up once, when it opens (a scan of a day's events for an unknown IP): the open incident keeps it.
  const known =
    existing !== undefined
      ? existing.severity === 'high'
      : ctx.logs.recent({
          signal: 'login_success',
          ip,
          since: new Date(ctx.now.getTime() - KNOWN_IP_HOURS * 60 * MINUTE_MS).toISOString(),
          limit: 1,
        }).length > 0;
  const users = usersOf(draft.events);
  return {
    ...draft,
    severity: known ? 'high' : 'medium',
    title: known
      ? `Auth0 blocked ${ip}, an address your users log in from: too many failed logins`
      : `Auth0 blocked ${ip} after too many failed logins (no successful login from it in ${KNOWN_IP_HOURS} h)`,
    evidence: {
      ...draft.evidence,
      singleSourceIp: ip,
      summary: known
        ? `${ip} had successful logins in the last ${KNOWN_IP_HOURS} h (an office NAT, a VPN or a server): everyone behind it is blocked until it is unblocked.${users ? ` Last tried: ${users}.` : ''}`
        : `No successful login from ${ip} in the last ${KNOWN_IP_HOURS} h: probably an attacker, and the block is Auth0 doing its job.`,
    },
  };
};

const refineBreached: Refiner = (draft) =>
  withSummary(
    draft,
    'Auth0 blocked logins that used a password known from a public breach; each user was told to reset ' +
      `it and stays blocked until they do. Users: ${usersOf(draft.events) || 'not logged'}.`,
  );

/** Which MFA messages went to the user in the window: pushes, SMS, voice. */
const sentKind = (events: readonly StoredLogEvent[]): string => {
  const labels: Readonly<Record<string, string>> = {
    gd_send_pn: 'push',
    gd_send_sms: 'SMS',
    gd_send_voice: 'voice call',
  };
  const [top] = topItems(
    events.map((e) => labels[e.type]),
    { topN: 1, topValueLength: 20 },
  );
  return top?.value ?? 'MFA message';
};

const mfaTitle = (draft: Draft, user: string, kind: string, minutes: number): string => {
  const s = draft.finding.stats;
  const sent = n(s, 'mfa_sent');
  const rejected = n(s, 'mfa_rejected');
  const limited = n(s, 'mfa_rate_limit');
  if (sent >= MFA_SENDS && kind === 'SMS')
    return `SMS bombing of ${user}: ${sent} SMS sent in ${minutes} min${limited > 0 ? ', rate limit hit' : ''}`;
  if (sent >= MFA_SENDS || rejected >= MFA_REJECTIONS)
    return `MFA ${kind === 'push' ? 'push fatigue' : 'flood'} on ${user}: ${plural(sent, kind, kind === 'push' ? 'pushes' : `${kind}s`)} sent, ${rejected} rejected in ${minutes} min`;
  const wrong = n(s, 'mfa_failure');
  if (limited > 0) {
    const after = wrong > 0 ? ` after ${plural(wrong, 'wrong code')}` : '';
    return `MFA code guessing on ${user}: rate limit hit${after} in ${minutes} min`;
  }
  if (n(s, 'mfa_failure') >= MFA_WRONG_CODES)
    return `MFA code guessing on ${user}: ${plural(n(s, 'mfa_failure'), 'wrong code')} in ${minutes} min`;
  return `MFA enrolment failing for ${user}: ${plural(n(s, 'mfa_enroll_failure'), 'failure')} in ${minutes} min`;
};

const refineMfa: Refiner = (draft, ctx) => {
  const id = draft.finding.scope.startsWith('user:')
    ? draft.finding.scope.slice('user:'.length)
    : 'unknown user';
  const name = draft.events.find((e) => e.userName !== null)?.userName;
  const user = name ?? id;
  const kind = sentKind(draft.events);
  const s = draft.finding.stats;
  return {
    ...draft,
    title: mfaTitle(draft, user, kind, ctx.t.windowMinutes),
    evidence: {
      ...draft.evidence,
      summary:
        `User ${user}${name ? ` (${id})` : ''}: ${n(s, 'mfa_sent')} MFA messages sent (mostly ${kind}), ` +
        `${n(s, 'mfa_rejected')} rejected, ${n(s, 'mfa_failure')} wrong codes, ${n(s, 'mfa_rate_limit')} rate limits, ` +
        `${n(s, 'mfa_enroll_failure')} failed enrolments, ${s.successes} successful in the window.`,
    },
  };
};

export const ATTACK_REFINERS: Readonly<Partial<Record<LogDetectionSignal, Refiner>>> = {
  credential_stuffing: refineStuffing,
  refresh_token_reuse: refineTokenReuse,
  ip_blocked: refineIpBlocked,
  breached_password: refineBreached,
  mfa_abuse: refineMfa,
};

export const ATTACK_SUPERSEDES: readonly Supersedes[] = [stuffingSupersedes];
