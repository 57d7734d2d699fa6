import { z } from 'zod';
import { deprecatedFeature, outageReason } from './outage-reasons.js';

/**
 * Auth0 log codes → the signals detection works on, following Auth0's list of log event type codes
 * (https://auth0.com/docs/deploy-monitor/logs/log-event-type-codes). These common mistakes are
 * bugs here: seacft is a success, fcoa is not M2M, cls is not a secret change, fs is a failed
 * signup, and no code means "secret changed".
 */
export type LogSignal =
  // Logins and their denominators (connection-scoped).
  | 'login_failure'
  | 'login_success'
  /** Failed by an enterprise connector (AD/LDAP `fc`, `fcpro`): a login failure and a connection fault. */
  | 'connector_failure'
  | 'connection_offline'
  | 'connection_online'
  | 'signup_success'
  | 'signup_failure'
  // Token exchanges (client-scoped).
  | 'm2m_token_failure'
  | 'm2m_token_success'
  | 'web_token_failure'
  | 'web_token_success'
  /** A rotating refresh token used twice (`ferrt`): a stolen token. */
  | 'refresh_token_reuse'
  | 'cors_failure'
  // Limits and attack protection (IP-scoped where Auth0 gives the IP).
  | 'rate_limit'
  | 'rate_limit_warning'
  | 'attack_protection'
  | 'ip_blocked'
  | 'breached_password'
  | 'signup_breached_password'
  | 'attack_block_released'
  // MFA / Guardian (user-scoped).
  | 'mfa_failure'
  | 'mfa_rejected'
  | 'mfa_rate_limit'
  | 'mfa_enroll_failure'
  | 'mfa_success'
  | 'mfa_sent'
  // Extensibility, delivery, domains, the platform.
  | 'actions_failure'
  | 'notification_failure'
  | 'custom_domain_failure'
  | 'deprecation_notice'
  | 'platform_failure'
  // Management API.
  | 'tenant_change'
  | 'secrets_read'
  | 'ignored';

const codeToSignal: Readonly<Record<string, LogSignal>> = {
  s: 'login_success',
  scoa: 'login_success',
  sepft: 'login_success',
  sens: 'login_success',
  f: 'login_failure',
  fp: 'login_failure',
  fu: 'login_failure',
  fcoa: 'login_failure',
  fepft: 'login_failure',
  fens: 'login_failure',
  fc: 'connector_failure',
  fcpro: 'connector_failure',
  coff: 'connection_offline',
  con: 'connection_online',
  ss: 'signup_success',
  fs: 'signup_failure',
  feccft: 'm2m_token_failure',
  seccft: 'm2m_token_success',
  feacft: 'web_token_failure',
  fertft: 'web_token_failure',
  seacft: 'web_token_success',
  sertft: 'web_token_success',
  ferrt: 'refresh_token_reuse',
  fco: 'cors_failure',
  api_limit: 'rate_limit',
  api_limit_warning: 'rate_limit_warning',
  limit_wc: 'attack_protection',
  limit_sul: 'attack_protection',
  limit_mu: 'ip_blocked',
  pwd_leak: 'breached_password',
  reset_pwd_leak: 'breached_password',
  signup_pwd_leak: 'signup_breached_password',
  ublkdu: 'attack_block_released',
  gd_auth_failed: 'mfa_failure',
  gd_recovery_failed: 'mfa_failure',
  gd_webauthn_challenge_failed: 'mfa_failure',
  feotpft: 'mfa_failure',
  feoobft: 'mfa_failure',
  fercft: 'mfa_failure',
  gd_auth_rejected: 'mfa_rejected',
  gd_otp_rate_limit_exceed: 'mfa_rate_limit',
  gd_recovery_rate_limit_exceed: 'mfa_rate_limit',
  limit_phone: 'mfa_rate_limit',
  gd_start_enroll_failed: 'mfa_enroll_failure',
  gd_webauthn_enrollment_failed: 'mfa_enroll_failure',
  gd_auth_succeed: 'mfa_success',
  gd_recovery_succeed: 'mfa_success',
  gd_send_sms: 'mfa_sent',
  gd_send_voice: 'mfa_sent',
  gd_send_pn: 'mfa_sent',
  actions_execution_failed: 'actions_failure',
  flows_execution_failed: 'actions_failure',
  fcph: 'actions_failure',
  fpurh: 'actions_failure',
  fn: 'notification_failure',
  fv: 'notification_failure',
  gd_send_sms_failure: 'notification_failure',
  gd_send_voice_failure: 'notification_failure',
  gd_send_pn_failure: 'notification_failure',
  custom_domain_verification_failed: 'custom_domain_failure',
  depnote: 'deprecation_notice',
  directory_sync_failed: 'platform_failure',
  kms_key_management_failure: 'platform_failure',
  sapi: 'tenant_change',
  mgmt_api_read: 'secrets_read',
};

