import { describe, expect, it } from 'vitest';
import { rotationIncidentDecisions } from '../../../../src/core/rotation/failure-incident.js';
import type { RotationTarget } from '../../../../src/core/rotation/target.js';

const TARGET: RotationTarget = {
  clientId: 'Zx81billing',
  strategy: 'client_secret',
  secretId: 'prod/billing',
};
const AT = new Date('2026-03-02T03:00:00.000Z');

describe('the incident a rotation outcome calls for', () => {
  it('opens a high incident for a failure that could not be rolled back, naming the bot’s own rotation as expected', () => {
    const [d] = rotationIncidentDecisions(
      TARGET,
      { ok: false, rotationId: 'r1', summary: 'verify failed; rollback failed', rolledBack: false },
      AT,
    );
    expect(d).toMatchObject({
      kind: 'open',
      signal: 'rotation_failed',
      scope: 'client:Zx81billing/rotation',
      severity: 'high',
      title: 'Rotation of Zx81billing failed',
    });
    expect(d?.kind === 'open' && d.evidence.suspects).toEqual([
      expect.objectContaining({ kind: 'own_rotation', expected: true, at: AT.toISOString() }),
    ]);
    expect(d?.kind === 'open' && d.evidence.summary).toBe('verify failed; rollback failed');
  });

  it('opens a medium incident when the failure was rolled back', () => {
    const [d] = rotationIncidentDecisions(
      TARGET,
      { ok: false, rotationId: 'r1', summary: 'verify failed', rolledBack: true },
      AT,
    );
    expect(d).toMatchObject({
      kind: 'open',
      severity: 'medium',
      title: 'Rotation of Zx81billing failed and was rolled back',
    });
  });

  it('resolves the client’s rotation incident when a later rotation succeeds', () => {
    expect(rotationIncidentDecisions(TARGET, { ok: true, rotationId: 'r2', summary: 'rotated' }, AT)).toEqual(
      [
        {
          kind: 'recover',
          signal: 'rotation_failed',
          scope: 'client:Zx81billing/rotation',
          reason: 'a later rotation succeeded',
        },
      ],
    );
  });

  it('changes nothing for a rotation that did not start', () => {
    for (const reason of ['paused', 'already_running', 'unknown_target'] as const)
      expect(rotationIncidentDecisions(TARGET, { ok: false, reason, summary: 'not now' }, AT)).toEqual([]);
  });
});
