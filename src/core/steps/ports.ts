import type { ActionCatalog, BoundAction } from '../actions/action.js';
import type { AuditLog, IsoTimestamp } from '../audit/ports.js';
import type { ClaimState, IdempotencyClaims } from './claims.js';
import type { Incident, IncidentStep, IncidentStore, StepState } from '../incidents/model.js';
import type { IncidentService } from '../incidents/incident-service.js';
import type { InflightTracker } from '../background/tasks.js';
import type { ChatMessage, OperatorDirectory } from '../incidents/ports.js';
import type { UnitOfWork } from '../logs/ports.js';
import type { Outbox } from '../outbox/ports.js';
import type { StepKey } from './step-key.js';

/** The `outcome` label of auth0oncall_step_runs_total. */
export type StepRunOutcome = 'success' | 'failure' | 'denied' | 'duplicate' | 'cancelled' | 'invalid';

export interface StepMetrics {
  stepRun(outcome: StepRunOutcome): void;
}

/** A finished run, as the thread line and the audit row tell it. */
export interface StepRunReport {
  readonly incidentId: string;
  readonly stepId: string;
  readonly key: string;
  readonly title: string;
  /** Who clicked (the claim's holder when a crash left the run to recovery). */
  readonly actor: string;
  readonly outcome: 'success' | 'failure';
  readonly summary: string;
  readonly durationMs: number;
  readonly at: IsoTimestamp;
  /** Settled at start-up by the action's `recover` after a crash interrupted it. */
  readonly recovered: boolean;
}

/** Pure rendering of a run's thread line, implemented by the Slack block builders. */
export interface StepRenderer {
  result(report: StepRunReport, incident: Incident): ChatMessage;
}

/** What a click (or a confirmation) came to. Expected refusals are values, never throws. */
export type ClickOutcome =
  | {
      readonly kind: 'needs_confirmation';
      readonly key: string;
      readonly title: string;
      readonly text: string;
    }
  | { readonly kind: 'started'; readonly key: string; readonly title: string }
  | {
      readonly kind: 'duplicate';
      readonly key: string;
      readonly by: string;
      readonly at: IsoTimestamp;
      readonly state: ClaimState;
      /** The run's one-line result; null while it is still running. */
      readonly result: string | null;
    }
  | { readonly kind: 'denied'; readonly why: string }
  | { readonly kind: 'invalid'; readonly why: string }
  | { readonly kind: 'not_found' };

export type ConfirmOutcome = Exclude<ClickOutcome, { readonly kind: 'needs_confirmation' }>;
export type Refusal = Extract<
  ClickOutcome,
  { readonly kind: 'duplicate' | 'denied' | 'invalid' | 'not_found' }
>;

export interface StepRunnerDeps {
  readonly incidents: IncidentStore;
  readonly claims: IdempotencyClaims;
  readonly audit: AuditLog;
  readonly catalog: ActionCatalog;
  readonly operators: OperatorDirectory;
  /** Thread lines and card refreshes go through its queue, so they never overtake each other. */
  readonly service: IncidentService;
  /** The thread line of a result is queued here, in the transaction that settles the claim. */
  readonly outbox: Outbox;
  readonly unitOfWork: UnitOfWork;
  readonly render: StepRenderer;
  readonly now: () => Date;
  readonly metrics?: StepMetrics;
  /** The run's AbortSignal fires after this long (default 10 minutes). */
  readonly runTimeoutMs?: number;
  /** Runs (with their thread line and card update) count as in-flight work for shutdown's drain. */
  readonly inflight?: Pick<InflightTracker, 'begin'>;
  /** Chat failures and unexpected errors of a background run. */
  readonly onError?: (what: string, error: unknown) => void;
}

/** A step that passed every check and may be claimed. */
export interface ReadyStep {
  readonly key: StepKey;
  readonly incident: Incident;
  readonly step: IncidentStep;
  readonly action: BoundAction;
  readonly actionName: string;
  readonly destructive: boolean;
  /** The state the step must still be in when it is moved to `running`. */
  readonly from: StepState;
}
