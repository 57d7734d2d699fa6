import { toJsonSchema, type JsonSchema } from '../core/runbooks/json-schema.js';
import type { ActionSpec } from '../core/runbooks/model.js';
import { proposedRunbookSchema } from '../core/runbooks/runbook-schema.js';

/**
 * The one tool a model is forced to call. Its input schema is the runbook: steps that are either
 * guidance or one catalog action with that action's own parameter schema, generated from the zod
 * schema in core/runbooks/runbook-schema.ts. The schema guides the model; it guarantees nothing:
 * the chain parses the output with zod and checks every action.
 */
export const RUNBOOK_TOOL_NAME = 'emit_runbook';

export const RUNBOOK_TOOL_DESCRIPTION =
  'Return the runbook for this incident: ordered steps for the on-call engineer. A step is guidance ' +
  '(text) or one action from the catalog, with parameters taken from the incident scope or the ' +
  'evidence. Actions are only proposed: a person decides whether to run each one.';

/** The tool's input schema for this catalog: each offered action is its own step variant. */
export const runbookInputSchema = (actions: readonly ActionSpec[]): JsonSchema =>
  toJsonSchema(proposedRunbookSchema(actions));
