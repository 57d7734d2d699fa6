import { Ajv2020 } from 'ajv/dist/2020.js';
import { describe, expect, it } from 'vitest';
import { goodRunbookInput, injectionFollowingInput, wrongShapeInputs } from '@auth0-oncall/fakes/llm';
import { RUNBOOK_TOOL_NAME, runbookInputSchema } from '../../../src/llm/runbook-schema.js';
import { requestFor, SCOPED_CLIENT } from './fixtures.js';

describe('the emit_runbook tool schema', () => {
  const { actions } = requestFor().request;
  const validate = new Ajv2020({ strict: false }).compile(runbookInputSchema(actions));

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
    expect(unblock?.properties.params).toEqual(
      actions.find((a) => a.name === 'unblock_ip')?.paramsJsonSchema,
    );
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
