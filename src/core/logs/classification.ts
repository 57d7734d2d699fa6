import { z } from 'zod';
import { catalogueEntry } from './catalogue.js';
import type { LogSignal } from './model.js';
import { actorOf, changeSummary } from './management-request.js';
import { deprecatedFeature, outageReason } from './outage-reasons.js';
import { limitReason, limitScope } from './rate-limit-bucket.js';
import { secretExposureOf } from './secret-exposure.js';
import { securityChangeOf } from './security-changes.js';

// The signals live in model.ts (the catalogue needs them too); re-exported for their readers here.
export type { LogSignal } from './model.js';

/**
 * The signal of a log code, from the catalogue (catalogue.ts): every code Auth0 documents, and for
 * a code nobody knows yet one guessed from its shape (`unknown_failure` or `ignored`).
 */
export const signalForCode = (code: string): LogSignal => catalogueEntry(code).signal;

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
  /** Optional fields of the wrong type dropped while parsing (absent when none were). */
  readonly droppedFields?: readonly string[];
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

/** The optional top-level fields: one of the wrong type is dropped alone, the entry is kept. */
const OPTIONAL_FIELDS: ReadonlySet<string> = new Set([
  'description',
  'client_id',
  'client_name',
  'ip',
  'user_id',
  'user_name',
  'connection',
  'user_agent',
]);

/**
 * The slow path, only for an entry the schema refused: when every problem is an optional field of
 * the wrong type (a numeric `client_name`), those fields are dropped and the rest is parsed again.
 */
const withoutWrongFields = (
  raw: object,
  issues: readonly z.core.$ZodIssue[],
): { raw: Record<string, unknown>; dropped: string[] } | undefined => {
  const dropped: string[] = [];
  for (const issue of issues) {
    const field = issue.path.length === 1 ? issue.path[0] : undefined;
    if (typeof field !== 'string' || !OPTIONAL_FIELDS.has(field)) return undefined;
    dropped.push(field);
  }
  const copy = Object.fromEntries(Object.entries(raw).filter(([key]) => !dropped.includes(key)));
  return { raw: copy, dropped };
};

/** `details.qs.client_id`: where Auth0 puts the client of some failed logins (`f`) instead of `client_id`. */
const queryClientId = (details: unknown): string | undefined => {
  if (typeof details !== 'object' || details === null || !('qs' in details)) return undefined;
  const qs = details.qs;
  if (typeof qs !== 'object' || qs === null || !('client_id' in qs)) return undefined;
  return typeof qs.client_id === 'string' ? qs.client_id : undefined;
};

/**
 * Validates one raw entry; a malformed entry is reported, never thrown. `log_id`, `date` and
 * `type` are required; an optional field of the wrong type is dropped alone (listed in
 * `droppedFields`, for the caller to count) and the entry kept.
 */
export const parseLogEntry = (raw: unknown): ParseResult => {
  const missing = missingField(raw);
  if (missing !== undefined) return missing;
  // Nearly every entry is well-formed: checked by hand, it skips the schema, which was a tenth of
  // ingestion's time. Anything else takes the schema's path, with its precise problems.
  if (wellFormed(raw as Record<string, unknown>)) {
    const result = toEntry(raw as z.infer<typeof logEntrySchema>);
    return result.entry ? { ok: true, entry: result.entry } : result;
  }
  let parsed = logEntrySchema.safeParse(raw);
  let droppedFields: string[] | undefined;
  if (!parsed.success && typeof raw === 'object' && raw !== null) {
    const retry = withoutWrongFields(raw, parsed.error.issues);
    if (retry !== undefined) {
      parsed = logEntrySchema.safeParse(retry.raw);
      droppedFields = retry.dropped;
    }
  }
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
  const result = toEntry(parsed.data);
  if (!result.entry) return result;
  return { ok: true, entry: droppedFields === undefined ? result.entry : { ...result.entry, droppedFields } };
};

/** What the schema accepts, checked without it: required fields within bounds, optional ones text or absent. */
const wellFormed = (fields: Record<string, unknown>): boolean => {
  const { log_id: logId, date, type } = fields;
  if (typeof logId !== 'string' || logId.length < 1 || logId.length > 128) return false;
  if (typeof date !== 'string' || date.length < 1 || date.length > 64) return false;
  if (typeof type !== 'string' || type.length < 1 || type.length > 64) return false;
  for (const field of OPTIONAL_FIELDS) {
    const value = fields[field];
    if (value !== undefined && value !== null && typeof value !== 'string') return false;
  }
  return true;
};

