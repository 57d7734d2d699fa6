import type { Rotation, RotationStore } from './model.js';

/**
 * The rotation `origin` (a runbook step's key) started for a client. Only the client's latest
 * rotation can be it: while one is unfinished no other starts, and a step's recovery runs at
 * start-up, after unfinished rotations were resumed and before anything new may start.
 */
export const rotationStartedBy = (
  rotations: Pick<RotationStore, 'latestFor'>,
  clientId: string,
  origin: string,
): Rotation | undefined => {
  const latest = rotations.latestFor(clientId);
  return latest?.detail.origin === origin ? latest : undefined;
};
