/**
 * The append-only audit log: every click (allowed, denied, duplicate) and every outcome of a
 * step, acknowledgement, rotation or breaker change. Entries are written once and never changed.
 */

/** Timestamps cross the store boundary as canonical ISO-8601 UTC strings (`Date#toISOString`). */
export type IsoTimestamp = string;

export type AuditOutcome =
  | 'allowed'
  | 'denied'
  | 'duplicate'
  | 'started'
  | 'success'
  | 'failure'
  | 'confirmed'
  | 'cancelled'
  | 'skipped';

/** `<subject>.<verb>`, e.g. `step.click`, `incident.ack`, `rotation.start`, `breaker.open`. */
export type AuditAction = `${string}.${string}`;

export interface NewAuditEntry {
  readonly at: IsoTimestamp;
  /** A Slack user ID, or `'system'` for the bot's own actions. */
  readonly actor: string;
  readonly action: AuditAction;
  readonly outcome: AuditOutcome;
  readonly summary: string;
  readonly incidentId?: string | null;
  readonly stepId?: string | null;
  readonly idempotencyKey?: string | null;
  readonly durationMs?: number | null;
  /** Structured context; never a secret. */
  readonly detail?: Readonly<Record<string, unknown>>;
}

export interface AuditEntry {
  readonly id: number;
  readonly at: IsoTimestamp;
  readonly actor: string;
  readonly action: AuditAction;
  readonly outcome: AuditOutcome;
  readonly summary: string;
  readonly incidentId: string | null;
  readonly stepId: string | null;
  readonly idempotencyKey: string | null;
  readonly durationMs: number | null;
  readonly detail: Readonly<Record<string, unknown>>;
}

/** Append-only by construction: there is deliberately no way to change or remove an entry. */
export interface AuditLog {
  append(entry: NewAuditEntry): AuditEntry;
  /** Newest first; `limit` is clamped to 1..1000. */
  latest(limit: number): AuditEntry[];
  /** Oldest first. */
  forIncident(incidentId: string): AuditEntry[];
}

/**
 * AUDIT_RETENTION_DAYS: the one way entries leave the log, oldest first and only behind a horizon
 * that never moves back; unset, nothing is ever pruned.
 */
export interface AuditRetention {
  /** Removes entries with `at` before `before` (ISO); returns how many. */
  pruneBefore(before: string): number;
}