export const signalForCode = (code: string): LogSignal => codeToSignal[code] ?? 'ignored';

// Plain field checks only: refinements and transforms per field cost 10× on the ingest hot path,
// so bounding and normalising happen in one pass after the schema has checked the types.
const nullableText = z.string().nullish();
const logEntrySchema = z.looseObject({
  log_id: z.string().min(1).max(128),
  date: z.string().min(1).max(64),
  type: z.string().min(1).max(64),
  description: nullableText,
  client_id: nullableText,
  client_name: nullableText,
  ip: nullableText,
  user_id: nullableText,
  user_name: nullableText,
  connection: nullableText,
  user_agent: nullableText,
});

// Log fields are attacker-controlled (user names, user agents): bounded before they go anywhere.
const bound = (value: string | null | undefined, max: number): string | null => {
  if (value === null || value === undefined || value === '') return null;
  return value.length > max ? `${value.slice(0, max - 1)}…` : value;
};

export interface TenantLogEntry {
  readonly logId: string;
  /** Canonical ISO-8601 UTC. */
  readonly date: string;
  readonly type: string;
  readonly description: string | null;
  readonly clientId: string | null;
  readonly clientName: string | null;
  readonly ip: string | null;
  readonly userId: string | null;
  readonly userName: string | null;
  readonly connection: string | null;
  readonly userAgent: string | null;
  readonly details: unknown;
}

export interface ClassifiedLog {
  readonly entry: TenantLogEntry;
  readonly signal: LogSignal;
  /**
   * What an incident would be about: `tenant`, `client:<id>`, `connection:<name>`, `ip:<addr>`,
   * `domain:<name>`, `user:<id>`.
   */
  readonly scope: string;
  /** Caused by the bot itself (its own Management API calls and token requests). */
  readonly own: boolean;
  /** A short, bounded reason where the code carries one (e.g. feccft's authentication error). */
  readonly reason: string | null;
}

export type ParseResult =
  { ok: true; entry: TenantLogEntry } | { ok: false; problem: string; logId: string | undefined };

/**
 * The cheap checks first: a body of junk (a Log Stream request can hold ~700,000 `{}`) is refused
 * without building a schema error for each item, which cost ~40 µs apiece.
 */
const missingField = (raw: unknown): ParseResult | undefined => {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw))
    return { ok: false, logId: undefined, problem: 'entry: expected an object' };
  const fields = raw as Record<string, unknown>;
  const logId = typeof fields.log_id === 'string' ? fields.log_id : undefined;
  for (const field of ['log_id', 'date', 'type'] as const) {
    if (typeof fields[field] !== 'string')
      return { ok: false, logId, problem: `${field}: expected a string` };
  }
  return undefined;
};

/** Validates one raw entry; a malformed entry is reported, never thrown. */
export const parseLogEntry = (raw: unknown): ParseResult => {
  const missing = missingField(raw);
  if (missing !== undefined) return missing;
  const parsed = logEntrySchema.safeParse(raw);
  if (!parsed.success) {
    const logId =
      typeof raw === 'object' && raw !== null && 'log_id' in raw && typeof raw.log_id === 'string'
        ? raw.log_id
        : undefined;
    const issue = parsed.error.issues[0];
    return {
      ok: false,
      logId,
      problem: issue ? `${issue.path.join('.') || 'entry'}: ${issue.message}` : 'invalid entry',
    };
  }
  const e = parsed.data;
  const time = Date.parse(e.date);
  if (Number.isNaN(time)) return { ok: false, logId: e.log_id, problem: 'date: date is not a timestamp' };
  return {
    ok: true,
    entry: {
      logId: e.log_id,
      date: new Date(time).toISOString(),
      type: e.type,
      description: bound(e.description, 512),
      clientId: bound(e.client_id, 128),
      clientName: bound(e.client_name, 256),
      ip: bound(e.ip, 64),
      userId: bound(e.user_id, 256),
      userName: bound(e.user_name, 256),
      connection: bound(e.connection, 256),
      userAgent: bound(e.user_agent, 256),
      details: e.details,
    },
  };
};

