import type { IsoTimestamp } from '../audit/ports.js';

/**
 * What the tenant watchers (signing keys, certificates, credentials) tell detection. Events are
 * edge-triggered: one when a condition starts or its severity rises, one `…_recovered` when it
 * ends, so incidents can open and auto-resolve without the watchers knowing about incidents.
 *
 * Conditions are per subject (a key, a domain, a credential). Within one family the later event
 * replaces the earlier: `credential_expired` escalates a `credential_expiring` for the same
 * credential, and the family's condition ends with one recovered event, named for the kind last
 * emitted. `severity` is a suggestion; detection may raise it (a rotation followed by token
 * failures).
 */

type WatcherSeverity = 'info' | 'medium' | 'high';

export type KeyScope = `key:${string}`;
export type DomainScope = `domain:${string}`;
export type ClientScope = `client:${string}`;
type WatcherScope = 'tenant' | KeyScope | DomainScope | ClientScope;

export const keyScope = (kid: string): KeyScope => `key:${kid}`;
export const domainScope = (domain: string): DomainScope => `domain:${domain}`;
export const clientScope = (clientId: string): ClientScope => `client:${clientId}`;

/** Why a condition ended: it cleared (renewed, published, extended) or its subject went away. */
export type RecoveryReason = 'resolved' | 'removed';

interface EventBase<K extends string, S extends WatcherScope, V extends WatcherSeverity> {
  readonly kind: K;
  readonly at: IsoTimestamp;
  readonly scope: S;
  readonly severity: V;
}

interface Recovered<K extends string, S extends WatcherScope> extends EventBase<K, S, 'info'> {
  readonly reason: RecoveryReason;
}

interface SigningKeyRotated extends EventBase<'signing_key_rotated', KeyScope, 'info'> {
  /** The new current key. */
  readonly kid: string;
  readonly previousKid: string | null;
  readonly currentSince: string | null;
}

/** A next key appeared outside a rotation: a rotation is imminent. */
interface SigningKeyNextStaged extends EventBase<'signing_key_next_staged', KeyScope, 'info'> {
  readonly kid: string;
}

interface SigningKeyRevoked extends EventBase<'signing_key_revoked', KeyScope, 'info'> {
  readonly kid: string;
  readonly revokedAt: string | null;
}

/** Tokens signed with the current key fail verification everywhere that reads the JWKS. */
interface JwksMissingCurrent extends EventBase<'jwks_missing_current', KeyScope, 'high'> {
  readonly kid: string;
  readonly jwksKids: readonly string[];
}

interface JwksMissingCurrentRecovered extends Recovered<'jwks_missing_current_recovered', KeyScope> {
  readonly kid: string;
}

interface CertificateExpiring extends EventBase<'certificate_expiring', DomainScope, 'medium' | 'high'> {
  readonly domain: string;
  readonly renewsBefore: IsoTimestamp;
  /** Whole days left, rounded down; 0 or less when the date has passed. */
  readonly daysLeft: number;
  readonly warnDays: number;
}

interface CertificateExpiringRecovered extends Recovered<'certificate_expiring_recovered', DomainScope> {
  readonly domain: string;
  readonly renewsBefore: IsoTimestamp | null;
}

interface CertificateRenewalFailed extends EventBase<'certificate_renewal_failed', DomainScope, 'high'> {
  readonly domain: string;
  readonly status: FailedCertificateStatus;
  /** Auth0's `error_msg`, e.g. a CNAME problem. */
  readonly errorMessage: string | null;
}

export type FailedCertificateStatus = 'renewing_failed' | 'provisioning_failed';

interface CertificateRenewalFailedRecovered extends Recovered<
  'certificate_renewal_failed_recovered',
  DomainScope
> {
  readonly domain: string;
}

interface CustomDomainFailed extends EventBase<'custom_domain_failed', DomainScope, 'high'> {
  readonly domain: string;
}

interface CustomDomainFailedRecovered extends Recovered<'custom_domain_failed_recovered', DomainScope> {
  readonly domain: string;
}

interface CredentialSubject {
  readonly clientId: string;
  readonly clientName: string;
  readonly credentialId: string;
}

interface CredentialExpiring
  extends EventBase<'credential_expiring', ClientScope, 'medium' | 'high'>, CredentialSubject {
  readonly credentialName: string | null;
  readonly expiresAt: IsoTimestamp;
  /** Whole days left, rounded down. */
  readonly daysLeft: number;
  readonly warnDays: number;
}

interface CredentialExpired extends EventBase<'credential_expired', ClientScope, 'high'>, CredentialSubject {
  readonly credentialName: string | null;
  readonly expiresAt: IsoTimestamp;
}

/** `removed` covers a credential deleted or detached from the client (no longer active). */
interface CredentialExpiringRecovered
  extends Recovered<'credential_expiring_recovered', ClientScope>, CredentialSubject {}

interface CredentialExpiredRecovered
  extends Recovered<'credential_expired_recovered', ClientScope>, CredentialSubject {}

export type WatcherEvent =
  | SigningKeyRotated
  | SigningKeyNextStaged
  | SigningKeyRevoked
  | JwksMissingCurrent
  | JwksMissingCurrentRecovered
  | CertificateExpiring
  | CertificateExpiringRecovered
  | CertificateRenewalFailed
  | CertificateRenewalFailedRecovered
  | CustomDomainFailed
  | CustomDomainFailedRecovered
  | CredentialExpiring
  | CredentialExpired
  | CredentialExpiringRecovered
  | CredentialExpiredRecovered;

/** Where the watchers hand their events: detection, later. Called after the reading is stored. */
export interface WatcherEventSink {
  accept(events: readonly WatcherEvent[]): void;
}

export const DAY_MS = 86_400_000;

export type ExpirySeverity = 'medium' | 'high';

/** Within `warnDays` medium, within one day high; undefined while further away. */
export const expirySeverity = (msLeft: number, warnDays: number): ExpirySeverity | undefined => {
  if (msLeft <= DAY_MS) return 'high';
  if (msLeft <= warnDays * DAY_MS) return 'medium';
  return undefined;
};

/** Whole days left, rounded down (negative once past). */
export const wholeDaysLeft = (msLeft: number): number => Math.floor(msLeft / DAY_MS);
