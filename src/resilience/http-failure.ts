/**
 * Classifies whatever an SDK threw, without importing any SDK: errors are read by shape.
 * - Auth0 (node-auth0 v7): `ManagementError {statusCode, body, rawResponse.headers: Headers}`;
 *   a token failure is "ManagementClient: token request failed" with 401/403 (a timeout is 408).
 * - AWS SDK v3: `name` (ThrottlingException…), `$fault`, `$retryable`, `$metadata.httpStatusCode`.
 * - Slack web-api: `code` (slack_webapi_*), `data.error`, `retryAfter` (seconds), `statusCode`.
 * - fetch `Response`-like values and Anthropic-style errors: `status`, `headers`.
 * - Node/undici network errors: `code` (ECONNREFUSED…), usually as the `cause` of "fetch failed".
 * Reasons are built from status codes and error names only, never from bodies, messages or
 * headers, so they are safe in logs, Slack and the audit log.
 */
import { AppError } from '../errors.js';
import { isRecord, retryAfterMsOf, statusOf, stringField, type Fields } from './response-headers.js';

type FailureKind =
  | 'rate_limited'
  | 'server_error'
  | 'network'
  | 'timeout'
  | 'auth'
  | 'client_error'
  | 'circuit_open'
  | 'cancelled'
  | 'unknown';

export interface FailureInfo {
  readonly kind: FailureKind;
  readonly status?: number;
  /** A short machine code (ECONNREFUSED, ThrottlingException, channel_not_found), if any. */
  readonly code?: string;
  /** Worth another attempt if the call is safe to repeat: 429, 5xx, network, timeout. */
  readonly retryable: boolean;
  /** Says the dependency (or our credential for it) is down: counts against the breaker. */
  readonly countsAgainstBreaker: boolean;
  /** The failure came from getting a token, not from the API call itself. */
  readonly tokenRequest: boolean;
  /** What the server asked us to wait (Retry-After, x-ratelimit-reset, Slack's retryAfter). */
  readonly retryAfterMs?: number;
  /** For people; safe to show anywhere. */
  readonly reason: string;
}

/** Only identifier-like codes are repeated, so a message smuggled into `code` never leaks. */
const safeCode = (value: string | undefined): string | undefined =>
  value !== undefined && /^[A-Za-z0-9_.:-]{1,64}$/.test(value) ? value : undefined;

const NETWORK_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ECONNABORTED',
  'ETIMEDOUT',
  'ENOTFOUND',
  'EAI_AGAIN',
  'EPIPE',
  'ENETUNREACH',
  'EHOSTUNREACH',
  'ENETDOWN',
  'UND_ERR_CONNECT_TIMEOUT',
  'UND_ERR_HEADERS_TIMEOUT',
  'UND_ERR_BODY_TIMEOUT',
  'UND_ERR_SOCKET',
  'UND_ERR_CLOSED',
]);
const TIMEOUT_NAMES = new Set([
  'AbortError',
  'TimeoutError',
  'ManagementTimeoutError',
  'APIConnectionTimeoutError',
  'RequestTimeout',
  'RequestTimeoutException',
]);
const AWS_THROTTLING = new Set([
  'ThrottlingException',
  'Throttling',
  'ThrottledException',
  'TooManyRequestsException',
  'RequestLimitExceeded',
  'RequestThrottled',
  'RequestThrottledException',
  'SlowDown',
  'ProvisionedThroughputExceededException',
  'BandwidthLimitExceeded',
  'PriorRequestNotComplete',
]);
const AWS_TRANSIENT = new Set([
  'InternalServiceError',
  'InternalServiceErrorException',
  'InternalFailure',
  'InternalError',
  'ServiceUnavailable',
  'ServiceUnavailableException',
]);
/** Our own credential is unusable: the whole dependency is out of reach, like a failed token request. */
const CREDENTIAL_NAMES = new Set([
  'CredentialsProviderError',
  'UnrecognizedClientException',
  'InvalidClientTokenId',
  'InvalidSignatureException',
  'SignatureDoesNotMatch',
  'ExpiredTokenException',
  'ExpiredToken',
]);
const SLACK_AUTH = new Set([
  'invalid_auth',
  'not_authed',
  'token_revoked',
  'token_expired',
  'account_inactive',
]);
const SLACK_SERVER = new Set(['internal_error', 'fatal_error', 'service_unavailable', 'request_timeout']);

interface Verdict {
  readonly kind: FailureKind;
  readonly status?: number;
  readonly code?: string;
  readonly tokenRequest?: boolean;
}

const byStatus = (status: number, error: Fields, code?: string): Verdict => {
  const tokenRequest = /token request/i.test(stringField(error, 'message') ?? '');
  if (status === 429) return { kind: 'rate_limited', status, code };
  if (status === 408) return { kind: 'timeout', status, code, tokenRequest };
  if (status >= 500) return { kind: 'server_error', status, code, tokenRequest };
  if (status === 401 || status === 403) return { kind: 'auth', status, code, tokenRequest };
  return { kind: 'client_error', status, code };
};

const slackVerdict = (error: Fields, slackCode: string): Verdict | undefined => {
  if (slackCode === 'slack_webapi_rate_limited_error') return { kind: 'rate_limited', code: 'ratelimited' };
  if (slackCode === 'slack_webapi_platform_error') {
    const data = error.data;
    const code = safeCode(isRecord(data) ? stringField(data, 'error') : undefined) ?? 'unknown_error';
    if (code === 'ratelimited') return { kind: 'rate_limited', code };
    if (SLACK_AUTH.has(code)) return { kind: 'auth', code, tokenRequest: true };
    if (SLACK_SERVER.has(code)) return { kind: 'server_error', code };
    return { kind: 'client_error', code };
  }
  return undefined;
};

