import type Database from 'better-sqlite3';
import type {
  Incident,
  IncidentChangeResult,
  IncidentEvent,
  IncidentPatch,
  IncidentStep,
  IncidentStore,
  NewIncident,
  NewIncidentEvent,
  NewIncidentStep,
  OpenIncidentResult,
  Resolution,
  SetSeverityResult,
  SetStepsResult,
  Severity,
  StepChangeResult,
  StepStateChange,
  TakeOverResult,
  TransitionResult,
} from '../core/incidents/model.js';
import { expectRow, insertOrConflict, toIsoTimestamp, toJson } from './codec.js';
import type { StoreDatabase } from './database.js';
import {
  EVENT_COLUMNS,
  INCIDENT_COLUMNS,
  toEvent,
  toIncident,
  type EventRow,
  type IncidentRow,
} from './incident-rows.js';
import { IncidentSteps } from './incident-steps.js';

const COLUMNS = INCIDENT_COLUMNS;

type EventInsert = Omit<EventRow, 'id'>;
type IncidentInsert = Pick<
  IncidentRow,
  'id' | 'signal' | 'scope' | 'severity' | 'title' | 'evidence' | 'runbook_provider'
> & { at: string };
type PatchParams = {
  [
    K in
      | 'severity'
      | 'title'
      | 'evidence'
      | 'slack_channel'
      | 'slack_ts'
      | 'runbook_provider'
      | 'detected_severity'
  ]: string | null;
} & { id: string; at: string };
type TransitionParams = { id: string; by: string; at: string; resolution?: Resolution };

// Each transition is one conditional UPDATE: the WHERE clause is the state machine's guard.
const TRANSITIONS = {
  acknowledged: `UPDATE incidents SET state = 'acknowledged', acknowledged_at = @at, acknowledged_by = @by, owner = @by, updated_at = @at
    WHERE id = @id AND state = 'open' RETURNING ${COLUMNS}`,
  escalated: `UPDATE incidents SET escalated_at = @at, escalated_by = @by, updated_at = @at
    WHERE id = @id AND state <> 'resolved' AND escalated_at IS NULL RETURNING ${COLUMNS}`,
  resolved: `UPDATE incidents SET state = 'resolved', resolved_at = @at, resolved_by = @by, resolution = @resolution,
    updated_at = @at WHERE id = @id AND state <> 'resolved' RETURNING ${COLUMNS}`,
} as const;
type TransitionKind = keyof typeof TRANSITIONS;

const refusal = (incident: Incident, wanted: TransitionKind) =>
  incident.state === 'resolved'
    ? ('already_resolved' as const)
    : wanted === 'acknowledged'
      ? ('already_acknowledged' as const)
      : ('already_escalated' as const);

/** Incidents with their timeline and runbook steps; every multi-row change is one transaction. */
export class SqliteIncidentStore implements IncidentStore {
  private readonly store: StoreDatabase;
  private readonly stepRepo: IncidentSteps;
  private readonly stmt: {
    insert: Database.Statement<[IncidentInsert], IncidentRow>;
    get: Database.Statement<[string], IncidentRow>;
    findOpen: Database.Statement<[string, string], IncidentRow>;
    listOpen: Database.Statement<[], IncidentRow>;
    resolvedSince: Database.Statement<[string], IncidentRow>;
    patch: Database.Statement<[PatchParams], IncidentRow>;
    insertEvent: Database.Statement<[EventInsert], EventRow>;
    timeline: Database.Statement<[string], EventRow>;
    transitions: Record<TransitionKind, Database.Statement<[TransitionParams], IncidentRow>>;
    takeOver: Database.Statement<[{ id: string; by: string; at: string }], IncidentRow>;
    setSeverity: Database.Statement<
      [{ id: string; by: string; at: string; severity: Severity }],
      IncidentRow
    >;
  };

