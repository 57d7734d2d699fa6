import type { ActionResult } from '../actions/action.js';
import { AppError, toAppError } from '../../errors.js';
import type { Claim } from './claims.js';
import type { IncidentStep } from '../incidents/model.js';
import { evidenceOf } from '../incidents/evidence-codec.js';
import { parseStepKey, previousKey, type StepKey } from './step-key.js';
import type { ReadyStep, StepRunReport, StepRunnerDeps } from './ports.js';

const SUMMARY_MAX = 500;
const DEFAULT_RUN_TIMEOUT_MS = 10 * 60_000;

export const bounded = (text: string, max = SUMMARY_MAX): string =>
  text.length <= max ? text : `${text.slice(0, max - 1)}…`;

type Mode = 'run' | 'recover';

/**
 * The after-the-ack half of a step: run (or, after a crash, recover) the bound action, then record
 * the outcome everywhere it belongs — the claim, the step, the timeline, the audit log, the metric,
 * one thread line and the card. Runs are tracked so start-up recovery skips live ones and shutdown
 * can wait for them.
 */
export const createStepExecution = (deps: StepRunnerDeps) => {
  const pending = new Set<Promise<unknown>>();
  const runningKeys = new Set<string>();
  const report = (what: string, error: unknown) => deps.onError?.(what, error);

  const track = (what: string, work: Promise<unknown>) => {
    const done = deps.inflight?.begin();
    const tracked = work
      .catch((error: unknown) => {
        report(what, error);
      })
      .finally(() => {
        pending.delete(tracked);
        done?.();
      });
    pending.add(tracked);
  };

  /** The plan a run records on its claim before its effects; recovery reads it back. */
  const planOf = (key: string, recorded: unknown) => ({
    recorded,
    record: (plan: Readonly<Record<string, unknown>>) => {
      if (!deps.claims.note(key, { plan })) {
        throw new AppError('conflict', `step ${key} is no longer running: its plan was not recorded`);
      }
    },
  });

  const invoke = async (
    ready: ReadyStep,
    actor: string,
    mode: Mode,
    recorded: unknown,
  ): Promise<ActionResult> => {
    const controller = new AbortController();
    const timer = setTimeout(() => {
      controller.abort(new AppError('timeout', `step ${ready.key.key} ran past its time limit`));
    }, deps.runTimeoutMs ?? DEFAULT_RUN_TIMEOUT_MS);
    timer.unref();
    const ctx = {
      incident: ready.incident,
      evidence: evidenceOf(ready.incident.evidence, ready.incident.openedAt),
      actor,
      now: deps.now(),
      signal: controller.signal,
      key: ready.key.key,
      plan: planOf(ready.key.key, recorded),
    };
    try {
      return await (mode === 'run' ? ready.action.run(ctx) : ready.action.recover(ctx));
    } catch (error) {
      // A throw is a failed run, not a crash: the step is marked failed and can be retried.
      const verb = mode === 'run' ? 'failed' : 'could not be recovered';
      return { outcome: 'failure', summary: `${verb}: ${toAppError(error).message}` };
    } finally {
      clearTimeout(timer);
    }
  };

  const execute = async (ready: ReadyStep, actor: string, mode: Mode, recorded?: unknown) => {
    const startedAt = deps.now();
    const result = await invoke(ready, actor, mode, recorded);
    await finish(ready.key, ready.step.title, actor, mode === 'recover', {
      outcome: result.outcome,
      summary: bounded(result.summary),
      durationMs: Math.max(0, deps.now().getTime() - startedAt.getTime()),
      detail: { action: ready.actionName, ...(result.detail ? { result: result.detail } : {}) },
    });
  };

  const finish = async (
    key: StepKey,
    title: string,
    actor: string,
    recovered: boolean,
    result: Pick<StepRunReport, 'outcome' | 'summary' | 'durationMs'> & { detail: Record<string, unknown> },
  ) => {
    const at = deps.now().toISOString();
    const state = result.outcome === 'success' ? 'succeeded' : 'failed';
    const { incidentId, stepId } = key;
    const line: StepRunReport = { incidentId, stepId, key: key.key, title, actor, at, recovered, ...result };
    // The claim, the step, the timeline, the audit row and the thread line commit together: a
    // crash after this leaves a queued line the outbox delivers, never a result nobody was told.
    deps.unitOfWork.transaction(() => {
      deps.claims.finish(key.key, {
        state,
        summary: result.summary,
        result: { outcome: result.outcome, durationMs: result.durationMs, ...result.detail },
        at,
      });
      const step = deps.incidents.getStep(incidentId, stepId);
      const from = step ? settleFrom(step, key) : undefined;
      if (from)
        deps.incidents.setStepState(incidentId, stepId, { state, at, lastKey: key.key, from: [from] });
      deps.incidents.appendEvent(incidentId, {
        at,
        kind: state === 'succeeded' ? 'step_succeeded' : 'step_failed',
        actor,
        detail: { stepId, key: key.key, summary: result.summary, durationMs: result.durationMs, recovered },
      });
      deps.audit.append({
        at,
        actor,
        action: recovered ? 'step.recover' : 'step.run',
        outcome: result.outcome,
        summary: result.summary,
        incidentId,
        stepId,
        idempotencyKey: key.key,
        durationMs: result.durationMs,
        detail: { ...result.detail, recovered },
      });
      const incident = deps.incidents.get(incidentId);
      if (incident?.slackChannel && incident.slackTs) {
        deps.outbox.enqueue(
          {
            key: `step:${key.key}`,
            channel: incident.slackChannel,
            threadTs: incident.slackTs,
            message: deps.render.result(line, incident),
          },
          at,
        );
      }
    });
    deps.metrics?.stepRun(result.outcome);
    await deps.service.serialize(async (cards) => {
      await cards.deliver();
      await cards.refreshCard(incidentId);
    });
  };

  return {
    /** Starts the run in the background: the caller (the click) returns before it begins. */
    start(ready: ReadyStep, actor: string) {
      runningKeys.add(ready.key.key);
      track(
        `step ${ready.key.key}`,
        // The next turn of the event loop: the click's own reply goes out before the run begins.
        new Promise<void>((resolve) => setImmediate(resolve))
          .then(() => execute(ready, actor, 'run'))
          .finally(() => runningKeys.delete(ready.key.key)),
      );
      track(`card ${ready.key.incidentId}`, deps.service.refreshCard(ready.key.incidentId));
    },
    isRunning: (key: string) => runningKeys.has(key),
    /** Settles a claim a crash left running: `recover` inspects what really happened. */
    async recover(claim: Claim, resolve: (key: StepKey) => ReadyStep | string) {
      const parsed = parseStepKey(claim.key);
      if (!parsed.ok) {
        const at = deps.now().toISOString();
        const summary = `could not be recovered: not a step key (${parsed.why})`;
        deps.claims.finish(claim.key, { state: 'failed', summary, at });
        deps.audit.append({
          at,
          actor: claim.claimedBy,
          action: 'step.recover',
          outcome: 'failure',
          summary,
          detail: { actionId: claim.key.slice(0, 300), recovered: true },
        });
        return;
      }
      const ready = resolve(parsed.step);
      if (typeof ready === 'string') {
        const title = deps.incidents.getStep(parsed.step.incidentId, parsed.step.stepId)?.title ?? '';
        const summary = bounded(`could not be recovered: ${ready}`);
        await finish(parsed.step, title, claim.claimedBy, true, {
          outcome: 'failure',
          summary,
          durationMs: 0,
          detail: {},
        });
        return;
      }
      await execute(ready, claim.claimedBy, 'recover', recordedPlan(claim.result));
    },
    async idle() {
      while (pending.size > 0) await Promise.allSettled([...pending]);
    },
  };
};

/** The plan an interrupted run left on its claim (`{ plan }`, written by `record`). */
const recordedPlan = (result: unknown): unknown =>
  typeof result === 'object' && result !== null && 'plan' in result ? result.plan : undefined;

/**
 * Which state the step may be settled from: `running` under this key, or — when a crash came
 * between the claim and the move to running — still where this key found it. Anything else means
 * the step has moved on, and an old run must not overwrite it.
 */
const settleFrom = (step: IncidentStep, key: StepKey): IncidentStep['state'] | undefined => {
  if (step.lastKey === key.key) return step.state === 'running' ? 'running' : undefined;
  const previous = previousKey(key);
  if (previous === undefined)
    return step.state === 'pending' && step.lastKey === null ? 'pending' : undefined;
  const settled = step.state === 'failed' || step.state === 'succeeded';
  return settled && step.lastKey === previous ? step.state : undefined;
};
