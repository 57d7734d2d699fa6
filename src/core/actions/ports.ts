import type { RotationTarget } from '../rotation-target.js';

/** A credential to prove at the token endpoint: a client secret, or a PKCS#8 key for private_key_jwt. */
export type ClientCredentialProof =
  | { readonly kind: 'secret'; readonly secret: string }
  | { readonly kind: 'private_key_jwt'; readonly pem: string };

export type ExchangeResult =
  | { readonly ok: true }
  /** Authenticated, but not allowed this audience: the credential itself works. */
  | { readonly ok: true; readonly note: string }
  | { readonly ok: false; readonly status: number; readonly error: string };

/** The Auth0 writes and checks runbook actions need (src/auth0/tenant-admin.ts). */
export interface TenantAdmin {
  /** A real client-credentials exchange. The token, if any, is discarded at once. */
  exchange(clientId: string, proof: ClientCredentialProof, signal?: AbortSignal): Promise<ExchangeResult>;
  setClientSecret(clientId: string, secret: string, signal?: AbortSignal): Promise<void>;
  revokeSigningKey(kid: string, signal?: AbortSignal): Promise<void>;
  unblockIp(ip: string, signal?: AbortSignal): Promise<void>;
  isIpBlocked(ip: string, signal?: AbortSignal): Promise<boolean>;
}

/** Scheduled rotation can be paused per target (persisted, so a restart keeps it). */
export interface RotationControl {
  isPaused(clientId: string): boolean;
  setPaused(clientId: string, paused: boolean, by: string, at: string): void;
}

/** The rotation service, once configured (issue #6); until then actions say so. */
export interface RotationStarter {
  rotate(target: RotationTarget, by: string, signal?: AbortSignal): Promise<{ ok: boolean; summary: string }>;
}

/** Runs detection now and says whether the incident's signal is still firing. */
export interface SignalRechecker {
  recheck(incidentId: string): Promise<string>;
}
