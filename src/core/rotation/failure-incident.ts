import type { Decision } from '../detection/model.js';
import type { RotationResult } from './ports.js';
import type { RotationTarget } from './target.js';

/** One incident per rotated client, whatever triggered the rotation. */
const rotationIncidentScope = (clientId: string): string => `client:${clientId}/rotation`;

/**
 * What a rotation's outcome means for incidents: a failure opens one (high when it could not be
 * rolled back: both sides may disagree and services may be locked out; medium when the rollback
 * put things back), a later success resolves it, and a rotation that did not start (paused,
 * already running) changes nothing. The bot's own rotation is named as the expected suspect.
 */
export const rotationIncidentDecisions = (
  target: RotationTarget,
  result: RotationResult,
  at: Date,
): Decision[] => {
  const scope = rotationIncidentScope(target.clientId);
  if (result.ok)
    return [{ kind: 'recover', signal: 'rotation_failed', scope, reason: 'a later rotation succeeded' }];
  if ('reason' in result) return [];
  const iso = at.toISOString();
  return [
    {
      kind: 'open',
      signal: 'rotation_failed',
      scope,
      severity: result.rolledBack ? 'medium' : 'high',
      title: `Rotation of ${target.clientId} failed${result.rolledBack ? ' and was rolled back' : ''}`,
      evidence: {
        window: { from: iso, to: iso, minutes: 0 },
        failures: 1,
        rate: 0,
        suspects: [
          {
            at: iso,
            kind: 'own_rotation',
            who: 'auth0-oncall',
            what: `rotation of ${target.clientId}`,
            expected: true,
          },
        ],
        summary: result.summary,
      },
    },
  ];
};
