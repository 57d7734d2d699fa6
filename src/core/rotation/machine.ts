import { AppError } from '../../errors.js';
import type { AuditOutcome } from '../audit/ports.js';
import type { Rotation, RotationOutcome } from './model.js';
import type { RotationTarget } from './target.js';
import { secretForward, secretUndoAuth0 } from './client-secret.js';
import { ROLLING_BACK, type RotationServiceDeps } from './deps.js';
import type { ResumedRotation, RotationResult, RotationService, RotationServiceRequest } from './ports.js';
import { keyCleanup, keyForward, keyUndoAuth0 } from './private-key-jwt.js';
import {
  currentValue,
  describeError,
  detailString,
  dropPending,
  iso,
  labelsOfToken,
  moveTo,
  newRun,
  verify,
  type Run,
} from './run.js';

type Done = Extract<RotationOutcome, 'succeeded' | 'failed' | 'rolled_back'>;

/**
 * The rotation state machine (docs/decisions/0003-client-secret-rotation-by-patch.md and
 * 0004-private-key-jwt-dual-credential.md). Each attempt is a persisted row whose state is written
 * before the side effect it names; `resumeUnfinished` re-reads Secrets Manager and Auth0 and
 * drives every unfinished attempt to an outcome, so that afterwards exactly one version is
 * AWSCURRENT, no AWSPENDING is left, and AWSCURRENT's value works at Auth0.
 * A failure that leaves that uncertain (a dependency down) keeps the attempt unfinished, with the
 * error recorded, for the next resume.
 */
