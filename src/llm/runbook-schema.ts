import { RUNBOOK_LIMITS } from '../core/runbooks/chain.js';
import type { ActionSpec } from '../core/runbooks/model.js';

/**
 * The one tool a model is forced to call. Its input schema is the runbook: steps that are either
 * guidance or one catalog action with that action's own parameter schema. The schema guides the
 * model; it guarantees nothing: the chain parses the output with zod and checks every action.
 */
export const RUNBOOK_TOOL_NAME = 'emit_runbook';

export const RUNBOOK_TOOL_DESCRIPTION =
  'Return the runbook for this incident: ordered steps for the on-call engineer. A step is guidance ' +
  '(text) or one action from the catalog, with parameters taken from the incident scope or the ' +
  'evidence. Actions are only proposed: a person decides whether to run each one.';

export type JsonSchema = Readonly<Record<string, unknown>>;

const text = (maxLength: number, description: string): JsonSchema => ({
  type: 'string',
  minLength: 1,
  maxLength,
  description,
});

const guidanceStep: JsonSchema = {
  type: 'object',
  additionalProperties: false,
  required: ['kind', 'title', 'body'],
  properties: {
    kind: { type: 'string', const: 'guidance' },
    title: text(RUNBOOK_LIMITS.maxTitle, 'Short imperative title, e.g. "Check the service\'s secret"'),
    body: text(RUNBOOK_LIMITS.maxBody, 'What to do and how to tell whether it worked, for a non-expert'),
  },
};

const actionStep = (spec: ActionSpec): JsonSchema => ({
  type: 'object',
  additionalProperties: false,
  required: ['kind', 'title', 'body', 'action', 'params'],
  description: spec.description,
  properties: {
    kind: { type: 'string', const: 'action' },
    title: text(RUNBOOK_LIMITS.maxTitle, 'Short imperative title of the action'),
    body: text(RUNBOOK_LIMITS.maxBody, 'Why and when to run it, and what to check afterwards'),
    action: { type: 'string', const: spec.name },
    params: spec.paramsJsonSchema,
  },
});

/** The tool's input schema for this catalog: each offered action is its own step variant. */
export const runbookInputSchema = (actions: readonly ActionSpec[]): JsonSchema => ({
  type: 'object',
  additionalProperties: false,
  required: ['steps'],
  properties: {
    steps: {
      type: 'array',
      minItems: 1,
      maxItems: RUNBOOK_LIMITS.maxSteps,
      items: { anyOf: [guidanceStep, ...actions.map(actionStep)] },
    },
  },
});
