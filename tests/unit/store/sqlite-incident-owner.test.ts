import { describe, expect, it } from 'vitest';
import { SqliteIncidentStore } from '../../../src/store/index.js';
import { at, memoryStore } from './helpers.js';

const setup = () => {
  const incidents = new SqliteIncidentStore(memoryStore());
  const opened = incidents.open({
    id: 'inc1',
    signal: 'failed_logins',
    scope: 'tenant',
    severity: 'medium',
    title: 'Failed logins',
    at: at(0),
  });
  if (!opened.created) throw new Error('expected a new incident');
  return { incidents, incident: opened.incident };
};

describe('SqliteIncidentStore: owner and manual severity', () => {
  it('opens with no owner and the detected severity recorded', () => {
    expect(setup().incident).toMatchObject({ owner: null, severitySetBy: null, detectedSeverity: 'medium' });
  });

  it('makes the acknowledger the owner, and a take-over moves it with a timeline row', () => {
    const { incidents } = setup();
    const acked = incidents.acknowledge('inc1', 'U0ALICE', at(1));
    expect(acked.ok && acked.incident.owner).toBe('U0ALICE');
    const taken = incidents.takeOver('inc1', 'U0BOB', at(2));
    expect(taken).toMatchObject({
      ok: true,
      previous: 'U0ALICE',
      incident: { owner: 'U0BOB', acknowledgedBy: 'U0ALICE' },
    });
    expect(incidents.timeline('inc1').at(-1)).toMatchObject({
      kind: 'took_over',
      actor: 'U0BOB',
      detail: { from: 'U0ALICE' },
    });
  });

  it('refuses a take-over of an open, already-owned or resolved incident, and of one that does not exist', () => {
    const { incidents } = setup();
    expect(incidents.takeOver('inc1', 'U0BOB', at(1))).toMatchObject({
      ok: false,
      reason: 'not_acknowledged',
    });
    incidents.acknowledge('inc1', 'U0BOB', at(2));
    expect(incidents.takeOver('inc1', 'U0BOB', at(3))).toMatchObject({ ok: false, reason: 'already_owner' });
    incidents.resolve('inc1', 'U0BOB', at(4), 'manual');
    expect(incidents.takeOver('inc1', 'U0ALICE', at(5))).toMatchObject({
      ok: false,
      reason: 'already_resolved',
    });
    expect(incidents.takeOver('nope', 'U0ALICE', at(5))).toEqual({ ok: false, reason: 'not_found' });
    expect(incidents.timeline('inc1').filter((e) => e.kind === 'took_over')).toEqual([]);
  });

  it('sets a severity by hand with its actor on the timeline; the same severity or a resolved incident is refused', () => {
    const { incidents } = setup();
    const set = incidents.setSeverity('inc1', 'high', 'U0OP', at(1), 'customers calling');
    expect(set).toMatchObject({
      ok: true,
      from: 'medium',
      incident: { severity: 'high', severitySetBy: 'U0OP', detectedSeverity: 'medium' },
    });
    expect(incidents.timeline('inc1').at(-1)).toMatchObject({
      kind: 'severity_changed',
      actor: 'U0OP',
      detail: { from: 'medium', to: 'high', manual: true, reason: 'customers calling' },
    });
    expect(incidents.setSeverity('inc1', 'high', 'U0OP', at(2))).toMatchObject({
      ok: false,
      reason: 'unchanged',
    });
    incidents.resolve('inc1', 'U0OP', at(3), 'manual');
    expect(incidents.setSeverity('inc1', 'low', 'U0OP', at(4))).toMatchObject({
      ok: false,
      reason: 'already_resolved',
    });
    expect(incidents.setSeverity('nope', 'low', 'U0OP', at(4))).toEqual({ ok: false, reason: 'not_found' });
  });

  it('records the detected severity an update brings', () => {
    const { incidents } = setup();
    const r = incidents.update('inc1', { at: at(1), detectedSeverity: 'high' });
    expect(r.ok && r.incident).toMatchObject({ severity: 'medium', detectedSeverity: 'high' });
  });
});