export const createRotationService = (deps: RotationServiceDeps): RotationService => {
  /** Attempts this process is driving now: a resume pass leaves them to their driver. */
  const live = new Set<string>();
  const driving = async <T>(id: string, work: () => Promise<T>): Promise<T> => {
    live.add(id);
    try {
      return await work();
    } finally {
      live.delete(id);
    }
  };
  const audit = (run: Run, action: `rotation.${string}`, outcome: AuditOutcome, summary: string) => {
    deps.audit.append({
      at: iso(run),
      actor: run.rotation.requestedBy,
      action,
      outcome,
      summary,
      detail: {
        rotationId: run.rotation.id,
        clientId: run.target.clientId,
        strategy: run.target.strategy,
        state: run.rotation.state,
        versionId: run.token,
      },
    });
  };

  const finish = (run: Run, outcome: Done, summary: string, error?: string): RotationResult => {
    const finished = deps.rotations.finish(run.rotation.id, {
      at: iso(run),
      outcome,
      expectedState: run.rotation.state,
      ...(error === undefined ? {} : { error }),
    });
    if (finished.ok) run.rotation = finished.rotation;
    audit(run, 'rotation.finish', outcome === 'succeeded' ? 'success' : 'failure', summary);
    deps.onEvent?.({
      type: 'finished',
      rotationId: run.rotation.id,
      clientId: run.target.clientId,
      outcome,
      ...(error === undefined ? {} : { error }),
    });
    return outcome === 'succeeded'
      ? { ok: true, rotationId: run.rotation.id, summary }
      : { ok: false, rotationId: run.rotation.id, summary, rolledBack: outcome === 'rolled_back' };
  };

  /** The end check of every path: AWSCURRENT's value must work at Auth0. */
  const closeWith = async (
    run: Run,
    outcome: Done,
    summary: string,
    reason?: string,
  ): Promise<RotationResult> => {
    const refusal = await verify(run, await currentValue(run));
    if (refusal !== undefined) {
      return finish(run, 'failed', `${summary}, but AWSCURRENT is refused at Auth0 (${refusal})`, refusal);
    }
    return finish(run, outcome, summary, reason);
  };

  /** Promotion happened: finish forward (drop AWSPENDING; for keys, the grace period and cleanup). */
  const complete = async (run: Run): Promise<RotationResult> => {
    await dropPending(run);
    if (run.target.strategy === 'private_key_jwt') await keyCleanup(run);
    return closeWith(run, 'succeeded', `Rotated ${run.target.clientId}: version ${run.token} is AWSCURRENT`);
  };

  const rollback = async (run: Run, reason: string): Promise<RotationResult> => {
    // A promotion that went through (its answer lost) is finished forward, never undone.
    if ((await labelsOfToken(run)).includes('AWSCURRENT')) return complete(run);
    const fromState =
      run.rotation.state === ROLLING_BACK // Unknown: assume Auth0 may have been changed, and undo it.
        ? (detailString(run, 'rolledBackFrom') ?? 'finished')
        : run.rotation.state;
    if (run.rotation.state !== ROLLING_BACK) moveTo(run, ROLLING_BACK, { rolledBackFrom: fromState, reason });
    if (run.target.strategy === 'client_secret') await secretUndoAuth0(run, fromState);
    else await keyUndoAuth0(run, fromState);
    await dropPending(run);
    return closeWith(
      run,
      'rolled_back',
      `Rolled back the rotation of ${run.target.clientId}: ${reason}`,
      reason,
    );
  };

  const forward = async (run: Run): Promise<RotationResult> => {
    const result = run.target.strategy === 'client_secret' ? await secretForward(run) : await keyForward(run);
    if (result.kind === 'test_failed')
      return rollback(run, `Auth0 refused the new credential (${result.refusal})`);
    return complete(run);
  };

  /** Runs `step`; on a throw, tries to roll back; if that throws too, leaves the attempt for resume. */
  const guarded = async (run: Run, step: (run: Run) => Promise<RotationResult>): Promise<RotationResult> => {
    try {
      return await step(run);
    } catch (error) {
      const message = describeError(run, error);
      if (run.rotation.state !== ROLLING_BACK) {
        try {
          return await rollback(run, `the rotation failed: ${message}`);
        } catch (second) {
          return interrupted(run, `${message}; rollback: ${describeError(run, second)}`);
        }
      }
      return interrupted(run, message);
    }
  };

  const interrupted = (run: Run, error: string): RotationResult => {
    try {
      const changed = deps.rotations.update(run.rotation.id, { at: iso(run), error });
      if (changed.ok) run.rotation = changed.rotation;
      audit(
        run,
        'rotation.interrupted',
        'failure',
        `Rotation of ${run.target.clientId} interrupted: ${error}`,
      );
    } catch {
      // The store is gone too (a crash); the persisted state is what the next resume works from.
    }
    deps.onEvent?.({
      type: 'interrupted',
      rotationId: run.rotation.id,
      clientId: run.target.clientId,
      error,
    });
    return {
      ok: false,
      rotationId: run.rotation.id,
      summary: `Rotation of ${run.target.clientId} stopped in state ${run.rotation.state}; it is resumed automatically with backoff: ${error}`,
      rolledBack: false,
    };
  };

  const refuse = (
    target: RotationTarget,
    by: string,
    reason: 'already_running' | 'paused',
    summary: string,
  ): RotationResult => {
    deps.audit.append({
      at: deps.now().toISOString(),
      actor: by,
      action: 'rotation.start',
      outcome: reason === 'paused' ? 'skipped' : 'duplicate',
      summary,
      detail: { clientId: target.clientId, reason },
    });
    return { ok: false, reason, summary };
  };

  const rotate = async (target: RotationTarget, request: RotationServiceRequest): Promise<RotationResult> => {
    if (request.trigger === 'schedule' && deps.control?.isPaused(target.clientId) === true) {
      return refuse(target, request.by, 'paused', `Scheduled rotation of ${target.clientId} is paused`);
    }
    const token = deps.newToken();
    // Synchronous up to here: of two calls at once, the store lets exactly one start.
    const started = deps.rotations.start({
      id: deps.newId(),
      targetClientId: target.clientId,
      strategy: target.strategy,
      trigger: request.trigger,
      requestedBy: request.by,
      state: 'created',
      at: deps.now().toISOString(),
      clientRequestToken: token,
      detail: {
        secretId: target.secretId,
        ...(request.origin === undefined ? {} : { origin: request.origin }),
      },
    });
    if (!started.ok) {
      return refuse(
        target,
        request.by,
        'already_running',
        `A rotation of ${target.clientId} is already running (${started.existing.id}, ${started.existing.state})`,
      );
    }
    const run = newRun(deps, target, started.rotation, request.signal);
    deps.onEvent?.({
      type: 'started',
      rotationId: run.rotation.id,
      clientId: target.clientId,
      strategy: target.strategy,
    });
    audit(run, 'rotation.start', 'started', `Rotation of ${target.clientId} started (${request.trigger})`);
    return driving(run.rotation.id, () =>
      guarded(run, async (r) => {
        await generate(r);
        return forward(r);
      }),
    );
  };

  const generate = async (run: Run): Promise<void> => {
    if (run.target.strategy === 'client_secret') {
      run.pending = deps.generateSecret();
    } else {
      const pair = await deps.generateKeyPair();
      run.pending = pair.privateKeyPkcs8Pem;
      // The public half is no secret, and a resume needs it to create the credential.
      moveTo(run, 'created', { publicKeyPem: pair.publicKeyPem });
    }
    run.secrets.add(run.pending);
  };

  const targetOf = (rotation: Rotation): RotationTarget => ({
    clientId: rotation.targetClientId,
    strategy: rotation.strategy,
    secretId: typeof rotation.detail.secretId === 'string' ? rotation.detail.secretId : '',
  });

  const resumeOne = async (rotation: Rotation, signal?: AbortSignal): Promise<RotationResult> => {
    const target = targetOf(rotation);
    if (target.secretId === '') {
      throw new AppError('internal', `rotation ${rotation.id} has no secret id recorded`);
    }
    const run = newRun(deps, target, rotation, signal);
    deps.onEvent?.({
      type: 'resumed',
      rotationId: rotation.id,
      clientId: target.clientId,
      state: rotation.state,
    });
    audit(
      run,
      'rotation.resume',
      'started',
      `Resuming the rotation of ${target.clientId} from ${rotation.state}`,
    );
    return guarded(run, async (r) => {
      if (r.rotation.state === ROLLING_BACK) return rollback(r, detailString(r, 'reason') ?? 'resumed');
      const labels = await labelsOfToken(r);
      if (labels.includes('AWSCURRENT')) return complete(r);
      // Nothing stored as AWSPENDING: the process stopped before Auth0 could have been told.
      if (!labels.includes('AWSPENDING'))
        return rollback(r, 'the process stopped before the new value was stored');
      return forward(r);
    });
  };

  return {
    rotate,
    async resumeUnfinished(signal?: AbortSignal): Promise<readonly ResumedRotation[]> {
      const resumed: ResumedRotation[] = [];
      for (const rotation of deps.rotations.listUnfinished()) {
        if (live.has(rotation.id)) continue;
        let result: RotationResult;
        try {
          result = await driving(rotation.id, () => resumeOne(rotation, signal));
        } catch (error) {
          // A row this machine cannot read (no token, no secret id): report it, resume the rest.
          const message = error instanceof AppError ? error.message : 'unreadable rotation row';
          deps.onEvent?.({
            type: 'interrupted',
            rotationId: rotation.id,
            clientId: rotation.targetClientId,
            error: message,
          });
          result = { ok: false, rotationId: rotation.id, summary: message, rolledBack: false };
        }
        const now = deps.rotations.get(rotation.id) ?? rotation;
        resumed.push({ rotation: now, target: targetOf(rotation), result, stuck: now.outcome === null });
      }
      return resumed;
    },
  };
};
