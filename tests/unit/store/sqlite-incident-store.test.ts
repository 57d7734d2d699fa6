import { describe, expect, it } from 'vitest';
import type { NewIncident } from '../../../src/core/incidents/model.js';
import { AppError } from '../../../src/errors.js';
import { SqliteIncidentStore } from '../../../src/store/index.js';
import { at, memoryStore } from './helpers.js';

const setup = () => {
  const store = memoryStore();
  return { store, incidents: new SqliteIncidentStore(store) };
};

const newIncident = (overrides: Partial<NewIncident> = {}): NewIncident => ({
  id: 'inc1',
  signal: 'm2m_token_failures',
  scope: 'client:abc',
  severity: 'high',
  title: 'Token exchange failing for billing-worker',
  at: at(0),
  evidence: { failures: 42 },
  ...overrides,
});

const openOne = (incidents: SqliteIncidentStore, overrides: Partial<NewIncident> = {}) => {
  const result = incidents.open(newIncident(overrides));
  if (!result.created) throw new Error('expected a new incident');
  return result.incident;
};

describe('SqliteIncidentStore: opening', () => {
  it('opens an incident and writes the opening to its timeline', () => {
    const { incidents } = setup();
    const incident = openOne(incidents, { runbookProvider: 'builtin' });
    expect(incident).toMatchObject({
      id: 'inc1',
      state: 'open',
      severity: 'high',
      openedAt: at(0),
      updatedAt: at(0),
      acknowledgedAt: null,
      resolution: null,
      slackTs: null,
      evidence: { failures: 42 },
      runbookProvider: 'builtin',
    });
    expect(incidents.timeline('inc1')).toEqual([
      {
        id: 1,
        incidentId: 'inc1',
        at: at(0),
        kind: 'opened',
        actor: 'system',
        detail: { signal: 'm2m_token_failures', scope: 'client:abc', severity: 'high' },
      },
    ]);
  });

  it('keeps one open incident per signal and scope', () => {
    const { incidents } = setup();
    openOne(incidents);
    const again = incidents.open(newIncident({ id: 'inc2', at: at(5) }));
    expect(again).toMatchObject({ created: false, incident: { id: 'inc1' } });
    expect(incidents.get('inc2')).toBeNull();
    expect(openOne(incidents, { id: 'inc3', scope: 'client:other' }).id).toBe('inc3');
    expect(incidents.listOpen().map((i) => i.id)).toEqual(['inc1', 'inc3']);
  });

  it('counts an acknowledged incident as open for its signal and scope', () => {
    const { incidents } = setup();
    openOne(incidents);
    incidents.acknowledge('inc1', 'U1', at(1));
    expect(incidents.open(newIncident({ id: 'inc2' }))).toMatchObject({
      created: false,
      incident: { id: 'inc1' },
    });
  });

  it('opens a new incident once the previous one is resolved', () => {
    const { incidents } = setup();
    openOne(incidents);
    incidents.resolve('inc1', 'U1', at(1), 'manual');
    expect(incidents.findOpen('m2m_token_failures', 'client:abc')).toBeNull();
    expect(openOne(incidents, { id: 'inc2', at: at(2) }).id).toBe('inc2');
    expect(incidents.findOpen('m2m_token_failures', 'client:abc')?.id).toBe('inc2');
  });

  it('is backed by a unique index, not only by code', () => {
    const { store, incidents } = setup();
    openOne(incidents);
    const sneak = () =>
      store.db
        .prepare(
          "INSERT INTO incidents (id, signal, scope, severity, title, opened_at, updated_at) VALUES ('x', ?, ?, 'low', 't', ?, ?)",
        )
        .run('m2m_token_failures', 'client:abc', at(1), at(1));
    expect(sneak).toThrow(/UNIQUE/);
  });

  it('refuses a reused id as a conflict and an id with a colon as invalid', () => {
    const { incidents } = setup();
    openOne(incidents);
    incidents.resolve('inc1', 'system', at(1), 'auto');
    expect(() => incidents.open(newIncident())).toThrow(expect.objectContaining({ code: 'conflict' }));
    expect(() => incidents.open(newIncident({ id: 'a:b', scope: 'other' }))).toThrow(/CHECK/);
  });

  it('lists incidents resolved since a time', () => {
    const { incidents } = setup();
    openOne(incidents);
    openOne(incidents, { id: 'inc2', scope: 'b' });
    openOne(incidents, { id: 'inc3', scope: 'c' });
    incidents.resolve('inc1', 'U1', at(10), 'manual');
    incidents.resolve('inc2', 'system', at(30), 'auto');
    expect(incidents.resolvedSince(at(20)).map((i) => i.id)).toEqual(['inc2']);
  });
});

