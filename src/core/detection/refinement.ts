import type { Decision, Evidence } from './model.js';
import type { Severity } from '../incidents/model.js';
import type { Draft, DraftContext } from './log-decisions.js';

/**
 * Hooks for detections the per-minute counts cannot finish on their own (families/attacks.ts).
 *
 * - A refiner looks at a firing finding's draft and the sampled events behind it (distinct users per
 *   IP, whether an IP is a known one) and returns the draft with its severity, title, evidence or
 *   scope settled, or undefined when the events do not show the problem after all. A group whose
 *   refiner may move the scope (a tenant-wide count becoming `ip:<addr>`) is counted with scoping
 *   `tenant`: all of its open incidents are judged quiet or not by the tenant's counts.
 * - A superseding rule drops another group's `open` decision that one of the family's decisions, or
 *   one of its incidents already open, covers, so one attack is one card (an update of an incident
 *   already open is kept).
 */

/** An open incident of the refined signal, as the refiner needs it. */
interface OpenOfSignal {
  readonly scope: string;
  readonly severity: Severity;
}

export type Refiner = (draft: Draft, ctx: DraftContext, open: readonly OpenOfSignal[]) => Draft | undefined;

/** What covers: a decision of this evaluation, or an incident already open (no evidence then). */
interface Covering {
  readonly signal: string;
  readonly scope: string;
  readonly evidence?: Evidence;
}

export type Supersedes = (covering: Covering, other: Decision & { kind: 'open' }) => boolean;
