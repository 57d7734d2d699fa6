import type { IsoTimestamp } from '../audit/ports.js';

/**
 * Incidents: one unresolved incident per (signal, scope); open → acknowledged → resolved, with
 * escalation as a flag. Each incident carries its timeline and the runbook steps on its card.
 */

export type Severity = 'info' | 'low' | 'medium' | 'high';
export type IncidentState = 'open' | 'acknowledged' | 'resolved';
export type Resolution = 'manual' | 'auto';

export interface Incident {
  /** Unique, 1–64 characters, no `:` (it is embedded in Slack `action_id`s). */
  readonly id: string;
  readonly signal: string;
  /** What the signal is about: a client, a connection, `tenant`. */
  readonly scope: string;
  readonly severity: Severity;
  readonly state: IncidentState;
  readonly title: string;
  readonly openedAt: IsoTimestamp;
  readonly updatedAt: IsoTimestamp;
  readonly acknowledgedAt: IsoTimestamp | null;
  readonly acknowledgedBy: string | null;
  readonly escalatedAt: IsoTimestamp | null;
  readonly escalatedBy: string | null;
  readonly resolvedAt: IsoTimestamp | null;
  readonly resolvedBy: string | null;
  readonly resolution: Resolution | null;
  readonly slackChannel: string | null;
  readonly slackTs: string | null;
  readonly evidence: Readonly<Record<string, unknown>>;
  /** Which runbook writer produced the steps (`bedrock`, `anthropic`, `builtin`), once known. */
  readonly runbookProvider: string | null;
  /** Who is handling it: the acknowledger, or whoever took it over since. */
  readonly owner: string | null;
  /** The operator who last set the severity by hand; null while detection alone sets it. */
  readonly severitySetBy: string | null;
  /** The highest severity detection has assigned (a person's choice may differ). */
  readonly detectedSeverity: Severity;
}

export interface NewIncident {
  readonly id: string;
  readonly signal: string;
  readonly scope: string;
  readonly severity: Severity;
  readonly title: string;
  readonly at: IsoTimestamp;
  readonly evidence?: Readonly<Record<string, unknown>>;
  readonly runbookProvider?: string | null;
  /** Who opened it; `'system'` unless a person did. */
  readonly actor?: string;
}

/** Omitted fields are left as they are. */
export interface IncidentPatch {
  readonly at: IsoTimestamp;
  readonly severity?: Severity;
  readonly title?: string;
  readonly evidence?: Readonly<Record<string, unknown>>;
  readonly slackChannel?: string;
  readonly slackTs?: string;
  readonly runbookProvider?: string;
  readonly detectedSeverity?: Severity;
}

export type OpenIncidentResult =
  | { readonly created: true; readonly incident: Incident }
  | { readonly created: false; readonly incident: Incident };

export type IncidentChangeResult =
  { readonly ok: true; readonly incident: Incident } | { readonly ok: false; readonly reason: 'not_found' };

export type TransitionResult =
  | { readonly ok: true; readonly incident: Incident }
  | { readonly ok: false; readonly reason: 'not_found' }
  | {
      readonly ok: false;
      readonly reason: 'already_acknowledged' | 'already_escalated' | 'already_resolved';
      readonly incident: Incident;
    };

export type TakeOverResult =
  | { readonly ok: true; readonly incident: Incident; readonly previous: string | null }
  | { readonly ok: false; readonly reason: 'not_found' }
  | {
      readonly ok: false;
      readonly reason: 'already_resolved' | 'not_acknowledged' | 'already_owner';
      readonly incident: Incident;
    };

export type SetSeverityResult =
  | { readonly ok: true; readonly incident: Incident; readonly from: Severity }
  | { readonly ok: false; readonly reason: 'not_found' }
  | { readonly ok: false; readonly reason: 'already_resolved' | 'unchanged'; readonly incident: Incident };

export type IncidentEventKind =
  | 'opened'
  | 'evidence'
  | 'severity_changed'
  | 'acknowledged'
  | 'escalated'
  | 'resolved'
  | 'reminder'
  | 'runbook'
  | 'step_started'
  | 'step_succeeded'
  | 'step_failed'
  | 'note'
  | 'took_over';

