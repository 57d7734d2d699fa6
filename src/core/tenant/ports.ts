/**
 * The Auth0 tenant as the domain sees it: a read-mostly port implemented by src/auth0/. Values are
 * already validated; raw log entries stay `unknown` because classifying them (and skipping the
 * malformed ones) is the ingester's job.
 */

export interface LogsPage {
  /** Entries as Auth0 sent them, ordered by log_id. */
  readonly entries: readonly unknown[];
  /** The `from` value for the next page (from the Link header, else the last log_id). */
  readonly nextFrom: string | undefined;
}

export interface LogSearch {
  /** Lucene subset, e.g. `date:[2026-03-01T12:00:00.000Z TO *]`. */
  readonly q?: string;
  readonly sort: 'date:1' | 'date:-1';
  readonly perPage: number;
}

export interface SigningKey {
  readonly kid: string;
  readonly current: boolean;
  readonly next: boolean;
  readonly previous: boolean;
  readonly revoked: boolean;
  readonly currentSince: string | undefined;
  readonly revokedAt: string | undefined;
  readonly fingerprint: string | undefined;
}

export interface JwksKey {
  readonly kid: string;
  readonly kty: string;
  readonly alg: string | undefined;
}

export type CertificateStatus =
  'provisioning' | 'provisioned' | 'provisioning_failed' | 'renewing_failed' | 'unknown';

export interface CustomDomain {
  readonly id: string;
  readonly domain: string;
  readonly status: 'pending_verification' | 'ready' | 'failed' | 'unknown';
  readonly certificate:
    | {
        readonly status: CertificateStatus;
        readonly renewsBefore: string | undefined;
        readonly errorMessage: string | undefined;
      }
    | undefined;
}

export interface ClientCredential {
  readonly id: string;
  readonly name: string | undefined;
  readonly clientId: string;
  readonly expiresAt: string | undefined;
}

export interface M2mClient {
  readonly clientId: string;
  readonly name: string;
  /** IDs of the credentials listed in client_authentication_methods (the active ones). */
  readonly activeCredentialIds: readonly string[];
}

export interface Tenant {
  fetchLogs(from: string, take: number, signal?: AbortSignal): Promise<LogsPage>;
  searchLogs(search: LogSearch, signal?: AbortSignal): Promise<readonly unknown[]>;
  listSigningKeys(signal?: AbortSignal): Promise<readonly SigningKey[]>;
  fetchJwks(signal?: AbortSignal): Promise<readonly JwksKey[]>;
  listCustomDomains(signal?: AbortSignal): Promise<readonly CustomDomain[]>;
  listM2mClients(signal?: AbortSignal): Promise<readonly M2mClient[]>;
  listClientCredentials(clientId: string, signal?: AbortSignal): Promise<readonly ClientCredential[]>;
}

/** A credential to prove at the token endpoint: a client secret, or a PKCS#8 key for private_key_jwt. */
export type ClientCredentialProof =
  | { readonly kind: 'secret'; readonly secret: string }
  | { readonly kind: 'private_key_jwt'; readonly pem: string };

export type ExchangeResult =
  | { readonly ok: true }
  /** Authenticated, but not allowed this audience: the credential itself works. */
  | { readonly ok: true; readonly note: string }
  | { readonly ok: false; readonly status: number; readonly error: string };

/** The Auth0 writes and checks runbook actions need (src/auth0/auth0-tenant-admin.ts). */
export interface TenantAdmin {
  /** A real client-credentials exchange. The token, if any, is discarded at once. */
  exchange(clientId: string, proof: ClientCredentialProof, signal?: AbortSignal): Promise<ExchangeResult>;
  setClientSecret(clientId: string, secret: string, signal?: AbortSignal): Promise<void>;
  revokeSigningKey(kid: string, signal?: AbortSignal): Promise<void>;
  unblockIp(ip: string, signal?: AbortSignal): Promise<void>;
  isIpBlocked(ip: string, signal?: AbortSignal): Promise<boolean>;
}
