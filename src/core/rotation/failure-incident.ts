import type { Decision } from '../detection/model.js';
import type { Rotation } from './model.js';
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

/** Which side holds which credential while a client_secret rotation is stuck in `state`. */
const secretSides = (rotation: Rotation, secretId: string): string => {
  const version = rotation.clientRequestToken ?? 'unknown';
  const pending = `the new secret (version ${version} of "${secretId}", staged AWSPENDING)`;
  const recorded = rotation.detail.currentVersionId;
  const current = `the old secret (AWSCURRENT of "${secretId}"${typeof recorded === 'string' ? `, version ${recorded}` : ''})`;
  switch (rotation.state) {
    case 'created':
      return `Auth0 holds ${current}; Secrets Manager may hold ${pending}, which Auth0 was never given. Services keep working.`;
    case 'tested':
    case 'finished':
      return `Auth0 holds ${pending}; Secrets Manager still serves ${current}, which Auth0 refuses once its ~30 s propagation window is over: services reading AWSCURRENT are locked out.`;
    default:
      return `Auth0 may hold ${pending} or still ${current}: the change was sent and its answer was not recorded. Services reading AWSCURRENT may be locked out.`;
  }
};

const keySides = (rotation: Rotation, secretId: string): string =>
  `In state ${rotation.state}, Auth0 may have the new key credential (named rotation-${rotation.clientRequestToken ?? 'unknown'}) added or enabled while AWSCURRENT of "${secretId}" holds the old private key; the old credential stays enabled until the rotation finishes, so services keep working.`;

/**
 * A rotation that a resume could not drive to an outcome (a dependency is down): one high incident
 * that says exactly which side holds which credential and how to finish or roll back by hand. The
 * bot keeps retrying with backoff; its success or rollback then resolves or updates the incident.
 */
export const stuckRotationDecisions = (target: RotationTarget, rotation: Rotation, at: Date): Decision[] => {
  const iso = at.toISOString();
  const version = rotation.clientRequestToken ?? '<version>';
  const sides =
    target.strategy === 'client_secret'
      ? secretSides(rotation, target.secretId)
      : keySides(rotation, target.secretId);
  const steps =
    target.strategy === 'client_secret'
      ? `To finish: make version ${version} AWSCURRENT (aws secretsmanager update-secret-version-stage --secret-id ${target.secretId} --version-stage AWSCURRENT --move-to-version-id ${version} --remove-from-version-id ${typeof rotation.detail.currentVersionId === 'string' ? rotation.detail.currentVersionId : '<AWSCURRENT version>'}) and PATCH the same value as the client's client_secret; then remove AWSPENDING. To roll back: PATCH AWSCURRENT's value as the client's client_secret, then remove AWSPENDING from ${version}.`
      : `To finish: make version ${version} AWSCURRENT, then leave only the new credential enabled. To roll back: disable and delete credential rotation-${version}, then remove AWSPENDING from ${version}.`;
  return [
    {
      kind: 'open',
      signal: 'rotation_failed',
      scope: rotationIncidentScope(target.clientId),
      severity: 'high',
      title: `Rotation of ${target.clientId} is stuck in state ${rotation.state}`,
      evidence: {
        window: { from: rotation.startedAt, to: iso, minutes: 0 },
        failures: 1,
        rate: 0,
        suspects: [
          {
            at: rotation.startedAt,
            kind: 'own_rotation',
            who: 'auth0-oncall',
            what: `rotation ${rotation.id} of ${target.clientId}`,
            expected: true,
          },
        ],
        summary: `${sides} The bot retries with backoff (last error: ${rotation.error ?? 'none recorded'}). ${steps}`,
      },
    },
  ];
};