export interface IncidentEvent {
  readonly id: number;
  readonly incidentId: string;
  readonly at: IsoTimestamp;
  readonly kind: IncidentEventKind;
  readonly actor: string;
  readonly detail: Readonly<Record<string, unknown>>;
}

export interface NewIncidentEvent {
  readonly at: IsoTimestamp;
  readonly kind: IncidentEventKind;
  readonly actor: string;
  readonly detail?: Readonly<Record<string, unknown>>;
}

export type StepKind = 'guidance' | 'action';
export type StepState = 'pending' | 'running' | 'succeeded' | 'failed';

export interface IncidentStep {
  readonly incidentId: string;
  /** Unique within the incident, 1–64 characters, no `:`. */
  readonly stepId: string;
  readonly position: number;
  readonly kind: StepKind;
  readonly title: string;
  readonly body: string;
  /** The catalog action's name for `action` steps; null for guidance. */
  readonly action: string | null;
  readonly params: Readonly<Record<string, unknown>>;
  readonly destructive: boolean;
  readonly state: StepState;
  /** The idempotency key of the latest run (the button's `action_id`). */
  readonly lastKey: string | null;
  readonly updatedAt: IsoTimestamp;
}

export type NewIncidentStep =
  | {
      readonly stepId: string;
      readonly kind: 'guidance';
      readonly title: string;
      readonly body: string;
    }
  | {
      readonly stepId: string;
      readonly kind: 'action';
      readonly title: string;
      readonly body: string;
      readonly action: string;
      readonly params?: Readonly<Record<string, unknown>>;
      readonly destructive?: boolean;
    };

export interface StepStateChange {
  readonly state: StepState;
  readonly at: IsoTimestamp;
  readonly lastKey?: string;
  /** Compare-and-set: only move when the step is currently in one of these states. */
  readonly from?: readonly StepState[];
}

export type SetStepsResult =
  | { readonly ok: true; readonly steps: IncidentStep[] }
  | { readonly ok: false; readonly reason: 'not_found' | 'steps_started' };

export type StepChangeResult =
  | { readonly ok: true; readonly step: IncidentStep }
  | { readonly ok: false; readonly reason: 'not_found' }
  | { readonly ok: false; readonly reason: 'invalid_state'; readonly step: IncidentStep };

export interface IncidentStore {
  /** Opens a new incident, or returns the unresolved one already open for its signal + scope. */
  open(incident: NewIncident): OpenIncidentResult;
  get(id: string): Incident | null;
  findOpen(signal: string, scope: string): Incident | null;
  /** Every unresolved incident (open or acknowledged), oldest first. */
  listOpen(): Incident[];
  /** Incidents resolved at or after `since`, oldest first (for MTTA / MTTR). */
  resolvedSince(since: IsoTimestamp): Incident[];
  update(id: string, patch: IncidentPatch): IncidentChangeResult;
  /** Also makes `by` the owner. */
  acknowledge(id: string, by: string, at: IsoTimestamp): TransitionResult;
  /** Makes `by` the owner of an acknowledged incident; writes a `took_over` timeline row. */
  takeOver(id: string, by: string, at: IsoTimestamp): TakeOverResult;
  /** A person's severity: writes a `severity_changed` row with them as its actor. */
  setSeverity(
    id: string,
    severity: Severity,
    by: string,
    at: IsoTimestamp,
    reason?: string,
  ): SetSeverityResult;
  escalate(id: string, by: string, at: IsoTimestamp): TransitionResult;
  resolve(id: string, by: string, at: IsoTimestamp, resolution: Resolution): TransitionResult;
  appendEvent(incidentId: string, event: NewIncidentEvent): IncidentEvent | null;
  /** Oldest first. */
  timeline(incidentId: string): IncidentEvent[];
  /** Replaces the runbook; refused once any step has left `pending`. */
  setSteps(incidentId: string, steps: readonly NewIncidentStep[], at: IsoTimestamp): SetStepsResult;
  /** In card order. */
  steps(incidentId: string): IncidentStep[];
  getStep(incidentId: string, stepId: string): IncidentStep | null;
  setStepState(incidentId: string, stepId: string, change: StepStateChange): StepChangeResult;
}
