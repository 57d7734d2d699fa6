import { describe, expect, it } from 'vitest';
import type { NewIncident, NewIncidentStep } from '../../../src/core/incidents/model.js';
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

const runbook: NewIncidentStep[] = [
  { stepId: 'read', kind: 'guidance', title: 'Read this', body: 'The secret was rotated.' },
  {
    stepId: 'verify',
    kind: 'action',
    title: 'Verify',
    body: 'Token exchange',
    action: 'verify_credentials',
    params: { clientId: 'abc' },
  },
  {
    stepId: 'rollback',
    kind: 'action',
    title: 'Roll back',
    body: 'Restore AWSPREVIOUS',
    action: 'rollback_secret',
    destructive: true,
  },
];

describe('SqliteIncidentStore: runbook steps', () => {
  it('stores the runbook in order and notes it on the timeline', () => {
    const { incidents } = setup();
    openOne(incidents);
    const result = incidents.setSteps('inc1', runbook, at(1));
    expect(result.ok).toBe(true);
    expect(
      incidents.steps('inc1').map((s) => [s.stepId, s.position, s.kind, s.destructive, s.state]),
    ).toEqual([
      ['read', 0, 'guidance', false, 'pending'],
      ['verify', 1, 'action', false, 'pending'],
      ['rollback', 2, 'action', true, 'pending'],
    ]);
    expect(incidents.getStep('inc1', 'verify')).toMatchObject({
      action: 'verify_credentials',
      params: { clientId: 'abc' },
      lastKey: null,
      updatedAt: at(1),
    });
    expect(incidents.getStep('inc1', 'read')).toMatchObject({ action: null, params: {} });
    expect(incidents.getStep('inc1', 'rollback')?.params).toEqual({});
    expect(incidents.timeline('inc1').at(-1)).toMatchObject({ kind: 'runbook', detail: { steps: 3 } });
  });

  it('replaces a runbook nobody has started, and refuses once a step has run', () => {
    const { incidents } = setup();
    openOne(incidents);
    incidents.setSteps('inc1', runbook, at(1));
    expect(incidents.setSteps('inc1', runbook.slice(0, 1), at(2)).ok).toBe(true);
    expect(incidents.steps('inc1')).toHaveLength(1);
    incidents.setSteps('inc1', runbook, at(3));
    incidents.setStepState('inc1', 'verify', { state: 'running', at: at(4), lastKey: 'step:inc1:verify' });
    expect(incidents.setSteps('inc1', [], at(5))).toEqual({ ok: false, reason: 'steps_started' });
    expect(incidents.setSteps('nope', [], at(5))).toEqual({ ok: false, reason: 'not_found' });
  });

  it('refuses duplicate or malformed step ids without touching the stored runbook', () => {
    const { incidents } = setup();
    openOne(incidents);
    incidents.setSteps('inc1', runbook, at(1));
    const duplicate = [runbook[0]!, runbook[0]!];
    expect(() => incidents.setSteps('inc1', duplicate, at(2))).toThrow(
      expect.objectContaining({ code: 'invalid_input' }),
    );
    const colon: NewIncidentStep[] = [{ stepId: 'a:b', kind: 'guidance', title: 't', body: 'b' }];
    expect(() => incidents.setSteps('inc1', colon, at(2))).toThrow(/runbook step "a:b" was refused/);
    expect(incidents.steps('inc1')).toHaveLength(3);
  });

  it('refuses step params that are not JSON-serialisable', () => {
    const { incidents } = setup();
    openOne(incidents);
    const bad: NewIncidentStep[] = [
      { stepId: 's', kind: 'action', title: 't', body: 'b', action: 'a', params: { n: 1n } },
    ];
    expect(() => incidents.setSteps('inc1', bad, at(1))).toThrow('step.params is not JSON-serialisable');
    expect(incidents.steps('inc1')).toEqual([]);
  });

  it('moves a step only from the expected states', () => {
    const { incidents } = setup();
    openOne(incidents);
    incidents.setSteps('inc1', runbook, at(1));
    const start = {
      state: 'running',
      at: at(2),
      lastKey: 'step:inc1:verify',
      from: ['pending', 'failed'],
    } as const;
    expect(incidents.setStepState('inc1', 'verify', start)).toMatchObject({
      ok: true,
      step: { state: 'running', lastKey: 'step:inc1:verify', updatedAt: at(2) },
    });
    expect(incidents.setStepState('inc1', 'verify', start)).toMatchObject({
      ok: false,
      reason: 'invalid_state',
      step: { state: 'running' },
    });
    expect(incidents.setStepState('inc1', 'verify', { state: 'failed', at: at(3) })).toMatchObject({
      ok: true,
      step: { state: 'failed', lastKey: 'step:inc1:verify' },
    });
    expect(incidents.setStepState('inc1', 'nope', { state: 'failed', at: at(3) })).toEqual({
      ok: false,
      reason: 'not_found',
    });
  });
});
