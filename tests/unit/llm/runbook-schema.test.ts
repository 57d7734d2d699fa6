import { describe, expect, it } from 'vitest';
import { actionSpecs, createActionCatalog } from '../../../src/core/actions/catalog.js';
import { toJsonSchema } from '../../../src/core/runbooks/json-schema.js';
import { proposedRunbookSchema, RUNBOOK_LIMITS } from '../../../src/core/runbooks/runbook-schema.js';
import { RUNBOOK_TOOL_NAME, runbookInputSchema } from '../../../src/llm/runbook-schema.js';
import { refusingCatalogDeps } from '../../helpers/refusing-catalog-deps.js';
import { compileJsonSchema, disagreements } from '../../helpers/schema-agreement.js';
import { PARAM_SAMPLES } from '../core/actions/param-samples.js';
import { goodRunbookInput, injectionFollowingInput, wrongShapeInputs } from '@auth0-oncall/fakes/llm';
import { requestFor, SCOPED_CLIENT } from './fixtures.js';

describe('the emit_runbook tool schema', () => {
  const { actions } = requestFor().request;
  const validate = compileJsonSchema(runbookInputSchema(actions));

  it('is named emit_runbook and accepts a good runbook', () => {
    expect(RUNBOOK_TOOL_NAME).toBe('emit_runbook');
    expect(validate(goodRunbookInput(SCOPED_CLIENT)), JSON.stringify(validate.errors)).toBe(true);
  });

  it('offers exactly the catalog actions, each with its own parameter schema', () => {
    const schema = runbookInputSchema(actions) as { properties: { steps: { items: { anyOf: unknown[] } } } };
    const variants = schema.properties.steps.items.anyOf as {
      properties: { action?: { const: string }; params?: unknown };
    }[];
    expect(variants.flatMap((v) => (v.properties.action ? [v.properties.action.const] : []))).toEqual(
      actions.map((a) => a.name),
    );
    const unblock = variants.find((v) => v.properties.action?.const === 'unblock_ip');
    const spec = actions.find((a) => a.name === 'unblock_ip');
    expect(spec).toBeDefined();
    expect(unblock?.properties.params).toEqual(spec && toJsonSchema(spec.params));
  });

  it('rejects an action outside the catalog, smuggled parameters and wrong shapes', () => {
    const injected = injectionFollowingInput({
      scopedClientId: SCOPED_CLIENT,
      evilIp: '6.6.6.6',
      evilClientId: 'EvilClient999',
    });
    expect(validate(injected)).toBe(false);
    for (const input of wrongShapeInputs) expect(validate(input), JSON.stringify(input)).toBe(false);
  });
});

describe('the emit_runbook tool schema against its zod source, for the real catalog', () => {
  const specs = actionSpecs(createActionCatalog(refusingCatalogDeps()));
  const schema = proposedRunbookSchema(specs);
  const json = runbookInputSchema(specs);
  const { maxTitle, maxBody, maxSteps } = RUNBOOK_LIMITS;

  const guidance = { kind: 'guidance', title: 'Check the secret', body: 'Look at the suspects.' };
  const actionSteps = specs.flatMap((spec) =>
    PARAM_SAMPLES[spec.name].valid.map((params) => ({
      kind: 'action',
      title: `Run ${spec.name}`,
      body: '',
      action: spec.name,
      params,
    })),
  );
  const runbook = (...steps: unknown[]) => ({ steps });

  /** One step changed in every way a model might get it wrong (or just right, at a bound). */
  const stepVariants = (step: Record<string, unknown>): unknown[] => [
    ...Object.keys(step).map((key) => Object.fromEntries(Object.entries(step).filter(([k]) => k !== key))),
    { ...step, extra: 'x' },
    { ...step, kind: 'shell' },
    { ...step, title: '' },
    { ...step, title: '   ' },
    { ...step, title: ' padded ' },
    { ...step, title: 't'.repeat(maxTitle) },
    { ...step, title: 't'.repeat(maxTitle + 1) },
    // Both count code points, not UTF-16 units.
    { ...step, title: '𝒳'.repeat(maxTitle) },
    { ...step, title: '𝒳'.repeat(maxTitle + 1) },
    { ...step, title: 42 },
    { ...step, body: '' },
    { ...step, body: '\n\t ' },
    { ...step, body: 'b'.repeat(maxBody) },
    { ...step, body: 'b'.repeat(maxBody + 1) },
    { ...step, body: null },
    null,
    'step',
  ];

  const candidates: unknown[] = [
    runbook(guidance),
    runbook(guidance, ...actionSteps.slice(0, maxSteps - 1)),
    runbook(...Array.from({ length: maxSteps }, () => guidance)),
    runbook(...Array.from({ length: maxSteps + 1 }, () => guidance)),
    runbook(),
    { steps: guidance },
    { steps: [guidance], extra: true },
    {},
    null,
    'steps: verify',
    ...wrongShapeInputs,
    ...stepVariants(guidance).map((step) => runbook(step)),
    ...actionSteps.flatMap((step) => stepVariants(step).map((variant) => runbook(guidance, variant))),
    ...specs.flatMap((spec) =>
      PARAM_SAMPLES[spec.name].invalid.map((params) =>
        runbook({ kind: 'action', title: 't', body: 'b', action: spec.name, params }),
      ),
    ),
    runbook({ kind: 'action', title: 't', body: 'b', action: 'revoke_all_keys', params: {} }),
    runbook({
      kind: 'action',
      title: 't',
      body: 'b',
      action: 'unblock_ip',
      params: { clientId: 'AbCdEf12' },
    }),
  ];

  it('accepts a full runbook with every action of the catalog', () => {
    expect(schema.safeParse(runbook(guidance, ...actionSteps.slice(0, maxSteps - 1))).success).toBe(true);
    expect(new Set(actionSteps.map((s) => s.action))).toEqual(new Set(specs.map((s) => s.name)));
  });

  it('gives the same verdict as zod on every sample, bound and wrong shape', () => {
    const verdicts = candidates.map((c) => schema.safeParse(c).success);
    // Both verdicts occur, so agreement is not two validators that refuse (or accept) everything.
    expect(verdicts.filter(Boolean).length).toBeGreaterThan(20);
    expect(verdicts.filter((v) => !v).length).toBeGreaterThan(100);
    expect(disagreements(schema, json, candidates)).toEqual([]);
  });
});