/** Bounds and normalises a schema-valid entry; its date must still be a timestamp. */
const toEntry = (
  e: z.infer<typeof logEntrySchema>,
): { entry: TenantLogEntry } | { ok: false; logId: string; problem: string; entry?: undefined } => {
  const time = Date.parse(e.date);
  if (Number.isNaN(time)) return { ok: false, logId: e.log_id, problem: 'date: date is not a timestamp' };
  const entry: TenantLogEntry = {
    logId: e.log_id,
    date: new Date(time).toISOString(),
    type: e.type,
    description: bound(e.description, 512),
    clientId: bound(e.client_id || queryClientId(e.details), 128),
    clientName: bound(e.client_name, 256),
    ip: bound(e.ip, 64),
    userId: bound(e.user_id, 256),
    userName: bound(e.user_name, 256),
    connection: bound(e.connection, 256),
    userAgent: bound(e.user_agent, 256),
    details: e.details,
  };
  return { entry };
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
    case 'callback_mismatch':
    case 'tenant_change':
    case 'secrets_read':
      return `client:${entry.clientId ?? 'unknown'}`;
    case 'rate_limit':
    case 'rate_limit_warning':
      return limitScope(entry);
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
    case 'callback_mismatch': {
      const url = CALLBACK_URL.exec(entry.description ?? '')?.[1];
      return url === undefined ? entry.description : `callback ${url.slice(0, 200)}`;
    }
    case 'custom_domain_failure':
      return detailString(entry.details, 'errorMsg', 'status') ?? entry.description;
    case 'tenant_change':
      // What was changed, with the body's keys: detection tells a secret change from other client
      // changes by them (management-request.ts isCredentialChange).
      return changeSummary(entry.details) ?? entry.description;
    case 'rate_limit':
    case 'rate_limit_warning':
      return limitReason(entry);
    default:
      return null;
  }
};

/**
 * The user agent every request of the bot carries (src/auth0/auth0-fetch.ts). Auth0 logs it with
 * token exchanges, so the bot's own test token requests for another client are recognised as its own.
 */
export const OWN_USER_AGENT = 'auth0-oncall/1';

const isOwnUserAgent = (ua: string | null): boolean => ua !== null && ua.startsWith(OWN_USER_AGENT);

export interface ClassifyOptions {
  /** The bot's own client ID: its `sapi`, `mgmt_api_read` and token entries are marked own. */
  readonly botClientId: string;
}

/**
 * The person behind a Management API entry (`details.request.auth.user`) where the entry names
 * nobody itself: `sapi` carries no `user_name`, so without this a change reads "by <client ID>".
 */
const withActor = (entry: TenantLogEntry): TenantLogEntry => {
  if (entry.userName !== null || (entry.type !== 'sapi' && entry.type !== 'mgmt_api_read')) return entry;
  const actor = actorOf(entry.details);
  return actor === undefined ? entry : { ...entry, userName: actor };
};

/**
 * The security reading of a Management API entry or an API Explorer token, when it has one: a
 * weakening `sapi` becomes `security_change` scoped to what it weakened, a person's secret read
 * `secret_exposure` (security-changes.ts, secret-exposure.ts). The bot's own calls never are.
 */
const securityReading = (
  signal: LogSignal,
  entry: TenantLogEntry,
): Pick<ClassifiedLog, 'signal' | 'scope' | 'reason'> | undefined => {
  if (signal === 'tenant_change') {
    const change = securityChangeOf(entry.details, entry.description);
    return change && { signal: 'security_change', scope: change.scope, reason: change.what };
  }
  if (signal === 'secrets_read' || entry.type === 'seccft') {
    const exposure = secretExposureOf(entry.type, entry);
    return exposure && { signal: 'secret_exposure', scope: exposure.scope, reason: exposure.what };
  }
  return undefined;
};

/** Auth0's description of a login refused for its redirect: `Callback URL mismatch. <url> is not in …`. */
const CALLBACK_MISMATCH = /callback url mismatch/i;
const CALLBACK_URL = /callback url mismatch\.?\s+(\S+)/i;

/**
 * Distinct reasons in one scope are separated before they are counted (core/detection/grouping.ts):
 * a failed login whose callback URL is not allowed is a configuration problem of its client.
 */
const readingOf = (signal: LogSignal, entry: TenantLogEntry): LogSignal =>
  signal === 'login_failure' &&
  CALLBACK_MISMATCH.test(`${entry.description ?? ''} ${detailString(entry.details, 'error') ?? ''}`)
    ? 'callback_mismatch'
    : signal;

export const classifyLog = (entry: TenantLogEntry, options: ClassifyOptions): ClassifiedLog => {
  const base = readingOf(signalForCode(entry.type), entry);
  const own =
    (entry.clientId !== null && entry.clientId === options.botClientId) || isOwnUserAgent(entry.userAgent);
  const attributed = withActor(entry);
  const security = own ? undefined : securityReading(base, attributed);
  if (security) return { entry: attributed, own, ...security };
  return {
    entry: attributed,
    signal: base,
    scope: scopeFor(base, attributed),
    own,
    reason: reasonFor(base, attributed),
  };
};

/** `2026-03-01T12:00` for any time within that minute (UTC): the bucket of per-minute counts. */
export const minuteOf = (isoDate: string): string => isoDate.slice(0, 16);
