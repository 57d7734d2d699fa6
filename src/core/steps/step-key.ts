import type { IncidentStep } from '../incidents/model.js';

/**
 * Step keys (docs/decisions/0001-sqlite-claims-for-exactly-once.md): a Run step button's
 * `action_id` is `step:<incidentId>:<stepId>` and is the idempotency key of that run; a Retry
 * button (after a failure) or a Run again button (after a read-only step succeeded) carries
 * `step:<incidentId>:<stepId>:retry<n>`, a new key per attempt. Anything else is forged: the
 * grammar is strict and the length bounded before any pattern runs, so a hostile action_id costs
 * nothing to refuse.
 */

export interface StepKey {
  readonly key: string;
  readonly incidentId: string;
  readonly stepId: string;
  /** 0 for the first run, n for `:retry<n>`. */
  readonly attempt: number;
}

export type StepKeyParse =
  { readonly ok: true; readonly step: StepKey } | { readonly ok: false; readonly why: string };

/** Slack's own bound for an `action_id` (Block Kit reference). */
const MAX_KEY_LENGTH = 255;
const MAX_RETRY = 99;

// Ids as the schema allows them (1–64, no `:`), narrowed to what our own ids use.
const STEP_KEY = /^step:([A-Za-z0-9_-]{1,64}):([A-Za-z0-9_-]{1,64})(?::retry([1-9][0-9]?))?$/;

export const parseStepKey = (raw: string): StepKeyParse => {
  if (raw.length === 0 || raw.length > MAX_KEY_LENGTH) return { ok: false, why: 'action_id length' };
  const match = STEP_KEY.exec(raw);
  if (!match?.[1] || !match[2]) return { ok: false, why: 'malformed action_id' };
  return {
    ok: true,
    step: { key: raw, incidentId: match[1], stepId: match[2], attempt: match[3] ? Number(match[3]) : 0 },
  };
};

const stepKey = (incidentId: string, stepId: string, attempt = 0): string =>
  attempt === 0 ? `step:${incidentId}:${stepId}` : `step:${incidentId}:${stepId}:retry${attempt}`;

/** The key whose failed run a retry with this key follows; undefined for a first run. */
export const previousKey = (key: StepKey): string | undefined =>
  key.attempt === 0 ? undefined : stepKey(key.incidentId, key.stepId, key.attempt - 1);

/**
 * The Retry / Run again button's key: one attempt past the step's last key. None when the
 * last key is not this step's own (a record we cannot vouch for) or the attempts are used up.
 */
export const nextRetryKey = (step: Pick<IncidentStep, 'incidentId' | 'stepId' | 'lastKey'>) => {
  if (step.lastKey === null) return undefined;
  const last = parseStepKey(step.lastKey);
  if (!last.ok || last.step.incidentId !== step.incidentId || last.step.stepId !== step.stepId)
    return undefined;
  const attempt = last.step.attempt + 1;
  return attempt > MAX_RETRY ? undefined : stepKey(step.incidentId, step.stepId, attempt);
};
