import type {
  Incident,
  IncidentEvent,
  IncidentEventKind,
  IncidentState,
  Resolution,
  Severity,
} from '../core/incidents/model.js';
import { parseJsonObject } from './codec.js';

/** Row shapes of `incidents` and `incident_events` and their mapping to domain objects. */

export interface IncidentRow {
  id: string;
  signal: string;
  scope: string;
  severity: Severity;
  state: IncidentState;
  title: string;
  opened_at: string;
  updated_at: string;
  acknowledged_at: string | null;
  acknowledged_by: string | null;
  escalated_at: string | null;
  escalated_by: string | null;
  resolved_at: string | null;
  resolved_by: string | null;
  resolution: Resolution | null;
  slack_channel: string | null;
  slack_ts: string | null;
  evidence: string;
  runbook_provider: string | null;
  owner: string | null;
  severity_set_by: string | null;
  detected_severity: Severity | null;
}

export interface EventRow {
  id: number;
  incident_id: string;
  at: string;
  kind: IncidentEventKind;
  actor: string;
  detail: string;
}

export const toIncident = (row: IncidentRow): Incident => ({
  id: row.id,
  signal: row.signal,
  scope: row.scope,
  severity: row.severity,
  state: row.state,
  title: row.title,
  openedAt: row.opened_at,
  updatedAt: row.updated_at,
  acknowledgedAt: row.acknowledged_at,
  acknowledgedBy: row.acknowledged_by,
  escalatedAt: row.escalated_at,
  escalatedBy: row.escalated_by,
  resolvedAt: row.resolved_at,
  resolvedBy: row.resolved_by,
  resolution: row.resolution,
  slackChannel: row.slack_channel,
  slackTs: row.slack_ts,
  evidence: parseJsonObject(row.evidence),
  runbookProvider: row.runbook_provider,
  owner: row.owner,
  severitySetBy: row.severity_set_by,
  detectedSeverity: row.detected_severity ?? row.severity,
});

export const toEvent = (row: EventRow): IncidentEvent => ({
  id: row.id,
  incidentId: row.incident_id,
  at: row.at,
  kind: row.kind,
  actor: row.actor,
  detail: parseJsonObject(row.detail),
});

export const INCIDENT_COLUMNS = `id, signal, scope, severity, state, title, opened_at, updated_at, acknowledged_at, acknowledged_by,
  escalated_at, escalated_by, resolved_at, resolved_by, resolution, slack_channel, slack_ts, evidence, runbook_provider,
  owner, severity_set_by, detected_severity`;
export const EVENT_COLUMNS = 'id, incident_id, at, kind, actor, detail';
