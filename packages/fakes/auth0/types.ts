/** Public shapes of the fake Auth0 tenant: log entries, recorded requests, clients, options. */
import type { Now } from './clock.js';

/**
 * A tenant log entry as `GET /api/v2/logs` returns it (fields per tests/fixtures/auth0-log-schemas.json;
 * `details` depends on `type`). `_id` always equals `log_id`.
 */
export interface LogEntry {
  log_id: string;
  _id: string;
  date: string;
  type: string;
  description: string;
  tenant_name: string;
  environment_name: string;
  client_id?: string | null;
  client_name?: string;
  ip?: string;
  client_ip?: string;
  hostname?: string;
  user_id?: string;
  user_name?: string;
  connection?: string;
  connection_id?: string;
  strategy?: string;
  strategy_type?: string;
  audience?: string;
  scope?: string;
  user_agent?: string;
  isMobile?: boolean;
  details?: Record<string, unknown>;
  [field: string]: unknown;
}

/** What `appendLogs` takes: `type` is required; ids, date (default now), tenant fields are filled. */
export type LogEntryInput = Partial<Omit<LogEntry, 'type' | 'date'>> & {
  type: string;
  date?: string | number | Date;
};

export interface RecordedRequest {
  method: string;
  path: string;
  query: Record<string, string>;
  /** Lower-cased; `authorization` is cut to its scheme (`Bearer`, `Basic`). */
  headers: Record<string, string>;
  /** Parsed JSON or form body, the raw text when it does not parse, undefined when empty. */
  body: unknown;
  /** 0 while the request has no answer yet (hung, or delayed by injected latency). */
  status: number;
  /** `now()` when the request arrived. */
  at: number;
}

export type AppType = 'non_interactive' | 'regular_web' | 'spa' | 'native';
export type CredentialAlg = 'RS256' | 'RS384' | 'PS256';
export type SecretAuthMethod = 'client_secret_post' | 'client_secret_basic';

export interface CredentialSpec {
  id?: string;
  name?: string;
  /** The public key as SPKI PEM (`BEGIN PUBLIC KEY`) or an X.509 certificate PEM. */
  pem: string;
  alg?: CredentialAlg;
  expiresAt?: string | number | Date;
  /** Listed in `client_authentication_methods.private_key_jwt.credentials` (default true; max 2). */
  active?: boolean;
}

export interface ClientSpec {
  clientId?: string;
  name: string;
  appType?: AppType;
  /** Default: `private_key_jwt` when credentials are given, else `client_secret_post`. */
  authMethod?: SecretAuthMethod | 'private_key_jwt';
  /** Generated (64 chars) for secret clients when omitted. */
  secret?: string;
  credentials?: CredentialSpec[];
  /** Default `['client_credentials']` for non_interactive apps, else authorization_code + refresh_token. */
  grants?: string[];
  /** Management API scopes the client was granted (default: every scope the fake checks). */
  scopes?: string[];
}

export interface BucketLimits {
  burst: number;
  perMinute: number;
}

export type Plan = 'free' | 'essentials' | 'professional' | 'enterprise';

export interface RateLimitSettings {
  /** GET /api/v2/logs. */
  logs: BucketLimits;
  /** Every other /api/v2 endpoint. */
  management: BucketLimits;
}

export interface FakeAuth0Options {
  /** Tenant domain used in `aud`/`iss` checks and Link headers (default 'acme.eu.auth0.com'). */
  domain?: string;
  now?: Now;
  /** Rate-limit preset (default 'essentials'); `rateLimits` overrides single buckets. */
  plan?: Plan;
  rateLimits?: Partial<RateLimitSettings>;
  /**
   * Log `api_limit` on each Management API 429 and `api_limit_warning` at 80 % of a bucket, as
   * Auth0 does (default true). Those entries land in the log being polled.
   */
  logRateLimits?: boolean;
  /** How long the previous secret keeps working after a rotation or a PATCH (default 30 s). */
  secretPropagationMs?: number;
  /** `expires_in` of issued access tokens (default 86400 s). */
  tokenLifetimeSeconds?: number;
  /** Seed of the traffic generator (default 1). */
  seed?: number;
  /** RSA size of generated signing keys (default 2048). */
  signingKeyBits?: number;
}

export interface Reply {
  status: number;
  /** Serialised as JSON unless `raw` is set. */
  body?: unknown;
  raw?: string;
  headers?: Record<string, string>;
}
