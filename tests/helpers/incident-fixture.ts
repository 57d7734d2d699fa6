import type { Incident } from '../../src/core/incidents/model.js';

/** An open incident with no card, acknowledgement or runbook yet; tests set what they are about. */
export const openIncident = (over: Partial<Incident> = {}): Incident => ({
  id: 'inc-1',
  signal: 'm2m_token_failures',
  scope: 'tenant',
  severity: 'high',
  state: 'open',
  title: 't',
  openedAt: '2026-03-01T12:00:00.000Z',
  updatedAt: '2026-03-01T12:00:00.000Z',
  acknowledgedAt: null,
  acknowledgedBy: null,
  escalatedAt: null,
  escalatedBy: null,
  resolvedAt: null,
  resolvedBy: null,
  resolution: null,
  slackChannel: null,
  slackTs: null,
  evidence: {},
  runbookProvider: null,
  owner: null,
  severitySetBy: null,
  detectedSeverity: 'high',
  ...over,
});
