import type { CatalogueSource, LogCategory, LogOutcome, LogSignal } from '../src/core/logs/model.js';

/**
 * The hand-checked half of the log catalogue: for every code Auth0 documents, its category, its
 * outcome, the success it pairs with and either the signal detection works on or why it is ignored
 * on purpose. The other half (which codes exist, and their titles) comes from Auth0's published
 * schemas (tests/fixtures/auth0-log-schemas.json) and, for codes the schemas lack, from Auth0's
 * log-code page and its older versions (DOCUMENTED_ELSEWHERE below). generate-log-catalogue.ts
 * joins the two and refuses to write a catalogue where either half has a code the other lacks.
 *
 * Outcomes were checked by hand where the schema's wording is ambiguous: informational events
 * (`mfar`, `pla`, `gd_start_auth`, `appi`) are successes; Auth0's own blocks (`limit_*`,
 * `pwd_leak`) are warnings, while `api_limit` (requests refused, legitimate ones included) and the
 * MFA lock-outs (`gd_*_rate_limit_exceed`) are failures.
 */
export interface SourceRow {
  readonly category: LogCategory;
  readonly outcome: LogOutcome;
  readonly pairsWith?: string;
  /** The signal, for codes detection works on. */
  readonly signal?: LogSignal;
  /** Why the code is ignored on purpose (exactly one of signal and ignored). */
  readonly ignored?: string;
}

const mapped = (
  category: LogCategory,
  outcome: LogOutcome,
  signal: LogSignal,
  pairsWith?: string,
): SourceRow =>
  pairsWith === undefined ? { category, outcome, signal } : { category, outcome, signal, pairsWith };
const ignored = (category: LogCategory, outcome: LogOutcome, why: string, pairsWith?: string): SourceRow =>
  pairsWith === undefined
    ? { category, outcome, ignored: why }
    : { category, outcome, ignored: why, pairsWith };

const ROUTINE = 'routine success: nothing to act on';
const DENOMINATOR_NONE = 'a success no detection measures against';
const USER_MISTAKE = "one user's own failed self-service change: support, not on-call";
const LEGACY = 'legacy: no longer emitted by Auth0';

/** Codes Auth0 documents outside the published schemas, with our own short titles. */
export const DOCUMENTED_ELSEWHERE: Readonly<Record<string, { title: string; source: CatalogueSource }>> = {
  // Auth0's Log Type Codes page (auth0/docs-v2, main/docs/deploy-monitor/logs/log-event-type-codes.mdx).
  fc: { title: 'Login failed in an AD/LDAP connector', source: 'docs' },
  gd_auth_fail_email_verification: { title: 'MFA email verification failed', source: 'docs' },
  gd_recovery_rate_limit_exceed: {
    title: 'MFA recovery code entered wrongly too many times',
    source: 'docs',
  },
  gd_send_email_verification_failure: { title: 'MFA verification email could not be sent', source: 'docs' },
  too_many_records: { title: 'User reached the maximum number of authenticators', source: 'docs' },
  // Older versions of Auth0's logs page (auth0/docs, articles/logs): no longer in today's list.
  admin_update_launch: { title: 'Auth0 update launched', source: 'legacy' },
  coff: { title: 'AD/LDAP connector offline', source: 'legacy' },
  con: { title: 'AD/LDAP connector online', source: 'legacy' },
  du: { title: 'User deleted', source: 'legacy' },
  fapi: { title: 'Failed Management API operation', source: 'legacy' },
  gd_module_switch: { title: 'Guardian module switched', source: 'legacy' },
  gd_user_delete: { title: 'Guardian (MFA) user deleted', source: 'legacy' },
  limit_ui: { title: 'Too many calls to /userinfo', source: 'legacy' },
  scph: { title: 'Post change password hook succeeded', source: 'legacy' },
  sys_os_update_end: { title: 'Auth0 OS update ended', source: 'legacy' },
  sys_os_update_start: { title: 'Auth0 OS update started', source: 'legacy' },
  sys_update_end: { title: 'Auth0 update ended', source: 'legacy' },
  sys_update_start: { title: 'Auth0 update started', source: 'legacy' },
};

