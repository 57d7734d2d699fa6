/**
 * Staging-label rules, as AWS Secrets Manager applies them: each label sits on at most one version;
 * moving AWSCURRENT leaves AWSPREVIOUS on the version it left; a version with no label is
 * deprecated. UpdateSecretVersionStage's checks follow the AWS API reference; the messages
 * follow what AWS emulators copy from AWS (not checked against live AWS).
 */
import { AwsError, invalidParameter } from './aws-error.js';

export const CURRENT = 'AWSCURRENT';
const PREVIOUS = 'AWSPREVIOUS';

export interface Staged {
  readonly versionId: string;
  readonly stages: string[];
}

export const holderOf = <V extends Staged>(versions: readonly V[], label: string): V | undefined =>
  versions.find((v) => v.stages.includes(label));

const detach = (version: Staged, label: string): void => {
  const at = version.stages.indexOf(label);
  if (at >= 0) version.stages.splice(at, 1);
};

/** Puts `label` on `target`, taking it off wherever it was. */
export const attachLabel = (versions: readonly Staged[], label: string, target: Staged): void => {
  const holder = holderOf(versions, label);
  if (holder === target) return;
  if (holder !== undefined) {
    detach(holder, label);
    if (label === CURRENT) {
      const previous = holderOf(versions, PREVIOUS);
      if (previous !== undefined) detach(previous, PREVIOUS);
      holder.stages.push(PREVIOUS);
    }
  }
  target.stages.push(label);
};

/**
 * UpdateSecretVersionStage. The label may only leave the version that holds it when that version
 * is named in `removeFrom`; naming a version that does not hold it is refused too, so a blind
 * retry of a move that already happened fails (callers re-check with DescribeSecret).
 */
export const updateStage = (
  versions: readonly Staged[],
  label: string,
  moveTo: string | undefined,
  removeFrom: string | undefined,
): void => {
  if (moveTo === undefined && removeFrom === undefined) {
    throw invalidParameter('You must specify MoveToVersionId or RemoveFromVersionId.');
  }
  if (moveTo === undefined && label === CURRENT) {
    throw invalidParameter(
      "You can't remove the staging label AWSCURRENT from a version; move it to another version instead.",
    );
  }
  const target = moveTo === undefined ? undefined : versions.find((v) => v.versionId === moveTo);
  if (moveTo !== undefined && target === undefined) {
    throw new AwsError(
      'ResourceNotFoundException',
      `Secrets Manager can't find the specified secret version: ${moveTo}`,
    );
  }
  const holder = holderOf(versions, label);
  if (holder === undefined) {
    if (removeFrom !== undefined) {
      throw invalidParameter(`Version ${removeFrom} does not have staging label ${label}.`);
    }
  } else if (removeFrom !== undefined) {
    if (removeFrom !== holder.versionId) {
      throw invalidParameter(
        `When you move staging label ${label}, if you specify RemoveFromVersionId, it must be set to the version that currently has the staging label ${label}.`,
      );
    }
  } else if (holder !== target) {
    throw invalidParameter(
      `The parameter RemoveFromVersionId can't be empty. Staging label ${label} is currently attached to version ${holder.versionId}, so you must explicitly reference that version in RemoveFromVersionId.`,
    );
  }
  if (target !== undefined) attachLabel(versions, label, target);
  else if (holder !== undefined) detach(holder, label);
};
