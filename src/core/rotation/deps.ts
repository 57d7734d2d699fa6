import type { RotationControl } from './ports.js';
import type { AuditLog } from '../audit/ports.js';
import type { RotationStore } from './model.js';
import type { SecretStore } from '../secrets/ports.js';
import type { RotationTenant } from './ports.js';

/** What the rotation machine reports as it goes (for logs and metrics); never a secret value. */
export type RotationEvent =
  | {
      readonly type: 'started';
      readonly rotationId: string;
      readonly clientId: string;
      readonly strategy: string;
    }
  | { readonly type: 'state'; readonly rotationId: string; readonly clientId: string; readonly state: string }
  | {
      readonly type: 'resumed';
      readonly rotationId: string;
      readonly clientId: string;
      readonly state: string;
    }
  | {
      readonly type: 'finished';
      readonly rotationId: string;
      readonly clientId: string;
      readonly outcome: 'succeeded' | 'failed' | 'rolled_back';
      readonly error?: string;
    }
  | {
      readonly type: 'interrupted';
      readonly rotationId: string;
      readonly clientId: string;
      readonly error: string;
    };

interface KeyPair {
  readonly publicKeyPem: string;
  /** PKCS#8: what the SDK and `jose.importPKCS8` expect. */
  readonly privateKeyPkcs8Pem: string;
}

export interface RotationServiceDeps {
  readonly rotations: RotationStore;
  readonly secrets: SecretStore;
  readonly tenant: RotationTenant;
  readonly control?: RotationControl;
  readonly audit: AuditLog;
  readonly now: () => Date;
  /** Rotation ids. */
  readonly newId: () => string;
  /** ClientRequestToken of the pending version: a UUID (Secrets Manager wants 32–64 characters). */
  readonly newToken: () => string;
  /** A new client secret: 64+ characters from a crypto-strong source. */
  readonly generateSecret: () => string;
  /** RSA 2048. */
  readonly generateKeyPair: () => Promise<KeyPair>;
  /** Always given a signal (a never-aborted one when the caller passed none). */
  readonly sleep: (ms: number, signal: AbortSignal) => Promise<void>;
  /**
   * Auth0 takes up to ~30 s to honour a changed credential
   * (docs/decisions/0003-client-secret-rotation-by-patch.md).
   */
  readonly propagation: { readonly attempts: number; readonly delayMs: number };
  /** How long the old private_key_jwt credential stays enabled after the new one is promoted. */
  readonly keyGraceMs: number;
  readonly onEvent?: (event: RotationEvent) => void;
}

/** States of the client_secret strategy, each written BEFORE the side effect it names. */
export const SECRET_STATES = ['created', 'set', 'tested', 'finished'] as const;
/** States of the private_key_jwt strategy, each written BEFORE the side effect it names. */
export const KEY_STATES = [
  'created',
  'credential_added',
  'enabled_both',
  'tested',
  'finished',
  'cleanup_pending',
] as const;
export const ROLLING_BACK = 'rolling_back';
