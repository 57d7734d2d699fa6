import { AppError } from '../../errors.js';
import type { ClientCredentialProof } from '../tenant/ports.js';
import type { Rotation } from './model.js';
import type { RotationTarget } from './target.js';
import type { StagingLabel } from '../secrets/ports.js';
import type { RotationServiceDeps } from './deps.js';

/** One attempt being driven: its persisted row, and the values it must never let out. */
export interface Run {
  readonly deps: RotationServiceDeps;
  readonly target: RotationTarget;
  readonly token: string;
  readonly signal: AbortSignal;
  rotation: Rotation;
  /** The pending value once known (generated, or re-read from Secrets Manager on resume). */
  pending: string | undefined;
  /** Every secret value seen, so no message we record can quote one. */
  readonly secrets: Set<string>;
}

export const newRun = (
  deps: RotationServiceDeps,
  target: RotationTarget,
  rotation: Rotation,
  signal: AbortSignal | undefined,
): Run => {
  if (rotation.clientRequestToken === null) {
    throw new AppError('internal', `rotation ${rotation.id} has no version token`);
  }
  return {
    deps,
    target,
    token: rotation.clientRequestToken,
    signal: signal ?? new AbortController().signal,
    rotation,
    pending: undefined,
    secrets: new Set(),
  };
};

export const iso = (run: Run): string => run.deps.now().toISOString();

/** A string fact from the persisted detail (JSON read back from the store, so checked). */
export const detailString = (run: Run, key: string): string | undefined => {
  const value = run.rotation.detail[key];
  return typeof value === 'string' ? value : undefined;
};

export const detailStrings = (run: Run, key: string): string[] | undefined => {
  const value = run.rotation.detail[key];
  return Array.isArray(value) ? value.filter((x): x is string => typeof x === 'string') : undefined;
};

/** Writes the next state (compare-and-set on the current one) BEFORE its side effect runs. */
export const moveTo = (run: Run, state: string, detail: Record<string, unknown> = {}): void => {
  const changed = run.deps.rotations.update(run.rotation.id, {
    at: iso(run),
    state,
    expectedState: run.rotation.state,
    detail: { ...run.rotation.detail, ...detail },
  });
  if (!changed.ok) {
    throw new AppError('conflict', `rotation ${run.rotation.id} changed under us (${changed.reason})`);
  }
  run.rotation = changed.rotation;
  run.deps.onEvent?.({ type: 'state', rotationId: run.rotation.id, clientId: run.target.clientId, state });
};

/** An error's message with every known secret value cut out, bounded in length. */
export const describeError = (run: Run, error: unknown): string => {
  let text = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
  for (const value of run.secrets) {
    if (value.length > 0) text = text.split(value).join('[redacted]');
  }
  return text.slice(0, 300);
};

const proofOf = (run: Run, value: string): ClientCredentialProof =>
  run.target.strategy === 'client_secret'
    ? { kind: 'secret', secret: value }
    : { kind: 'private_key_jwt', pem: value };

/**
 * A real exchange, retried across Auth0's propagation window (~30 s; see
 * docs/decisions/0003-client-secret-rotation-by-patch.md).
 * Returns the last refusal, or undefined once Auth0 accepts.
 */
export const verify = async (run: Run, value: string): Promise<string | undefined> => {
  const { tenant, propagation, sleep } = run.deps;
  let refusal = 'not tried';
  for (let attempt = 1; attempt <= Math.max(1, propagation.attempts); attempt += 1) {
    const result = await tenant.exchange(run.target.clientId, proofOf(run, value), run.signal);
    if (result.ok) return undefined;
    refusal = `HTTP ${result.status} ${result.error}`;
    if (attempt < propagation.attempts) await sleep(propagation.delayMs, run.signal);
  }
  return refusal;
};

export const labelsOfToken = async (run: Run): Promise<readonly StagingLabel[]> => {
  const labels = await run.deps.secrets.describe(run.target.secretId, run.signal);
  return labels[run.token] ?? [];
};

/** The pending value, re-read from Secrets Manager when this process did not generate it. */
export const pendingValue = async (run: Run): Promise<string> => {
  if (run.pending !== undefined) return run.pending;
  const version = await run.deps.secrets.getVersion(run.target.secretId, run.token, run.signal);
  if (version === undefined) {
    throw new AppError(
      'not_found',
      `Secrets Manager holds no version ${run.token} of "${run.target.secretId}"`,
    );
  }
  run.secrets.add(version.value);
  run.pending = version.value;
  return version.value;
};

export const currentValue = async (run: Run): Promise<string> => {
  const current = await run.deps.secrets.get(run.target.secretId, 'AWSCURRENT', run.signal);
  if (current === undefined) {
    throw new AppError('not_found', `Secrets Manager has no AWSCURRENT version of "${run.target.secretId}"`);
  }
  run.secrets.add(current.value);
  return current.value;
};

/** finishSecret: AWSCURRENT to the token (AWSPREVIOUS follows), then AWSPENDING off it. Repeatable. */
export const promote = async (run: Run): Promise<void> => {
  const { secrets } = run.deps;
  const labels = await secrets.describe(run.target.secretId, run.signal);
  if (!(labels[run.token] ?? []).includes('AWSCURRENT')) {
    const from = Object.entries(labels).find(([, stages]) => stages.includes('AWSCURRENT'))?.[0];
    await secrets.moveStage(run.target.secretId, 'AWSCURRENT', run.token, from, run.signal);
  }
  await dropPending(run);
};

/** Removes AWSPENDING from the token's version if it still carries it. */
export const dropPending = async (run: Run): Promise<void> => {
  if ((await labelsOfToken(run)).includes('AWSPENDING')) {
    await run.deps.secrets.moveStage(run.target.secretId, 'AWSPENDING', undefined, run.token, run.signal);
  }
};
