import type { AuditLog } from '../audit/ports.js';
import type { EventBus } from '../events/bus.js';
import type { OperatorDirectory } from '../incidents/ports.js';
import type { RotationTrigger } from './model.js';
import type { Claim, IdempotencyClaims } from '../steps/claims.js';
import type { ResumedRotation, RotationControl, RotationResult, RotationService } from './ports.js';
import type { RotationTarget } from './target.js';

/** Tells people a rotation started and how it ended (the Slack adapter posts to the alert channel). */
export interface RotationAnnouncements {
  started(target: RotationTarget, trigger: RotationTrigger, by: string): Promise<void>;
  finished(
    target: RotationTarget,
    result: RotationResult,
    trigger: RotationTrigger,
    by: string,
  ): Promise<void>;
}

interface RotationRequest {
  readonly clientId: string;
  readonly trigger: RotationTrigger;
  /** A Slack user ID, or `system` for the schedule. */
  readonly by: string;
  readonly signal?: AbortSignal;
  /** What asked for it (a runbook step's key): recorded on the rotation for that step's recovery. */
  readonly origin?: string;
  /**
   * The Slack submission that asked for it (a confirmation modal's view id): claimed before
   * anything happens, so a redelivered submission is answered from the claim and rotates nothing.
   */
  readonly submission?: string;
}

type RotationRequestOutcome =
  | RotationResult
  | 'denied'
  | 'unknown_target'
  | { readonly ok: false; readonly kind: 'duplicate_submission'; readonly claim: Claim };

export interface RotationRequests {
  /**
   * The one way a rotation starts — the schedule, `/auth0 rotate` and the runbook step alike:
   * authorize, audit, announce, rotate, announce and audit the result, publish `rotation_finished`.
   */
  request(request: RotationRequest): Promise<RotationRequestOutcome>;
  /** Before asking for confirmation: may `by` rotate at all? A refusal is audited. */
  authorize(by: string, clientId: string, trigger: RotationTrigger): Promise<boolean>;
  /** An attempt a resume drove to its outcome: audited, announced and published as `request` does. */
  resumed(resumed: ResumedRotation): Promise<void>;
  /**
   * At start-up, after unfinished rotations were resumed: a submission a crash left claimed is
   * settled, so a later redelivery is answered with that instead of "still running".
   */
  settleInterrupted(): number;
}

export interface RotationRequestsDeps {
  readonly targets: readonly RotationTarget[];
  readonly service: Pick<RotationService, 'rotate'>;
  /** Submissions are claimed here like step clicks (docs/decisions/0001-sqlite-claims-for-exactly-once.md). */
  readonly claims: Pick<IdempotencyClaims, 'claim' | 'finish' | 'listRunning'>;
  readonly operators: Pick<OperatorDirectory, 'isOperator'>;
  readonly control: Pick<RotationControl, 'isPaused'>;
  readonly audit: Pick<AuditLog, 'append'>;
  readonly announce: RotationAnnouncements;
  readonly events: Pick<EventBus, 'publish'>;
  readonly now: () => Date;
  /** A rotation that threw instead of returning its outcome (a bug), or an announcement that failed. */
  readonly onError: (error: unknown) => void;
}

const auditOutcome = (result: RotationResult) =>
  result.ok
    ? 'success'
    : 'reason' in result
      ? result.reason === 'already_running'
        ? 'duplicate'
        : 'skipped'
      : 'failure';

const PAUSED: RotationResult = { ok: false, reason: 'paused', summary: 'rotation is paused for this client' };

