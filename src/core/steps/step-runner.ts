import type { AuditAction, AuditOutcome } from '../audit/ports.js';
import type { Claim } from './claims.js';
import type { Incident, IncidentStep } from '../incidents/model.js';
import { evidenceOf } from '../incidents/evidence-codec.js';
import { isActionName } from '../runbooks/model.js';
import { bounded, createStepExecution } from './step-execution.js';
import { parseStepKey, previousKey, type StepKey } from './step-key.js';
import type {
  ClickOutcome,
  ConfirmOutcome,
  ReadyStep,
  Refusal,
  StepRunOutcome,
  StepRunnerDeps,
} from './ports.js';

export type * from './ports.js';

export interface StepRunner {
  /** A Run step / Retry click. Call it after the ack: a `started` run continues in the background. */
  click(input: { readonly actionId: string; readonly user: string }): Promise<ClickOutcome>;
  /** The confirmation modal was submitted: every check again, then the run. */
  confirm(key: string, user: string): Promise<ConfirmOutcome>;
  /** The confirmation modal was closed: nothing runs; the choice is audited. */
  cancel(key: string, user: string): Promise<void>;
  /** At start-up: settles every step claim a crash left running, through the action's `recover`. */
  recoverRunning(): Promise<number>;
  /** Resolves once no run (nor its thread line and card update) is in flight. */
  idle(): Promise<void>;
}

type Via = 'step.click' | 'step.confirm';
type Prepared =
  { readonly ok: true; readonly ready: ReadyStep } | { readonly ok: false; readonly refusal: Refusal };

const refusalMetric: Readonly<Record<Refusal['kind'], StepRunOutcome>> = {
  duplicate: 'duplicate',
  denied: 'denied',
  invalid: 'invalid',
  not_found: 'invalid',
};

/**
 * Runs runbook steps only on a click. The button's action_id is the idempotency key and the claim
 * on it is taken atomically in SQLite before anything runs, so concurrent clicks, double clicks,
 * redeliveries and a restart in the middle give one execution
 * (docs/decisions/0001-sqlite-claims-for-exactly-once.md). What runs is read from the
 * server-side step record, never from the button; every click is audited.
 */
