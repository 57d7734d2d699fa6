import type { Decision } from './model.js';
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
 * - A superseding rule drops another group's `open` decision that one of the family's decisions
 *   already covers, so one attack is one card (an update of an incident already open is kept).
 */

/** An open incident of the refined signal, as the refiner needs it. */
interface OpenOfSignal {
  readonly scope: string;
  readonly severity: Severity;
}

export type Refiner = (draft: Draft, ctx: DraftContext, open: readonly OpenOfSignal[]) => Draft | undefined;

export type Supersedes = (
  covering: Decision & { kind: 'open' | 'update' },
  other: Decision & { kind: 'open' },
) => boolean;