export const createRotationRequests = (d: RotationRequestsDeps): RotationRequests => {
  const at = () => d.now().toISOString();
  // Audit first: it is local and must not depend on Slack being up; a failed post is only reported.
  const announce = (work: Promise<void>) => work.catch(d.onError);

  const finish = async (target: RotationTarget, result: RotationResult, r: RotationRequest) => {
    d.audit.append({
      at: at(),
      actor: r.by,
      action: 'rotation.finish',
      outcome: auditOutcome(result),
      summary: `Rotation of ${target.clientId}: ${result.summary}`.slice(0, 500),
      detail: {
        clientId: target.clientId,
        trigger: r.trigger,
        ...('rotationId' in result && result.rotationId ? { rotationId: result.rotationId } : {}),
        ...('reason' in result ? { reason: result.reason } : {}),
        ...('rolledBack' in result ? { rolledBack: result.rolledBack } : {}),
      },
    });
    if (r.submission !== undefined) {
      d.claims.finish(submissionKey(r.submission), {
        state: result.ok ? 'succeeded' : 'failed',
        summary: result.summary.slice(0, 500),
        at: at(),
      });
    }
    await announce(d.announce.finished(target, result, r.trigger, r.by));
    d.events.publish({ type: 'rotation_finished', target, result, trigger: r.trigger, by: r.by });
    return result;
  };

  const authorize = async (by: string, clientId: string, trigger: RotationTrigger) => {
    if (trigger === 'schedule' || (await d.operators.isOperator(by))) return true;
    const shownId = clientId.slice(0, 128);
    d.audit.append({
      at: at(),
      actor: by,
      action: 'rotation.request',
      outcome: 'denied',
      summary: `Denied rotation of ${shownId}: not an operator`,
      detail: { clientId: shownId, trigger },
    });
    return false;
  };

  const request = async (r: RotationRequest): Promise<RotationRequestOutcome> => {
    // People are re-checked at the moment of rotating: membership may have changed since the click.
    if (!(await authorize(r.by, r.clientId, r.trigger))) return 'denied';
    const target = d.targets.find((t) => t.clientId === r.clientId);
    if (!target) return 'unknown_target';
    if (r.submission !== undefined) {
      const claimed = d.claims.claim({
        key: submissionKey(r.submission),
        scope: SUBMISSION_SCOPE,
        actor: r.by,
        at: at(),
      });
      if (!claimed.claimed) {
        d.audit.append({
          at: at(),
          actor: r.by,
          action: 'rotation.request',
          outcome: 'duplicate',
          summary: `Repeated confirmation of the rotation of ${target.clientId}: answered from its claim`,
          detail: { clientId: target.clientId, trigger: r.trigger, state: claimed.existing.state },
        });
        return { ok: false, kind: 'duplicate_submission', claim: claimed.existing };
      }
    }
    if (r.trigger === 'schedule') {
      if (d.control.isPaused(target.clientId)) {
        d.audit.append({
          at: at(),
          actor: r.by,
          action: 'rotation.schedule',
          outcome: 'skipped',
          summary: `Scheduled rotation of ${target.clientId} skipped: rotation is paused for this client`,
          detail: { clientId: target.clientId },
        });
        return finish(target, PAUSED, r);
      }
    } else {
      d.audit.append({
        at: at(),
        actor: r.by,
        action: 'rotation.request',
        outcome: 'allowed',
        summary: `Confirmed rotation of ${target.clientId} (${r.trigger})`,
        detail: { clientId: target.clientId, trigger: r.trigger },
      });
    }
    d.audit.append({
      at: at(),
      actor: r.by,
      action: 'rotation.start',
      outcome: 'started',
      summary: `Rotation of ${target.clientId} started (${r.trigger})`,
      detail: { clientId: target.clientId, trigger: r.trigger },
    });
    d.events.publish({ type: 'rotation_started', target, trigger: r.trigger, by: r.by });
    await announce(d.announce.started(target, r.trigger, r.by));
    let result: RotationResult;
    try {
      result = await d.service.rotate(target, {
        trigger: r.trigger,
        by: r.by,
        ...(r.signal ? { signal: r.signal } : {}),
        ...(r.origin === undefined ? {} : { origin: r.origin }),
      });
    } catch (error) {
      // The service returns its expected outcomes; a throw is a bug or an abort, reported the same way.
      if (!r.signal?.aborted) d.onError(error);
      result = {
        ok: false,
        rotationId: undefined,
        summary: r.signal?.aborted ? 'stopped during shutdown' : 'the rotation failed unexpectedly',
        rolledBack: false,
      };
    }
    return finish(target, result, r);
  };

  const resumed = async (x: ResumedRotation): Promise<void> => {
    await finish(x.target, x.result, {
      clientId: x.target.clientId,
      trigger: x.rotation.trigger,
      by: x.rotation.requestedBy,
    });
  };

  const settleInterrupted = (): number => {
    let settled = 0;
    for (const claim of d.claims.listRunning()) {
      if (claim.scope !== SUBMISSION_SCOPE) continue;
      d.claims.finish(claim.key, {
        state: 'failed',
        summary:
          'interrupted by a restart; the rotation it started was resumed and announced in the alert channel',
        at: at(),
      });
      settled += 1;
    }
    return settled;
  };

  return { request, authorize, resumed, settleInterrupted };
};

const SUBMISSION_SCOPE = 'rotation_submission';
const submissionKey = (submission: string): string => `rotate-submission:${submission}`;