export const CLASSIFIED: Readonly<Record<string, SourceRow>> = {
  // Logins (connection-scoped): the failures and the successes they are measured against.
  s: mapped('login', 'success', 'login_success'),
  f: mapped('login', 'failure', 'login_failure', 's'),
  fp: mapped('login', 'failure', 'login_failure', 's'),
  fu: mapped('login', 'failure', 'login_failure', 's'),
  scoa: mapped('login', 'success', 'login_success'),
  fcoa: mapped('login', 'failure', 'login_failure', 'scoa'),
  sepft: mapped('login', 'success', 'login_success'),
  fepft: mapped('login', 'failure', 'login_failure', 'sepft'),
  sens: mapped('login', 'success', 'login_success'),
  fens: mapped('login', 'failure', 'login_failure', 'sens'),
  ssa: ignored('login', 'success', 'routine: silent auth renews an existing session, it is not a login'),
  fsa: ignored(
    'login',
    'failure',
    'routine: silent auth fails whenever a session has expired and needs a login',
    'ssa',
  ),
  w: ignored('login', 'warning', 'a warning inside a login that went on; the login itself is logged'),
  scv: ignored('login', 'success', ROUTINE),
  fco: mapped('login', 'failure', 'cors_failure'),
  fpar: ignored(
    'login',
    'failure',
    "a pushed authorization request refused: the calling app's own request error",
  ),
  passkey_challenge_started: ignored('login', 'success', ROUTINE),
  passkey_challenge_failed: ignored(
    'login',
    'failure',
    'a passkey challenge the user abandoned or the browser refused; the login failure that matters is logged as f',
  ),
  ciba_start_succeeded: ignored('login', 'success', ROUTINE),
  ciba_start_failed: ignored(
    'login',
    'failure',
    'a backchannel request refused for one app; rare flow, no detection yet',
    'ciba_start_succeeded',
  ),
  ciba_exchange_succeeded: ignored('login', 'success', ROUTINE),
  ciba_exchange_failed: ignored(
    'login',
    'failure',
    'apps poll CIBA until the user approves: failures are expected while pending',
    'ciba_exchange_succeeded',
  ),
  sdel: ignored('login', 'success', ROUTINE),
  sdelsa: ignored('login', 'success', ROUTINE),
  fdelsa: ignored(
    'login',
    'failure',
    'routine: delegated silent auth fails whenever a session has expired',
    'sdelsa',
  ),
  fdeac: ignored(
    'login',
    'failure',
    'one user typing a wrong or expired device code; guessing codes at volume has no detection yet',
  ),
  fdeaz: ignored(
    'login',
    'failure',
    "a device authorization request refused: the device app's own request error",
  ),
  fdecc: ignored('login', 'failure', 'the user cancelled the device confirmation'),
  rich_consents_access_error: ignored(
    'login',
    'failure',
    'a rich-consent lookup failed for one request; no detection yet',
  ),

  // Logout.
  slo: ignored('logout', 'success', ROUTINE),
  flo: ignored(
    'logout',
    'failure',
    'a logout refused (usually a return URL not allowed): an app configuration detail',
    'slo',
  ),
  federated_logout_failed: ignored(
    'logout',
    'failure',
    "the upstream identity provider's logout failed; the user is still logged out of Auth0",
  ),
  oidc_backchannel_logout_succeeded: ignored('logout', 'success', ROUTINE),
  oidc_backchannel_logout_failed: ignored(
    'logout',
    'failure',
    "an app's back-channel logout endpoint failed: that app's problem, not the tenant's",
    'oidc_backchannel_logout_succeeded',
  ),
  universal_logout_succeeded: ignored('logout', 'success', ROUTINE),
  universal_logout_failed: ignored(
    'logout',
    'failure',
    'a universal logout request refused; rare admin action, no detection yet',
    'universal_logout_succeeded',
  ),

  // Signups.
  ss: mapped('signup', 'success', 'signup_success'),
  fs: mapped('signup', 'failure', 'signup_failure', 'ss'),

  // Token exchanges (client-scoped).
  seacft: mapped('token_exchange', 'success', 'web_token_success'),
  feacft: mapped('token_exchange', 'failure', 'web_token_failure', 'seacft'),
  seccft: mapped('token_exchange', 'success', 'm2m_token_success'),
  feccft: mapped('token_exchange', 'failure', 'm2m_token_failure', 'seccft'),
  secte: ignored('token_exchange', 'success', DENOMINATOR_NONE),
  fecte: ignored(
    'token_exchange',
    'failure',
    "custom token exchange fails on the calling app's own token validation; no detection yet",
    'secte',
  ),
  sede: ignored('token_exchange', 'success', DENOMINATOR_NONE),
  fede: ignored(
    'token_exchange',
    'failure',
    'devices poll the token endpoint until the user confirms: failures are expected while pending',
    'sede',
  ),
  sd: ignored('token_exchange', 'success', DENOMINATOR_NONE),
  fd: ignored(
    'token_exchange',
    'failure',
    'delegation is deprecated by Auth0; its failures belong to apps still using it',
    'sd',
  ),
  sdeleacft: ignored('token_exchange', 'success', DENOMINATOR_NONE),
  fdeleacft: ignored(
    'token_exchange',
    'failure',
    'a delegated code exchange refused for one app; rare flow, no detection yet',
    'sdeleacft',
  ),
  success_on_behalf_of_token_exchange: ignored('token_exchange', 'success', DENOMINATOR_NONE),
  failed_on_behalf_of_token_exchange: ignored(
    'token_exchange',
    'failure',
    'an on-behalf-of exchange refused for one API; rare flow, no detection yet',
    'success_on_behalf_of_token_exchange',
  ),
  seta: ignored('token_exchange', 'success', DENOMINATOR_NONE),
  feta: ignored(
    'token_exchange',
    'failure',
    "a Token Vault exchange failed (often the user's upstream grant expired); no detection yet",
    'seta',
  ),
  idjag_exchange_succeeded: ignored('token_exchange', 'success', DENOMINATOR_NONE),
  idjag_exchange_failed: ignored(
    'token_exchange',
    'failure',
    'an identity-assertion grant refused for one app; rare flow, no detection yet',
    'idjag_exchange_succeeded',
  ),
  jwt_bearer_exchange_failed: ignored(
    'token_exchange',
    'failure',
    "a JWT bearer assertion refused: the calling app's own signing problem; no detection yet",
  ),

  // Refresh tokens.
  sertft: mapped('refresh_token', 'success', 'web_token_success'),
  fertft: mapped('refresh_token', 'failure', 'web_token_failure', 'sertft'),
  ferrt: mapped('refresh_token', 'failure', 'refresh_token_reuse', 'sertft'),
  srrt: ignored('refresh_token', 'success', ROUTINE),
  resource_cleanup: ignored(
    'refresh_token',
    'success',
    'Auth0 removing refresh tokens above its limits: housekeeping',
  ),

  // MFA / Guardian (user-scoped).
  mfar: ignored('mfa', 'success', 'routine: a prompt for MFA, the outcome is logged separately'),
  gd_start_auth: ignored(
    'mfa',
    'success',
    'routine: a second factor started, the outcome is logged separately',
  ),
  gd_auth_succeed: mapped('mfa', 'success', 'mfa_success'),
  gd_auth_failed: mapped('mfa', 'failure', 'mfa_failure', 'gd_auth_succeed'),
  gd_auth_rejected: mapped('mfa', 'failure', 'mfa_rejected', 'gd_auth_succeed'),
  gd_recovery_succeed: mapped('mfa', 'success', 'mfa_success'),
  gd_recovery_failed: mapped('mfa', 'failure', 'mfa_failure', 'gd_recovery_succeed'),
  gd_otp_rate_limit_exceed: mapped('mfa', 'failure', 'mfa_rate_limit'),
  gd_recovery_rate_limit_exceed: mapped('mfa', 'failure', 'mfa_rate_limit'),
  gd_webauthn_challenge_failed: mapped('mfa', 'failure', 'mfa_failure', 'gd_auth_succeed'),
  gd_start_enroll: ignored(
    'mfa',
    'success',
    'routine: an enrolment started, the outcome is logged separately',
  ),
  gd_start_enroll_failed: mapped('mfa', 'failure', 'mfa_enroll_failure', 'gd_enrollment_complete'),
  gd_webauthn_enrollment_failed: mapped('mfa', 'failure', 'mfa_enroll_failure', 'gd_enrollment_complete'),
  too_many_records: mapped('mfa', 'failure', 'mfa_enroll_failure'),
  gd_enrollment_complete: ignored('mfa', 'success', ROUTINE),
  gd_unenroll: ignored('mfa', 'success', 'a factor removed by an admin or the user: account housekeeping'),
  gd_update_device_account: ignored('mfa', 'success', ROUTINE),
  gd_user_delete: ignored('mfa', 'success', LEGACY),
  gd_module_switch: ignored('mfa', 'success', LEGACY),
  gd_tenant_update: ignored(
    'mfa',
    'success',
    'the same change arrives as sapi with its request body, which the security-settings detection reads',
  ),
  gd_send_sms: mapped('mfa', 'success', 'mfa_sent'),
  gd_send_voice: mapped('mfa', 'success', 'mfa_sent'),
  gd_send_pn: mapped('mfa', 'success', 'mfa_sent'),
  gd_send_email: mapped('mfa', 'success', 'mfa_sent'),
  gd_send_sms_failure: mapped('mfa', 'failure', 'notification_failure', 'gd_send_sms'),
  gd_send_voice_failure: mapped('mfa', 'failure', 'notification_failure', 'gd_send_voice'),
  gd_send_pn_failure: mapped('mfa', 'failure', 'notification_failure', 'gd_send_pn'),
  gd_send_email_verification: ignored('mfa', 'success', ROUTINE),
  gd_send_email_verification_failure: mapped(
    'mfa',
    'failure',
    'notification_failure',
    'gd_send_email_verification',
  ),
  gd_auth_email_verification: ignored('mfa', 'success', ROUTINE),
  gd_auth_fail_email_verification: mapped('mfa', 'failure', 'mfa_failure', 'gd_auth_email_verification'),
  seotpft: mapped('mfa', 'success', 'mfa_success'),
  feotpft: mapped('mfa', 'failure', 'mfa_failure', 'seotpft'),
  seoobft: mapped('mfa', 'success', 'mfa_success'),
  feoobft: mapped('mfa', 'failure', 'mfa_failure', 'seoobft'),
  sercft: mapped('mfa', 'success', 'mfa_success'),
  fercft: mapped('mfa', 'failure', 'mfa_failure', 'sercft'),
  sepkoobft: mapped('mfa', 'success', 'mfa_success'),
  sepkotpft: mapped('mfa', 'success', 'mfa_success'),
  sepkrcft: mapped('mfa', 'success', 'mfa_success'),
  my_account_authentication_method_succeeded: ignored('mfa', 'success', ROUTINE),
  my_account_authentication_method_failed: ignored(
    'mfa',
    'failure',
    "one user's failed change to their own authenticators through My Account",
    'my_account_authentication_method_succeeded',
  ),

  // Passwordless.
  cls: ignored('passwordless', 'success', 'routine: a passwordless code or link sent (not a secret change)'),
  cs: ignored('passwordless', 'success', 'routine: a passwordless code sent'),
  fepotpft: ignored(
    'passwordless',
    'failure',
    'one user typing a wrong or expired one-time code; a volume detection would need a success code Auth0 does not log',
  ),

  // Enterprise connections and directories.
  fc: mapped('enterprise_connection', 'failure', 'connector_failure', 's'),
  fcpro: mapped('enterprise_connection', 'failure', 'connector_failure'),
  coff: mapped('enterprise_connection', 'failure', 'connection_offline', 'con'),
  con: mapped('enterprise_connection', 'success', 'connection_online'),
  directory_sync_started: ignored('enterprise_connection', 'success', 'routine: a directory sync started'),
  directory_sync_completed: ignored('enterprise_connection', 'success', ROUTINE),
  directory_sync_failed: mapped(
    'enterprise_connection',
    'failure',
    'platform_failure',
    'directory_sync_completed',
  ),
  sscim: ignored('enterprise_connection', 'success', ROUTINE),
  fscim: ignored(
    'enterprise_connection',
    'failure',
    "a SCIM call refused: the identity provider's own provisioning error, retried by it",
    'sscim',
  ),
  ss_sso_success: ignored('enterprise_connection', 'success', ROUTINE),
  ss_sso_info: ignored(
    'enterprise_connection',
    'success',
    'information from a customer setting up their own SSO',
  ),
  ss_sso_failure: ignored(
    'enterprise_connection',
    'failure',
    'a customer admin making a mistake while setting up their own SSO',
    'ss_sso_success',
  ),

  // User management.
  sce: ignored('user_management', 'success', ROUTINE),
  fce: ignored('user_management', 'failure', USER_MISTAKE, 'sce'),
  scp: ignored('user_management', 'success', ROUTINE),
  fcp: ignored('user_management', 'failure', USER_MISTAKE, 'scp'),
  scpn: ignored('user_management', 'success', ROUTINE),
  fcpn: ignored('user_management', 'failure', USER_MISTAKE, 'scpn'),
  scpr: ignored('user_management', 'success', ROUTINE),
  fcpr: ignored('user_management', 'failure', USER_MISTAKE, 'scpr'),
  scu: ignored('user_management', 'success', ROUTINE),
  fcu: ignored('user_management', 'failure', USER_MISTAKE, 'scu'),
  sdu: ignored('user_management', 'success', ROUTINE),
  fdu: ignored(
    'user_management',
    'failure',
    'an admin deletion refused: the admin sees the error at once',
    'sdu',
  ),
  du: ignored('user_management', 'success', LEGACY),
  si: ignored('user_management', 'success', ROUTINE),
  fi: ignored(
    'user_management',
    'failure',
    'one invitation accepted with the wrong email: a user mistake',
    'si',
  ),
  sui: ignored('user_management', 'success', ROUTINE),
  fui: ignored(
    'user_management',
    'failure',
    'an import job failed: the admin who started it sees the job result',
    'sui',
  ),
  sv: ignored('user_management', 'success', ROUTINE),
  svr: ignored('user_management', 'success', ROUTINE),
  fvr: ignored(
    'user_management',
    'failure',
    'a verification email request refused (bad input); a failed send is fv',
    'svr',
  ),
  wum: ignored('user_management', 'warning', 'a warning inside a user-management task that went on'),
  organization_member_added: ignored(
    'user_management',
    'success',
    'routine: organization membership is customer data, not tenant security',
  ),
  connected_accounts_connection_succeeded: ignored('user_management', 'success', ROUTINE),
  connected_accounts_connection_failed: ignored(
    'user_management',
    'failure',
    'one user failing to connect a third-party account',
    'connected_accounts_connection_succeeded',
  ),
  connected_accounts_delete_succeeded: ignored('user_management', 'success', ROUTINE),
  connected_accounts_delete_failed: ignored(
    'user_management',
    'failure',
    'one user failing to remove a connected account',
    'connected_accounts_delete_succeeded',
  ),

  // Notifications (email, SMS).
  fn: mapped('notification', 'failure', 'notification_failure'),
  fv: mapped('notification', 'failure', 'notification_failure', 'svr'),
  wn: ignored('notification', 'warning', 'a warning while sending that still delivered; failures are fn'),

  // Management API.
  sapi: mapped('management_api', 'success', 'tenant_change'),
  mgmt_api_read: mapped('management_api', 'success', 'secrets_read'),
  fapi: ignored('management_api', 'failure', LEGACY, 'sapi'),

  // Attack protection (IP-scoped).
  limit_wc: mapped('attack_protection', 'warning', 'attack_protection'),
  limit_sul: mapped('attack_protection', 'warning', 'attack_protection'),
  limit_mu: mapped('attack_protection', 'warning', 'ip_blocked'),
  pwd_leak: mapped('attack_protection', 'warning', 'breached_password'),
  reset_pwd_leak: mapped('attack_protection', 'warning', 'breached_password'),
  signup_pwd_leak: mapped('attack_protection', 'warning', 'signup_breached_password'),
  ublkdu: mapped('attack_protection', 'success', 'attack_block_released'),
  pla: ignored(
    'attack_protection',
    'success',
    "bot detection's pre-login assessment in monitoring mode: an input, not an outcome",
  ),
  acls_summary: ignored(
    'attack_protection',
    'success',
    'a periodic summary of network ACL matches: the ACLs did their job',
  ),

  // Rate limits.
  api_limit: mapped('rate_limit', 'failure', 'rate_limit'),
  api_limit_warning: mapped('rate_limit', 'warning', 'rate_limit_warning'),
  limit_phone: mapped('rate_limit', 'warning', 'mfa_rate_limit'),
  limit_delegation: ignored(
    'rate_limit',
    'warning',
    'delegation is deprecated by Auth0; the limit protects it from one client',
  ),
  limit_ui: ignored('rate_limit', 'warning', LEGACY),
  appi: ignored('rate_limit', 'success', 'a purchased API peak-performance window started: planned capacity'),

  // Actions, hooks, flows and forms.
  actions_execution_failed: mapped('actions', 'failure', 'actions_failure'),
  flows_execution_completed: ignored('actions', 'success', ROUTINE),
  flows_execution_failed: mapped('actions', 'failure', 'actions_failure', 'flows_execution_completed'),
  fcph: mapped('actions', 'failure', 'actions_failure', 'scph'),
  scph: ignored('actions', 'success', LEGACY),
  fpurh: mapped('actions', 'failure', 'actions_failure'),
  forms_submission_succeeded: ignored('actions', 'success', ROUTINE),
  forms_submission_failed: ignored(
    'actions',
    'failure',
    "a form's own validation refusing a user's input",
    'forms_submission_succeeded',
  ),

  // Custom domains, deprecations, the platform.
  custom_domain_verification_failed: mapped('custom_domain', 'failure', 'custom_domain_failure'),
  depnote: mapped('deprecation', 'warning', 'deprecation_notice'),
  acul_sdk_notice: ignored(
    'deprecation',
    'warning',
    'a notice to developers of customized login pages; shows up in their build, not on-call',
  ),
  kms_key_management_success: ignored('system', 'success', ROUTINE),
  kms_key_management_failure: mapped('system', 'failure', 'platform_failure', 'kms_key_management_success'),
  kms_key_state_changed: ignored(
    'system',
    'success',
    'a key state changed by its owner; a failure to use the key is kms_key_management_failure',
  ),
  admin_update_launch: ignored('system', 'success', LEGACY),
  sys_os_update_start: ignored('system', 'success', LEGACY),
  sys_os_update_end: ignored('system', 'success', LEGACY),
  sys_update_start: ignored('system', 'success', LEGACY),
  sys_update_end: ignored('system', 'success', LEGACY),
};
