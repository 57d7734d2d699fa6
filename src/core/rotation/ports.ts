import type { ClientCredentialProof, ExchangeResult } from '../tenant/ports.js';
import type { Rotation, RotationTrigger } from './model.js';
import type { RotationTarget } from './target.js';

/** The Auth0 side of a rotation (src/auth0/rotation-tenant.ts). Writes run once, never retried blindly. */
export interface RotationTenant {
  exchange(clientId: string, proof: ClientCredentialProof, signal?: AbortSignal): Promise<ExchangeResult>;
  /** PATCH client_secret to a value we chose (not rotate-secret, which picks its own). */
  setClientSecret(clientId: string, secret: string, signal?: AbortSignal): Promise<void>;
  listCredentials(
    clientId: string,
    signal?: AbortSignal,
  ): Promise<ReadonlyArray<{ id: string; name: string | undefined }>>;
  /** Adds a public key credential (inactive until listed by setActiveCredentials). */
  createCredential(
    clientId: string,
    input: { name: string; publicKeyPem: string; alg: 'RS256' },
    signal?: AbortSignal,
  ): Promise<{ id: string }>;
  activeCredentialIds(clientId: string, signal?: AbortSignal): Promise<readonly string[]>;
  setActiveCredentials(clientId: string, ids: readonly string[], signal?: AbortSignal): Promise<void>;
  deleteCredential(clientId: string, credentialId: string, signal?: AbortSignal): Promise<void>;
}

/** What a rotate() call came to (the persisted `Rotation.outcome` is the stored half of this). */
export type RotationResult =
  | { readonly ok: true; readonly rotationId: string; readonly summary: string }
  | {
      readonly ok: false;
      readonly rotationId: string | undefined;
      readonly summary: string;
      readonly rolledBack: boolean;
    }
  | {
      readonly ok: false;
      readonly reason: 'already_running' | 'paused' | 'unknown_target';
      readonly summary: string;
    };

export interface RotationServiceRequest {
  readonly trigger: RotationTrigger;
  readonly by: string;
  readonly signal?: AbortSignal;
  /** What asked for it (a runbook step's key), recorded so that its recovery can follow the rotation. */
  readonly origin?: string;
}

/** One unfinished attempt a resume drove on: to an outcome, or still stuck (`result.rolledBack` false). */
export interface ResumedRotation {
  readonly rotation: Rotation;
  readonly target: RotationTarget;
  readonly result: RotationResult;
  /** True when it is still unfinished (a dependency is down): the next resume tries again. */
  readonly stuck: boolean;
}

/** What the rest of the app asks of rotation. */
export interface RotationService {
  rotate(target: RotationTarget, request: RotationServiceRequest): Promise<RotationResult>;
  /**
   * At start-up, and again with backoff while any stays stuck: resume or roll back every unfinished
   * attempt so AWSCURRENT works and both sides agree. Returns what each attempt came to.
   */
  resumeUnfinished(signal?: AbortSignal): Promise<readonly ResumedRotation[]>;
}

/** Scheduled rotation can be paused per target (persisted, so a restart keeps it). */
export interface RotationControl {
  isPaused(clientId: string): boolean;
  setPaused(clientId: string, paused: boolean, by: string, at: string): void;
}

/** The rotation service, once configured; until one is configured, actions say so. */
export interface RotationStarter {
  rotate(
    target: RotationTarget,
    by: string,
    signal?: AbortSignal,
    origin?: string,
  ): Promise<{ ok: boolean; summary: string }>;
  /** The rotation `origin` started for this client, as recorded: how a step's recovery follows it. */
  startedBy(clientId: string, origin: string): Rotation | undefined;
}