const awsVerdict = (error: Fields, name: string, status: number | undefined): Verdict | undefined => {
  const retryable = error.$retryable;
  if (AWS_THROTTLING.has(name) || (isRecord(retryable) && retryable.throttling === true)) {
    return { kind: 'rate_limited', status, code: safeCode(name) };
  }
  if (CREDENTIAL_NAMES.has(name)) return { kind: 'auth', status, code: name, tokenRequest: true };
  if (AWS_TRANSIENT.has(name) || (error.$fault === 'server' && status === undefined)) {
    return { kind: 'server_error', status, code: safeCode(name) };
  }
  return undefined;
};

const verdictOf = (error: unknown, depth: number): Verdict => {
  if (!isRecord(error) || depth > 5) return { kind: 'unknown' };
  if (error instanceof AppError) {
    if (error.code === 'timeout') return { kind: 'timeout' };
    if (error.code === 'cancelled') return { kind: 'cancelled' };
    if (error.code === 'dependency_unavailable') return { kind: 'circuit_open' };
    return error.cause === undefined ? { kind: 'unknown' } : verdictOf(error.cause, depth + 1);
  }
  if (error.isBrokenCircuitError === true || error.isIsolatedCircuitError === true) {
    return { kind: 'circuit_open' };
  }
  if (error.isTaskCancelledError === true) return { kind: 'timeout' };
  const name = stringField(error, 'name') ?? '';
  const code = stringField(error, 'code') ?? '';
  const status = statusOf(error);
  const slack = code.startsWith('slack_webapi_') ? slackVerdict(error, code) : undefined;
  if (slack) return slack;
  if (code === 'slack_webapi_request_error') return verdictOf(error.original, depth + 1);
  const aws = awsVerdict(error, name, status);
  if (aws) return aws;
  if (NETWORK_CODES.has(code)) return { kind: 'network', code };
  if (TIMEOUT_NAMES.has(name)) return { kind: 'timeout', code: name };
  // An AWS error's name is its API error code (ResourceNotFoundException); other names are classes.
  if (status !== undefined)
    return byStatus(status, error, isRecord(error.$metadata) ? safeCode(name) : undefined);
  if (error.cause !== undefined) {
    const inner = verdictOf(error.cause, depth + 1);
    if (inner.kind !== 'unknown') return inner;
  }
  // undici's "fetch failed" with nothing underneath that we recognise is still the network.
  if (name === 'TypeError' && stringField(error, 'message') === 'fetch failed') return { kind: 'network' };
  return { kind: 'unknown', code: safeCode(name) };
};

const reasonOf = (verdict: Verdict): string => {
  const http = verdict.status === undefined ? '' : `HTTP ${verdict.status}`;
  const detail = [http, verdict.code].filter((part) => part !== undefined && part !== '').join(' ');
  const suffix = detail === '' ? '' : ` (${detail})`;
  switch (verdict.kind) {
    case 'rate_limited':
      return `rate limited${suffix}`;
    case 'server_error':
      return `server error${suffix}`;
    case 'network':
      return `network error${suffix}`;
    case 'timeout':
      return `${verdict.tokenRequest ? 'token request ' : ''}timed out${suffix}`;
    case 'auth':
      return verdict.tokenRequest ? `credential refused${suffix}` : `not authorized${suffix}`;
    case 'client_error':
      return `request refused${suffix}`;
    case 'circuit_open':
      return 'circuit open';
    case 'cancelled':
      return 'cancelled';
    case 'unknown':
      return `unexpected error${suffix}`;
  }
};

const RETRYABLE: ReadonlySet<FailureKind> = new Set(['rate_limited', 'server_error', 'network', 'timeout']);
const DEPENDENCY_DOWN: ReadonlySet<FailureKind> = new Set(['server_error', 'network', 'timeout']);

/**
 * What a failure means for us. The breaker counts network errors, timeouts, 5xx and a refused
 * credential; a 429 or any other 4xx proves the dependency is up, so neither counts.
 */
export const classifyFailure = (error: unknown, now: Date = new Date()): FailureInfo => {
  const verdict = verdictOf(error, 0);
  const tokenRequest = verdict.tokenRequest ?? false;
  const retryAfterMs =
    verdict.kind === 'rate_limited' || verdict.kind === 'server_error'
      ? retryAfterFrom(error, now)
      : undefined;
  return {
    kind: verdict.kind,
    ...(verdict.status === undefined ? {} : { status: verdict.status }),
    ...(verdict.code === undefined ? {} : { code: verdict.code }),
    retryable: RETRYABLE.has(verdict.kind),
    countsAgainstBreaker: DEPENDENCY_DOWN.has(verdict.kind) || (verdict.kind === 'auth' && tokenRequest),
    tokenRequest,
    ...(retryAfterMs === undefined ? {} : { retryAfterMs }),
    reason: reasonOf(verdict),
  };
};

/** The server's wait, looked for on the error and then down its `cause` chain (AppError wraps). */
const retryAfterFrom = (error: unknown, now: Date): number | undefined => {
  let current: unknown = error;
  for (let depth = 0; depth <= 5 && isRecord(current); depth++) {
    const wait = retryAfterMsOf(current, now);
    if (wait !== undefined) return wait;
    current = current.cause ?? current.original;
  }
  return undefined;
};

/** The breaker's default idea of failure (see `classifyFailure`). */
export const isDependencyFailure = (error: unknown): boolean => classifyFailure(error).countsAgainstBreaker;
