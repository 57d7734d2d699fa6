import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import {
  catalogueEntry,
  guessOutcome,
  isKnownCode,
  KNOWN_CODE_COUNT,
} from '../../../../src/core/logs/catalogue.js';
import { CATALOGUE } from '../../../../src/core/logs/catalogue-data.js';
import { signalForCode } from '../../../../src/core/logs/classification.js';

const schema = JSON.parse(readFileSync('tests/fixtures/auth0-log-schemas.json', 'utf8')) as {
  components: { schemas: Record<string, unknown> };
};
const schemaCodes = Object.keys(schema.components.schemas);
/** Codes Auth0 documents outside the schemas: its log-code page, and its older logs page (legacy). */
const documentedElsewhere = [
  'fc',
  'gd_auth_fail_email_verification',
  'gd_recovery_rate_limit_exceed',
  'gd_send_email_verification_failure',
  'too_many_records',
  'admin_update_launch',
  'coff',
  'con',
  'du',
  'fapi',
  'gd_module_switch',
  'gd_user_delete',
  'limit_ui',
  'scph',
  'sys_os_update_end',
  'sys_os_update_start',
  'sys_update_end',
  'sys_update_start',
];

describe('the log catalogue', () => {
  it('classifies every code in Auth0 schemas and docs, current and legacy', () => {
    expect(schemaCodes).toHaveLength(167);
    const unclassified = [...schemaCodes, ...documentedElsewhere].filter((c) => !isKnownCode(c));
    expect(unclassified).toEqual([]);
    expect(KNOWN_CODE_COUNT).toBe(167 + documentedElsewhere.length);
    expect(CATALOGUE.filter((e) => e.source === 'legacy').map((e) => e.code)).toContain(
      'sys_os_update_start',
    );
  });

  it('gives every ignored code a reason and no mapped code one', () => {
    for (const e of CATALOGUE) {
      if (e.signal === 'ignored') expect(e.ignoredBecause, e.code).toMatch(/\w{4,}/);
      else expect(e.ignoredBecause, e.code).toBeNull();
    }
  });

  it('pairs failures only with success codes it knows, for ratios', () => {
    const bad = CATALOGUE.filter(
      (e) =>
        e.pairsWith !== null &&
        (e.outcome === 'success' || catalogueEntry(e.pairsWith).outcome !== 'success'),
    );
    expect(bad).toEqual([]);
    expect(catalogueEntry('f').pairsWith).toBe('s');
    expect(catalogueEntry('fcoa').pairsWith).toBe('scoa');
    expect(catalogueEntry('feccft').pairsWith).toBe('seccft');
    expect(catalogueEntry('ferrt').pairsWith).toBe('sertft');
  });

  it.each([
    // Where a schema description is ambiguous, checked by hand.
    ['fc', 'enterprise_connection', 'failure', 'connector_failure'],
    ['coff', 'enterprise_connection', 'failure', 'connection_offline'],
    ['fcoa', 'login', 'failure', 'login_failure'],
    ['fepft', 'login', 'failure', 'login_failure'],
    ['ferrt', 'refresh_token', 'failure', 'refresh_token_reuse'],
    ['fdeac', 'login', 'failure', 'ignored'],
    ['depnote', 'deprecation', 'warning', 'deprecation_notice'],
    ['flows_execution_failed', 'actions', 'failure', 'actions_failure'],
    ['flows_execution_completed', 'actions', 'success', 'ignored'],
    ['gd_otp_rate_limit_exceed', 'mfa', 'failure', 'mfa_rate_limit'],
    ['gd_send_sms_failure', 'mfa', 'failure', 'notification_failure'],
    ['limit_mu', 'attack_protection', 'warning', 'ip_blocked'],
    ['limit_delegation', 'rate_limit', 'warning', 'ignored'],
    ['api_limit', 'rate_limit', 'failure', 'rate_limit'],
    ['kms_key_management_failure', 'system', 'failure', 'platform_failure'],
    ['custom_domain_verification_failed', 'custom_domain', 'failure', 'custom_domain_failure'],
    ['mgmt_api_read', 'management_api', 'success', 'secrets_read'],
    ['cls', 'passwordless', 'success', 'ignored'],
    ['mfar', 'mfa', 'success', 'ignored'],
    ['pla', 'attack_protection', 'success', 'ignored'],
  ])('classifies %s as %s, %s, signal %s', (code, category, outcome, signal) => {
    expect(catalogueEntry(code)).toMatchObject({ category, outcome, signal });
    expect(signalForCode(code)).toBe(signal);
  });

  it("guesses the outcome of almost every documented code from its shape (the unknown codes' fallback)", () => {
    const wrong = CATALOGUE.filter((e) => guessOutcome(e.code) !== e.outcome).map((e) => e.code);
    // Each of these was checked by hand; a new miss means the guess for unknown codes got worse.
    expect(wrong.sort()).toEqual(
      [
        'acul_sdk_notice',
        'api_limit',
        'coff',
        'depnote',
        'gd_auth_fail_email_verification',
        'gd_auth_rejected',
        'gd_otp_rate_limit_exceed',
        'gd_recovery_rate_limit_exceed',
        'pwd_leak',
        'reset_pwd_leak',
        'signup_pwd_leak',
        'too_many_records',
      ].sort(),
    );
  });

  it('guesses a category and outcome for a code nobody knows yet, and says it is unknown', () => {
    expect(catalogueEntry('gd_new_factor_failed')).toMatchObject({
      category: 'mfa',
      outcome: 'failure',
      signal: 'unknown_failure',
      source: 'unknown',
    });
    expect(catalogueEntry('limit_new')).toMatchObject({ category: 'rate_limit', outcome: 'warning' });
    expect(catalogueEntry('snew')).toMatchObject({ outcome: 'success', signal: 'ignored' });
    expect(isKnownCode('snew')).toBe(false);
  });
});