describe('SqliteIncidentStore: transitions', () => {
  it('acknowledges an open incident once, with a timeline row', () => {
    const { incidents } = setup();
    openOne(incidents);
    expect(incidents.acknowledge('inc1', 'U1', at(3))).toMatchObject({
      ok: true,
      incident: { state: 'acknowledged', acknowledgedBy: 'U1', acknowledgedAt: at(3), updatedAt: at(3) },
    });
    expect(incidents.acknowledge('inc1', 'U2', at(4))).toMatchObject({
      ok: false,
      reason: 'already_acknowledged',
      incident: { acknowledgedBy: 'U1' },
    });
    expect(incidents.timeline('inc1').map((e) => [e.kind, e.actor])).toEqual([
      ['opened', 'system'],
      ['acknowledged', 'U1'],
    ]);
  });

  it('escalates once, whether open or acknowledged, and never after resolution', () => {
    const { incidents } = setup();
    openOne(incidents);
    openOne(incidents, { id: 'inc2', scope: 'b' });
    incidents.acknowledge('inc1', 'U1', at(1));
    expect(incidents.escalate('inc1', 'U2', at(2))).toMatchObject({
      ok: true,
      incident: { escalatedBy: 'U2', state: 'acknowledged' },
    });
    expect(incidents.escalate('inc1', 'U3', at(3))).toMatchObject({ ok: false, reason: 'already_escalated' });
    incidents.resolve('inc2', 'U1', at(1), 'manual');
    expect(incidents.escalate('inc2', 'U3', at(3))).toMatchObject({ ok: false, reason: 'already_resolved' });
  });

  it('resolves once and refuses every transition afterwards', () => {
    const { incidents } = setup();
    openOne(incidents);
    expect(incidents.resolve('inc1', 'system', at(9), 'auto')).toMatchObject({
      ok: true,
      incident: { state: 'resolved', resolvedBy: 'system', resolvedAt: at(9), resolution: 'auto' },
    });
    expect(incidents.resolve('inc1', 'U1', at(10), 'manual')).toMatchObject({
      ok: false,
      reason: 'already_resolved',
    });
    expect(incidents.acknowledge('inc1', 'U1', at(10))).toMatchObject({
      ok: false,
      reason: 'already_resolved',
    });
    expect(incidents.timeline('inc1').at(-1)).toMatchObject({
      kind: 'resolved',
      actor: 'system',
      detail: { resolution: 'auto' },
    });
    expect(incidents.listOpen()).toEqual([]);
  });

  it('reports an unknown incident as not_found', () => {
    const { incidents } = setup();
    expect(incidents.acknowledge('nope', 'U1', at(0))).toEqual({ ok: false, reason: 'not_found' });
    expect(incidents.escalate('nope', 'U1', at(0))).toEqual({ ok: false, reason: 'not_found' });
    expect(incidents.resolve('nope', 'U1', at(0), 'manual')).toEqual({ ok: false, reason: 'not_found' });
    expect(incidents.update('nope', { at: at(0), title: 'x' })).toEqual({ ok: false, reason: 'not_found' });
    expect(incidents.appendEvent('nope', { at: at(0), kind: 'note', actor: 'U1' })).toBeNull();
  });
});

describe('SqliteIncidentStore: updates and timeline', () => {
  it('updates only the given fields and records a severity change', () => {
    const { incidents } = setup();
    openOne(incidents);
    const result = incidents.update('inc1', { at: at(1), slackChannel: 'C1', slackTs: '1700000000.000100' });
    expect(result).toMatchObject({
      ok: true,
      incident: {
        slackChannel: 'C1',
        slackTs: '1700000000.000100',
        severity: 'high',
        evidence: { failures: 42 },
      },
    });
    incidents.update('inc1', {
      at: at(2),
      severity: 'medium',
      evidence: { failures: 7 },
      title: 'calmer',
      runbookProvider: 'bedrock',
    });
    expect(incidents.get('inc1')).toMatchObject({
      severity: 'medium',
      evidence: { failures: 7 },
      title: 'calmer',
      runbookProvider: 'bedrock',
      slackChannel: 'C1',
      updatedAt: at(2),
    });
    expect(incidents.timeline('inc1').map((e) => e.kind)).toEqual(['opened', 'severity_changed']);
    expect(incidents.timeline('inc1')[1]?.detail).toEqual({ from: 'high', to: 'medium' });
  });

  it('appends free events to the timeline in time order', () => {
    const { incidents } = setup();
    openOne(incidents);
    incidents.appendEvent('inc1', { at: at(5), kind: 'note', actor: 'U1', detail: { text: 'looking' } });
    const event = incidents.appendEvent('inc1', { at: at(2), kind: 'evidence', actor: 'system' });
    expect(event).toMatchObject({ kind: 'evidence', detail: {} });
    expect(incidents.timeline('inc1').map((e) => e.kind)).toEqual(['opened', 'evidence', 'note']);
  });

  it('refuses evidence that is not JSON-serialisable', () => {
    const { incidents } = setup();
    expect(() => incidents.open(newIncident({ evidence: { n: 1n } }))).toThrow(AppError);
    expect(incidents.get('inc1')).toBeNull();
  });
});