  constructor(store: StoreDatabase) {
    this.store = store;
    const { db } = store;
    this.stepRepo = new IncidentSteps(db);
    const transition = (sql: string) => db.prepare<[TransitionParams], IncidentRow>(sql);
    this.stmt = {
      insert: db.prepare(
        `INSERT INTO incidents (id, signal, scope, severity, detected_severity, state, title, opened_at, updated_at, evidence, runbook_provider)
         VALUES (@id, @signal, @scope, @severity, @severity, 'open', @title, @at, @at, @evidence, @runbook_provider) RETURNING ${COLUMNS}`,
      ),
      get: db.prepare(`SELECT ${COLUMNS} FROM incidents WHERE id = ?`),
      findOpen: db.prepare(
        `SELECT ${COLUMNS} FROM incidents WHERE signal = ? AND scope = ? AND state <> 'resolved'`,
      ),
      listOpen: db.prepare(
        `SELECT ${COLUMNS} FROM incidents WHERE state <> 'resolved' ORDER BY opened_at, id`,
      ),
      resolvedSince: db.prepare(
        `SELECT ${COLUMNS} FROM incidents WHERE resolved_at >= ? ORDER BY resolved_at, id`,
      ),
      patch: db.prepare(
        `UPDATE incidents SET severity = coalesce(@severity, severity), title = coalesce(@title, title),
           evidence = coalesce(@evidence, evidence), slack_channel = coalesce(@slack_channel, slack_channel),
           slack_ts = coalesce(@slack_ts, slack_ts), runbook_provider = coalesce(@runbook_provider, runbook_provider),
           detected_severity = coalesce(@detected_severity, detected_severity), updated_at = @at
         WHERE id = @id RETURNING ${COLUMNS}`,
      ),
      insertEvent: db.prepare(
        `INSERT INTO incident_events (incident_id, at, kind, actor, detail)
         VALUES (@incident_id, @at, @kind, @actor, @detail) RETURNING ${EVENT_COLUMNS}`,
      ),
      timeline: db.prepare(
        `SELECT ${EVENT_COLUMNS} FROM incident_events WHERE incident_id = ? ORDER BY at, id`,
      ),
      transitions: {
        acknowledged: transition(TRANSITIONS.acknowledged),
        escalated: transition(TRANSITIONS.escalated),
        resolved: transition(TRANSITIONS.resolved),
      },
      // Guards as in TRANSITIONS: the WHERE clause refuses, and the reason is read afterwards.
      takeOver: db.prepare(
        `UPDATE incidents SET owner = @by, updated_at = @at
         WHERE id = @id AND state = 'acknowledged' AND owner IS NOT @by RETURNING ${COLUMNS}`,
      ),
      setSeverity: db.prepare(
        `UPDATE incidents SET severity = @severity, severity_set_by = @by, updated_at = @at
         WHERE id = @id AND state <> 'resolved' AND severity <> @severity RETURNING ${COLUMNS}`,
      ),
    };
  }

  open(incident: NewIncident): OpenIncidentResult {
    const at = toIsoTimestamp(incident.at, 'incident.openedAt');
    const evidence = toJson(incident.evidence ?? {}, 'incident.evidence');
    return this.store.transaction((): OpenIncidentResult => {
      const existing = this.findOpen(incident.signal, incident.scope);
      if (existing) return { created: false, incident: existing };
      const row = insertOrConflict(`incident "${incident.id}"`, () =>
        this.stmt.insert.get({
          id: incident.id,
          signal: incident.signal,
          scope: incident.scope,
          severity: incident.severity,
          title: incident.title,
          at,
          evidence,
          runbook_provider: incident.runbookProvider ?? null,
        }),
      );
      const opened = toIncident(expectRow(row, 'incidents insert'));
      const detail = { signal: opened.signal, scope: opened.scope, severity: opened.severity };
      this.insertEvent(opened.id, { at, kind: 'opened', actor: incident.actor ?? 'system', detail });
      return { created: true, incident: opened };
    });
  }

  get(id: string): Incident | null {
    const row = this.stmt.get.get(id);
    return row ? toIncident(row) : null;
  }

  findOpen(signal: string, scope: string): Incident | null {
    const row = this.stmt.findOpen.get(signal, scope);
    return row ? toIncident(row) : null;
  }

  listOpen(): Incident[] {
    return this.stmt.listOpen.all().map(toIncident);
  }

  resolvedSince(since: string): Incident[] {
    return this.stmt.resolvedSince.all(toIsoTimestamp(since, 'since')).map(toIncident);
  }

  /** Changing the severity also writes a `severity_changed` line to the timeline. */
  update(id: string, patch: IncidentPatch): IncidentChangeResult {
    const at = toIsoTimestamp(patch.at, 'incident.updatedAt');
    const params: PatchParams = {
      id,
      at,
      severity: patch.severity ?? null,
      title: patch.title ?? null,
      evidence: patch.evidence === undefined ? null : toJson(patch.evidence, 'incident.evidence'),
      slack_channel: patch.slackChannel ?? null,
      slack_ts: patch.slackTs ?? null,
      runbook_provider: patch.runbookProvider ?? null,
      detected_severity: patch.detectedSeverity ?? null,
    };
    return this.store.transaction((): IncidentChangeResult => {
      const before = this.get(id);
      if (!before) return { ok: false, reason: 'not_found' };
      const incident = toIncident(expectRow(this.stmt.patch.get(params), 'incidents update'));
      if (incident.severity !== before.severity) {
        const detail = { from: before.severity, to: incident.severity };
        this.insertEvent(id, { at, kind: 'severity_changed', actor: 'system', detail });
      }
      return { ok: true, incident };
    });
  }