const detailString = (details: unknown, ...keys: string[]): string | null => {
  if (typeof details !== 'object' || details === null) return null;
  for (const key of keys) {
    const value = (details as Record<string, unknown>)[key];
    if (typeof value === 'string' && value !== '') return value.slice(0, 200);
    if (
      typeof value === 'object' &&
      value !== null &&
      'message' in value &&
      typeof value.message === 'string'
    ) {
      return value.message.slice(0, 200);
    }
  }
  return null;
};

/** `PATCH /api/v2/clients/abc` from a sapi entry's details.request, bounded. */
const requestLine = (details: unknown): string | null => {
  if (typeof details !== 'object' || details === null || !('request' in details)) return null;
  const request = details.request;
  if (typeof request !== 'object' || request === null) return null;
  const method =
    'method' in request && typeof request.method === 'string' ? request.method.toUpperCase() : '';
  const path = 'path' in request && typeof request.path === 'string' ? request.path : '';
  return path === '' ? null : `${method} ${path}`.trim().slice(0, 200);
};

const scopeFor = (signal: LogSignal, entry: TenantLogEntry): string => {
  switch (signal) {
    case 'login_failure':
    case 'login_success':
    case 'connector_failure':
    case 'connection_offline':
    case 'connection_online':
    case 'signup_success':
    case 'signup_failure':
      return entry.connection ? `connection:${entry.connection}` : 'tenant';
    case 'm2m_token_failure':
    case 'm2m_token_success':
    case 'web_token_failure':
    case 'web_token_success':
    case 'refresh_token_reuse':
    case 'cors_failure':
    case 'tenant_change':
    case 'secrets_read':
      return `client:${entry.clientId ?? 'unknown'}`;
    case 'attack_protection':
    case 'ip_blocked':
    case 'breached_password':
    case 'signup_breached_password':
    case 'attack_block_released':
      return entry.ip ? `ip:${entry.ip}` : 'tenant';
    case 'mfa_failure':
    case 'mfa_rejected':
    case 'mfa_rate_limit':
    case 'mfa_enroll_failure':
    case 'mfa_success':
    case 'mfa_sent':
      return entry.userId ? `user:${entry.userId}` : 'tenant';
    case 'custom_domain_failure': {
      const domain = detailString(entry.details, 'domain');
      return domain ? `domain:${domain}` : 'tenant';
    }
    case 'deprecation_notice': {
      // Per feature, so the day's digest reads its features from the per-minute counts alone.
      const feature = deprecatedFeature(entry.details);
      return feature ? `feature:${feature}` : 'tenant';
    }
    default:
      return 'tenant';
  }
};

const reasonFor = (signal: LogSignal, entry: TenantLogEntry): string | null => {
  const outage = outageReason(signal, entry);
  if (outage !== undefined) return outage;
  switch (signal) {
    case 'm2m_token_failure':
      // Auth0's schema spells it "authentoication"; read both.
      return (
        detailString(entry.details, 'client_authentoication_error', 'client_authentication_error', 'error') ??
        entry.description
      );
    case 'web_token_failure':
      return detailString(entry.details, 'failure_reason', 'error') ?? entry.description;
    case 'login_failure':
      return detailString(entry.details, 'error', 'error_class') ?? entry.description;
    case 'custom_domain_failure':
      return detailString(entry.details, 'errorMsg', 'status') ?? entry.description;
    case 'tenant_change':
      // What was changed: detection matches a secret change to the client in the path.
      return requestLine(entry.details) ?? entry.description;
    default:
      return null;
  }
};

export interface ClassifyOptions {
  /** The bot's own client ID: its `sapi`, `mgmt_api_read` and token entries are marked own. */
  readonly botClientId: string;
}

export const classifyLog = (entry: TenantLogEntry, options: ClassifyOptions): ClassifiedLog => {
  const signal = signalForCode(entry.type);
  return {
    entry,
    signal,
    scope: scopeFor(signal, entry),
    own: entry.clientId !== null && entry.clientId === options.botClientId,
    reason: reasonFor(signal, entry),
  };
};

/** `2026-03-01T12:00` for any time within that minute (UTC): the bucket of per-minute counts. */
export const minuteOf = (isoDate: string): string => isoDate.slice(0, 16);
