import type { Decision } from './model.js';
import type { RecoveryReason, WatcherEvent } from '../watchers/model.js';
import { open, recover } from './decision-builders.js';

/**
 * Watcher events → decisions. Watchers are edge-triggered, so each start event is an
 * `open` (the incident service returns the incident already open for the same signal and scope)
 * and each `…_recovered` a `recover` for the same (signal, scope).
 *
 * Scopes: key rotations, staging and revocations are about the tenant's signing key as a whole
 * (`tenant`, one incident however many keys move); a JWKS missing the current key is about that key
 * (`key:<kid>`, as its recovery event is). Certificate expiry and failed renewal are separate
 * conditions with separate recoveries, so renewal uses `domain:<name>/renewal`. Credentials are one
 * problem per credential: `client:<id>/credential:<credentialId>`, expiring and expired alike.
 */

const gone = (reason: RecoveryReason, resolved: string, removed: string): string =>
  reason === 'removed' ? removed : resolved;

const daysText = (days: number): string =>
  days <= 0 ? 'now' : days === 1 ? 'within 1 day' : `within ${days} days`;

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/**
 * `9 Mar 2025, 00:00 UTC`: these summaries are shown on cards, in Home and to the runbook writers,
 * so they carry a plain UTC date rather than a raw ISO string or a Slack-only date token.
 */
const utcDateText = (iso: string): string => {
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return iso;
  const hh = String(d.getUTCHours()).padStart(2, '0');
  const mm = String(d.getUTCMinutes()).padStart(2, '0');
  return `${String(d.getUTCDate())} ${MONTHS[d.getUTCMonth()] ?? ''} ${String(d.getUTCFullYear())}, ${hh}:${mm} UTC`;
};

const days = (n: number): string => `${String(n)} ${n === 1 ? 'day' : 'days'}`;

const credentialScope = (clientId: string, credentialId: string): string =>
  `client:${clientId}/credential:${credentialId}`;

const keyDecision = (e: WatcherEvent): Decision | undefined => {
  switch (e.kind) {
    case 'signing_key_rotated':
      return open(
        'signing_key',
        'tenant',
        'info',
        `Signing key rotated to ${e.kid}`,
        e.at,
        `The tenant's signing key was rotated: ${e.kid} is current${e.previousKid ? ` (was ${e.previousKid})` : ''}. ` +
          'Apps that pin the old key or cache the JWKS too long will reject new tokens.',
      );
    case 'signing_key_next_staged':
      return open(
        'signing_key',
        'tenant',
        'info',
        'A signing-key rotation is imminent',
        e.at,
        `A next signing key (${e.kid}) appeared outside a rotation.`,
      );
    case 'signing_key_revoked':
      return open(
        'signing_key',
        'tenant',
        'info',
        `Signing key ${e.kid} revoked`,
        e.at,
        `Signing key ${e.kid} was revoked${e.revokedAt ? ` on ${utcDateText(e.revokedAt)}` : ''}: tokens it signed no longer verify.`,
      );
    case 'jwks_missing_current':
      return open(
        'signing_key',
        e.scope,
        'high',
        `The JWKS does not publish the current signing key ${e.kid}`,
        e.at,
        `Tokens signed with ${e.kid} fail verification everywhere that reads the JWKS (it lists ${e.jwksKids.join(', ') || 'no keys'}).`,
      );
    case 'jwks_missing_current_recovered':
      return recover(
        'signing_key',
        e.scope,
        gone(e.reason, 'the JWKS publishes the current key again', 'the key is no longer current'),
      );
    default:
      return undefined;
  }
};

const domainDecision = (e: WatcherEvent): Decision | undefined => {
  switch (e.kind) {
    case 'certificate_expiring':
      return open(
        'certificate',
        e.scope,
        e.severity,
        `Certificate for ${e.domain} must renew ${daysText(e.daysLeft)}`,
        e.at,
        `The certificate for ${e.domain} must renew before ${utcDateText(e.renewsBefore)} (warned ${days(e.warnDays)} ahead).`,
      );
    case 'certificate_expiring_recovered':
      return recover(
        'certificate',
        e.scope,
        gone(e.reason, 'the certificate was renewed', 'the custom domain was removed'),
      );
    case 'certificate_renewal_failed':
      return open(
        'certificate',
        `${e.scope}/renewal`,
        'high',
        `Certificate renewal failed for ${e.domain}`,
        e.at,
        `Auth0 reports ${e.status}${e.errorMessage ? `: ${e.errorMessage}` : ''}.`,
      );
    case 'certificate_renewal_failed_recovered':
      return recover(
        'certificate',
        `${e.scope}/renewal`,
        gone(e.reason, 'the certificate renewal recovered', 'the custom domain was removed'),
      );
    case 'custom_domain_failed':
      return open(
        'custom_domain',
        e.scope,
        'high',
        `Custom domain ${e.domain} failed verification`,
        e.at,
        `Auth0 reports the custom domain ${e.domain} as failed.`,
      );
    case 'custom_domain_failed_recovered':
      return recover(
        'custom_domain',
        e.scope,
        gone(e.reason, 'the custom domain is ready again', 'the custom domain was removed'),
      );
    default:
      return undefined;
  }
};

const credentialDecision = (e: WatcherEvent): Decision | undefined => {
  switch (e.kind) {
    case 'credential_expiring':
    case 'credential_expired': {
      const name = e.credentialName ?? e.credentialId;
      const expired = e.kind === 'credential_expired';
      const title = expired
        ? `Credential ${name} of ${e.clientName} has expired`
        : `Credential ${name} of ${e.clientName} expires ${daysText(e.daysLeft)}`;
      return open(
        'credential_expiry',
        credentialScope(e.clientId, e.credentialId),
        e.severity,
        title,
        e.at,
        `${e.clientName} (${e.clientId}): credential ${name} expire${expired ? 'd' : 's'} on ${utcDateText(e.expiresAt)}.`,
      );
    }
    case 'credential_expiring_recovered':
    case 'credential_expired_recovered':
      return recover(
        'credential_expiry',
        credentialScope(e.clientId, e.credentialId),
        gone(
          e.reason,
          'the credential was extended or replaced',
          'the credential was removed from the client',
        ),
      );
    default:
      return undefined;
  }
};

export const watcherDecisions = (events: readonly WatcherEvent[]): Decision[] =>
  events.flatMap((e) => {
    const decision = keyDecision(e) ?? domainDecision(e) ?? credentialDecision(e);
    return decision ? [decision] : [];
  });
