/** The vocabulary of tenant logs: the signals detection works on and the catalogue of codes. */

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
  /**
   * A login refused because its callback URL is not allowed (`f` "Callback URL mismatch"), per
   * client: a configuration problem, never counted with wrong passwords (classification.ts).
   */
  | 'callback_mismatch'
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
  /** A `sapi` that weakened the tenant's security (security-changes.ts); still a tenant change. */
  | 'security_change'
  | 'secrets_read'
  /** A person reading a client secret, or the API Explorer getting a Management API token. */
  | 'secret_exposure'
  /**
   * A code the catalogue does not know whose shape says failure or warning: counted per minute for
   * the tenant, read by no detector (a guess must never page anyone).
   */
  | 'unknown_failure'
  | 'ignored';

/**
 * What the catalogue says of each log code: what it is about, how it turned out, the success it is
 * measured against and the signal detection works on.
 */
export type LogCategory =
  | 'login'
  | 'logout'
  | 'signup'
  | 'token_exchange'
  | 'refresh_token'
  | 'mfa'
  | 'passwordless'
  | 'enterprise_connection'
  | 'user_management'
  | 'notification'
  | 'management_api'
  | 'attack_protection'
  | 'rate_limit'
  | 'actions'
  | 'custom_domain'
  | 'deprecation'
  | 'system'
  /** Only for a code nobody knows yet. */
  | 'unknown';

export type LogOutcome = 'success' | 'failure' | 'warning';

/**
 * Where a code is documented: Auth0's published log schemas, its log-code page, or older docs only
 * (`unknown`: in none of them, guessed from its shape).
 */
export type CatalogueSource = 'schema' | 'docs' | 'legacy' | 'unknown';

export interface CatalogueEntry {
  readonly code: string;
  readonly title: string;
  readonly category: LogCategory;
  readonly outcome: LogOutcome;
  /** The success code a failure is measured against for ratios (`f` → `s`); null where none exists. */
  readonly pairsWith: string | null;
  readonly signal: LogSignal;
  /** Why a code is `ignored` on purpose; null for a code with a signal. */
  readonly ignoredBecause: string | null;
  readonly source: CatalogueSource;
}
