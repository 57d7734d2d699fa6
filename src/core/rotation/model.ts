import type { IsoTimestamp } from '../audit/ports.js';

/**
 * A credential rotation as persisted: the state machine's current state is stored after every
 * step, so a restart can resume or roll back. At most one unfinished rotation per target.
 */

export type RotationStrategy = 'client_secret' | 'private_key_jwt';
export type RotationTrigger = 'schedule' | 'command' | 'step';
export type RotationOutcome = 'succeeded' | 'failed' | 'rolled_back' | 'cancelled';

export interface Rotation {
  readonly id: string;
  readonly targetClientId: string;
  readonly strategy: RotationStrategy;
  readonly trigger: RotationTrigger;
  /** Slack user ID, or `'system'` for scheduled runs. */
  readonly requestedBy: string;
  /** The rotation state machine's state name; the machine owns its vocabulary. */
  readonly state: string;
  /** The Secrets Manager `ClientRequestToken` of the pending version, once there is one. */
  readonly clientRequestToken: string | null;
  readonly startedAt: IsoTimestamp;
  readonly updatedAt: IsoTimestamp;
  readonly finishedAt: IsoTimestamp | null;
  readonly outcome: RotationOutcome | null;
  readonly error: string | null;
  /** Non-secret facts the machine needs to resume (credential IDs, version IDs). */
  readonly detail: Readonly<Record<string, unknown>>;
}

export interface NewRotation {
  readonly id: string;
  readonly targetClientId: string;
  readonly strategy: RotationStrategy;
  readonly trigger: RotationTrigger;
  readonly requestedBy: string;
  readonly state: string;
  readonly at: IsoTimestamp;
  readonly clientRequestToken?: string | null;
  readonly detail?: Readonly<Record<string, unknown>>;
}

/** Omitted fields are left as they are. */
export interface RotationPatch {
  readonly at: IsoTimestamp;
  readonly state?: string;
  readonly clientRequestToken?: string;
  readonly error?: string;
  readonly detail?: Readonly<Record<string, unknown>>;
  /** Compare-and-set: only apply when the stored state is this one. */
  readonly expectedState?: string;
}

export interface RotationFinish extends RotationPatch {
  readonly outcome: RotationOutcome;
}

export type RotationStartResult =
  | { readonly ok: true; readonly rotation: Rotation }
  | { readonly ok: false; readonly reason: 'already_running'; readonly existing: Rotation };

export type RotationChangeResult =
  | { readonly ok: true; readonly rotation: Rotation }
  | { readonly ok: false; readonly reason: 'not_found' }
  | {
      readonly ok: false;
      readonly reason: 'already_finished' | 'state_mismatch';
      readonly rotation: Rotation;
    };

export interface RotationStore {
  start(rotation: NewRotation): RotationStartResult;
  get(id: string): Rotation | null;
  update(id: string, patch: RotationPatch): RotationChangeResult;
  finish(id: string, finish: RotationFinish): RotationChangeResult;
  /** Oldest first: what a restart must resume or roll back. */
  listUnfinished(): Rotation[];
  /** The most recently started rotation of a target, finished or not. */
  latestFor(targetClientId: string): Rotation | null;
  /** Newest first; `limit` is clamped to 1..1000. */
  recent(limit: number): Rotation[];
}