  acknowledge(id: string, by: string, at: string): TransitionResult {
    return this.transition('acknowledged', { id, by, at: toIsoTimestamp(at, 'incident.acknowledgedAt') });
  }

  escalate(id: string, by: string, at: string): TransitionResult {
    return this.transition('escalated', { id, by, at: toIsoTimestamp(at, 'incident.escalatedAt') });
  }

  resolve(id: string, by: string, at: string, resolution: Resolution): TransitionResult {
    return this.transition('resolved', { id, by, at: toIsoTimestamp(at, 'incident.resolvedAt'), resolution });
  }

  takeOver(id: string, by: string, at: string): TakeOverResult {
    const when = toIsoTimestamp(at, 'incident.updatedAt');
    return this.store.transaction((): TakeOverResult => {
      const before = this.get(id);
      if (!before) return { ok: false, reason: 'not_found' };
      const row = this.stmt.takeOver.get({ id, by, at: when });
      if (!row) {
        const reason =
          before.state === 'resolved'
            ? 'already_resolved'
            : before.state === 'open'
              ? 'not_acknowledged'
              : 'already_owner';
        return { ok: false, reason, incident: before };
      }
      this.insertEvent(id, { at: when, kind: 'took_over', actor: by, detail: { from: before.owner } });
      return { ok: true, incident: toIncident(row), previous: before.owner };
    });
  }

  setSeverity(id: string, severity: Severity, by: string, at: string, reason?: string): SetSeverityResult {
    const when = toIsoTimestamp(at, 'incident.updatedAt');
    return this.store.transaction((): SetSeverityResult => {
      const before = this.get(id);
      if (!before) return { ok: false, reason: 'not_found' };
      const row = this.stmt.setSeverity.get({ id, by, at: when, severity });
      if (!row)
        return {
          ok: false,
          reason: before.state === 'resolved' ? 'already_resolved' : 'unchanged',
          incident: before,
        };
      const detail = { from: before.severity, to: severity, manual: true, ...(reason ? { reason } : {}) };
      this.insertEvent(id, { at: when, kind: 'severity_changed', actor: by, detail });
      return { ok: true, incident: toIncident(row), from: before.severity };
    });
  }

  appendEvent(incidentId: string, event: NewIncidentEvent): IncidentEvent | null {
    const at = toIsoTimestamp(event.at, 'event.at');
    return this.store.transaction(() =>
      this.stmt.get.get(incidentId) ? this.insertEvent(incidentId, { ...event, at }) : null,
    );
  }

  timeline(incidentId: string): IncidentEvent[] {
    return this.stmt.timeline.all(incidentId).map(toEvent);
  }

  setSteps(incidentId: string, steps: readonly NewIncidentStep[], at: string): SetStepsResult {
    const when = toIsoTimestamp(at, 'steps.updatedAt');
    return this.store.transaction((): SetStepsResult => {
      if (!this.stmt.get.get(incidentId)) return { ok: false, reason: 'not_found' };
      // Steps that have run are history the card and the audit log point at: never replaced.
      if (this.stepRepo.anyStarted(incidentId)) return { ok: false, reason: 'steps_started' };
      this.stepRepo.replace(incidentId, steps, when);
      this.insertEvent(incidentId, {
        at: when,
        kind: 'runbook',
        actor: 'system',
        detail: { steps: steps.length },
      });
      return { ok: true, steps: this.stepRepo.list(incidentId) };
    });
  }

  steps(incidentId: string): IncidentStep[] {
    return this.stepRepo.list(incidentId);
  }

  getStep(incidentId: string, stepId: string): IncidentStep | null {
    return this.stepRepo.get(incidentId, stepId);
  }

  setStepState(incidentId: string, stepId: string, change: StepStateChange): StepChangeResult {
    return this.store.transaction(() => this.stepRepo.setState(incidentId, stepId, change));
  }

  private transition(kind: TransitionKind, params: TransitionParams): TransitionResult {
    return this.store.transaction((): TransitionResult => {
      const row = this.stmt.transitions[kind].get(params);
      if (!row) {
        const current = this.get(params.id);
        return current
          ? { ok: false, reason: refusal(current, kind), incident: current }
          : { ok: false, reason: 'not_found' };
      }
      const detail = params.resolution ? { resolution: params.resolution } : {};
      this.insertEvent(params.id, { at: params.at, kind, actor: params.by, detail });
      return { ok: true, incident: toIncident(row) };
    });
  }

  private insertEvent(incidentId: string, event: NewIncidentEvent): IncidentEvent {
    const row = this.stmt.insertEvent.get({
      incident_id: incidentId,
      at: event.at,
      kind: event.kind,
      actor: event.actor,
      detail: toJson(event.detail ?? {}, 'event.detail'),
    });
    return toEvent(expectRow(row, 'incident_events insert'));
  }
}