export const createStepRunner = (deps: StepRunnerDeps): StepRunner => {
  const execution = createStepExecution(deps);
  const at = () => deps.now().toISOString();

  const audit = (via: AuditAction, user: string, outcome: AuditOutcome, summary: string, key: Key) =>
    deps.audit.append({
      at: at(),
      actor: user,
      action: via,
      outcome,
      summary: bounded(summary),
      ...keyFields(key),
    });

  /** Every refusal is audited and counted on its way back to the clicker. */
  const refuse = (via: Via, user: string, key: Key, refusal: Refusal): Refusal => {
    const [outcome, summary] = describe(refusal);
    audit(via, user, outcome, summary, key);
    deps.metrics?.stepRun(refusalMetric[refusal.kind]);
    return refusal;
  };

  const isOperator = async (user: string) => {
    try {
      return await deps.operators.isOperator(user);
    } catch (error) {
      deps.onError?.('operator lookup', error);
      return false; // fail closed
    }
  };

  /**
   * Authorization first (parsing alone reads nothing), then everything from the server-side
   * record: the step, its claim, its state and the catalog's own check of its parameters.
   */
  const prepare = async (raw: string, user: string, via: Via): Promise<Prepared> => {
    const parsed = parseStepKey(raw);
    const key: Key = parsed.ok ? parsed.step : { raw };
    const no = (refusal: Refusal): Prepared => ({ ok: false, refusal: refuse(via, user, key, refusal) });
    if (!(await isOperator(user)))
      return no({ kind: 'denied', why: 'Only operators can run runbook steps.' });
    if (!parsed.ok) return no({ kind: 'invalid', why: 'That button is not valid.' });
    const incident = deps.incidents.get(parsed.step.incidentId);
    const step = incident ? deps.incidents.getStep(incident.id, parsed.step.stepId) : null;
    if (!incident || !step) return no({ kind: 'not_found' });
    const existing = deps.claims.get(parsed.step.key);
    if (existing) return no(duplicate(existing));
    const problem = refusalFor(parsed.step, incident, step);
    if (problem) return no(problem);
    const bound = bind(parsed.step, incident, step);
    if (typeof bound === 'string') return no({ kind: 'invalid', why: bound });
    if (bound.destructive && step.state === 'succeeded')
      return no({
        kind: 'invalid',
        why: 'That step changed the tenant and succeeded: it does not run again.',
      });
    const why = await checked(bound);
    if (why !== undefined) return no({ kind: 'invalid', why });
    return { ok: true, ready: bound };
  };

  const bind = (key: StepKey, incident: Incident, step: IncidentStep): ReadyStep | string => {
    const entry =
      step.action !== null && isActionName(step.action) ? deps.catalog.get(step.action) : undefined;
    if (!entry) return `This step's action (${step.action ?? 'none'}) is not in the catalog.`;
    const bound = entry.bind(step.params);
    if (!bound.ok) return `This step's parameters are not valid: ${bound.problem}`;
    const destructive = step.destructive || entry.destructive;
    return {
      key,
      incident,
      step,
      action: bound.action,
      actionName: entry.name,
      destructive,
      from: step.state,
    };
  };

  const checked = async (ready: ReadyStep): Promise<string | undefined> => {
    const { incident } = ready;
    try {
      const problem = await ready.action.check({
        incident,
        evidence: evidenceOf(incident.evidence, incident.openedAt),
        now: deps.now(),
      });
      return problem === undefined ? undefined : `This step cannot run: ${problem}`;
    } catch (error) {
      deps.onError?.(`check ${ready.key.key}`, error);
      return 'The step could not be checked; try again.';
    }
  };

  /** Recovery binds what the record says; the clicker was authorized when the claim was taken. */
  const forRecovery = (key: StepKey): ReadyStep | string => {
    const incident = deps.incidents.get(key.incidentId);
    const step = incident ? deps.incidents.getStep(key.incidentId, key.stepId) : null;
    if (!incident || !step) return 'the step no longer exists';
    return bind(key, incident, step);
  };

  /** Claims the key, moves the step to running and starts the run after the caller returns. */
  const start = (ready: ReadyStep, user: string, via: Via): ConfirmOutcome => {
    const { key, step } = ready;
    const claim = deps.claims.claim({ key: key.key, scope: 'step', actor: user, at: at() });
    if (!claim.claimed) return refuse(via, user, key, duplicate(claim.existing));
    const moved = deps.incidents.setStepState(key.incidentId, key.stepId, {
      state: 'running',
      at: at(),
      lastKey: key.key,
      from: [ready.from],
    });
    if (!moved.ok) {
      // The runbook changed between the checks and the claim: release nothing, run nothing.
      const summary = 'the step changed before it could run';
      deps.claims.finish(key.key, { state: 'failed', summary, at: at() });
      return refuse(via, user, key, { kind: 'invalid', why: `Not run: ${summary}.` });
    }
    deps.incidents.appendEvent(key.incidentId, {
      at: at(),
      kind: 'step_started',
      actor: user,
      detail: { stepId: key.stepId, key: key.key, action: ready.actionName },
    });
    const confirmed = via === 'step.confirm';
    audit(
      via,
      user,
      confirmed ? 'confirmed' : 'started',
      `${confirmed ? 'confirmed' : 'started'}: ${step.title}`,
      key,
    );
    execution.start(ready, user);
    return { kind: 'started', key: key.key, title: step.title };
  };

  return {
    async click({ actionId, user }) {
      const prepared = await prepare(actionId, user, 'step.click');
      if (!prepared.ok) return prepared.refusal;
      const { ready } = prepared;
      if (!ready.destructive) return start(ready, user, 'step.click');
      audit('step.click', user, 'allowed', `asked to confirm: ${ready.step.title}`, ready.key);
      return {
        kind: 'needs_confirmation',
        key: ready.key.key,
        title: ready.step.title,
        text: ready.step.body,
      };
    },
    async confirm(key, user) {
      const prepared = await prepare(key, user, 'step.confirm');
      return prepared.ok ? start(prepared.ready, user, 'step.confirm') : prepared.refusal;
    },
    cancel(key, user) {
      const parsed = parseStepKey(key);
      audit(
        'step.confirm',
        user,
        'cancelled',
        'closed the confirmation; nothing ran',
        parsed.ok ? parsed.step : { raw: key },
      );
      deps.metrics?.stepRun('cancelled');
      return Promise.resolve();
    },
    async recoverRunning() {
      let recovered = 0;
      for (const claim of deps.claims.listRunning()) {
        if (claim.scope !== 'step' || execution.isRunning(claim.key)) continue;
        await execution.recover(claim, forRecovery);
        recovered += 1;
      }
      return recovered;
    },
    idle: () => execution.idle(),
  };
};

/** A key as the audit log records it: parsed ids, or the raw (bounded) text of a forged one. */
type Key = StepKey | { readonly raw: string };

const keyFields = (key: Key) =>
  'raw' in key
    ? { detail: { actionId: key.raw.slice(0, 300) } }
    : { incidentId: key.incidentId, stepId: key.stepId, idempotencyKey: key.key };

const duplicate = (claim: Claim): Refusal => ({
  kind: 'duplicate',
  key: claim.key,
  by: claim.claimedBy,
  at: claim.claimedAt,
  state: claim.state,
  result: claim.resultSummary,
});

/** Only one key is valid for a step at any time: the first run's, or the retry after the last failure. */
const refusalFor = (key: StepKey, incident: Incident, step: IncidentStep): Refusal | undefined => {
  if (step.kind !== 'action')
    return { kind: 'invalid', why: 'That step is guidance: there is nothing to run.' };
  if (key.attempt === 0 && step.state !== 'pending')
    return { kind: 'invalid', why: 'That step is not waiting to run.' };
  // A later attempt follows the step's latest run: a failed one (Retry), or a succeeded one that
  // only reads (Run again; checked against the catalog once the action is bound).
  const after = step.state === 'failed' || step.state === 'succeeded';
  if (key.attempt > 0 && (!after || step.lastKey !== previousKey(key)))
    return { kind: 'invalid', why: 'Only the latest run of a step can be retried or run again.' };
  if (incident.state === 'resolved')
    return { kind: 'denied', why: 'This incident is resolved: its steps no longer run.' };
  return undefined;
};

const describe = (refusal: Refusal): [AuditOutcome, string] => {
  switch (refusal.kind) {
    case 'duplicate':
      return ['duplicate', `already claimed by ${refusal.by} (${refusal.state})`];
    case 'denied':
      return ['denied', refusal.why];
    case 'invalid':
      return ['denied', `invalid: ${refusal.why}`];
    case 'not_found':
      return ['denied', 'not found: no such incident step'];
  }
};
