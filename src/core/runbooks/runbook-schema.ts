import { z } from 'zod';
import type { ActionSpec } from './model.js';

/**
 * What a writer may return, in zod only: the tool schema the models see is generated from it
 * (json-schema.ts), so the two cannot drift apart.
 *
 * Two readings of the same fields: `proposedRunbookSchema` is the strict shape a model is asked
 * for (one variant per catalog action, with that action's own parameter schema); the chain reads
 * a model's answer with the looser `runbookEnvelope` and `proposedStep`, step by step, so one bad
 * step is dropped rather than the whole runbook, extra keys are ignored and a missing `params`
 * reads as `{}`. Anything the strict shape accepts, the loose reading accepts as well.
 */

/** Bounds on what a writer may return. */
export const RUNBOOK_LIMITS = { maxSteps: 12, maxTitle: 150, maxBody: 1500, maxActionName: 64 } as const;

// Lengths are checked before trimming, so the JSON Schema's maxLength says exactly what is
// accepted; `\S` stands for "not blank" in both.
const notBlank = /\S/;

const title = (description: string) =>
  z
    .string()
    .min(1)
    .max(RUNBOOK_LIMITS.maxTitle)
    .regex(notBlank, 'must not be blank')
    .trim()
    .describe(description);

const guidanceBody = z
  .string()
  .max(RUNBOOK_LIMITS.maxBody)
  .regex(notBlank, 'must not be blank')
  .trim()
  .describe('What to do and how to tell whether it worked, for a non-expert');

const actionBody = z
  .string()
  .max(RUNBOOK_LIMITS.maxBody)
  .trim()
  .describe('Why and when to run it, and what to check afterwards');

const guidanceFields = {
  kind: z.literal('guidance'),
  title: title('Short imperative title, e.g. "Check the service\'s secret"'),
  body: guidanceBody,
};

const actionFields = {
  kind: z.literal('action'),
  title: title('Short imperative title of the action'),
  body: actionBody,
};

/** The runbook a model is asked for, for this catalog: each offered action is its own step variant. */
export const proposedRunbookSchema = (actions: readonly ActionSpec[]) =>
  z.strictObject({
    steps: z
      .array(
        z.union([
          z.strictObject(guidanceFields),
          ...actions.map((spec) =>
            z
              .strictObject({ ...actionFields, action: z.literal(spec.name), params: spec.params })
              .describe(spec.description),
          ),
        ]),
      )
      .min(1)
      .max(RUNBOOK_LIMITS.maxSteps),
  });

/** The chain's first reading of an answer: a list of 1–12 steps, each still unread. */
export const runbookEnvelope = z.object({
  steps: z.array(z.unknown()).min(1).max(RUNBOOK_LIMITS.maxSteps),
});

/** The chain's reading of one step; the action and its parameters are checked against the catalog. */
export const proposedStep = z.discriminatedUnion('kind', [
  z.object(guidanceFields),
  z.object({
    ...actionFields,
    // Any string here, so an unknown name is counted as a dropped proposal, not a broken output.
    action: z.string().min(1).max(RUNBOOK_LIMITS.maxActionName),
    params: z.record(z.string(), z.unknown()).default({}),
  }),
]);
