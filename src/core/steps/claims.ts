import type { IsoTimestamp } from '../audit/ports.js';

/**
 * Durable idempotency claims. A step button's `action_id` is the key: the first click claims it
 * atomically; every later click (double click, redelivery, restart) sees the existing claim.
 */

export type ClaimState = 'running' | 'succeeded' | 'failed';
type FinishedClaimState = Exclude<ClaimState, 'running'>;

export interface Claim {
  readonly key: string;
  /** What the key protects, e.g. `step` or `rotation`. */
  readonly scope: string;
  readonly claimedBy: string;
  readonly claimedAt: IsoTimestamp;
  readonly state: ClaimState;
  readonly finishedAt: IsoTimestamp | null;
  readonly resultSummary: string | null;
  /** Any JSON value the runner chose to keep, or null. */
  readonly result: unknown;
}

export interface ClaimRequest {
  readonly key: string;
  readonly scope: string;
  readonly actor: string;
  readonly at: IsoTimestamp;
}

export type ClaimResult =
  { readonly claimed: true; readonly claim: Claim } | { readonly claimed: false; readonly existing: Claim };

export interface ClaimOutcome {
  readonly state: FinishedClaimState;
  readonly summary: string;
  readonly result?: unknown;
  readonly at: IsoTimestamp;
}

export interface IdempotencyClaims {
  claim(request: ClaimRequest): ClaimResult;
  /** Moves a claim from `running` to its outcome; false if it was not running (or unknown). */
  finish(key: string, outcome: ClaimOutcome): boolean;
  /** Keeps `result` on a running claim (an action's recorded plan); false if it is not running. */
  note(key: string, result: unknown): boolean;
  get(key: string): Claim | null;
  /** Claims a crash left in `running`, oldest first, for recovery at start-up. */
  listRunning(): Claim[];
}
