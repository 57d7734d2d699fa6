import { describe, expect, it } from 'vitest';
import { createActionCatalog } from '../../../../src/core/actions/catalog.js';
import { ACTION_NAMES } from '../../../../src/core/runbooks/model.js';
import { refusingCatalogDeps } from '../../../helpers/refusing-catalog-deps.js';
import { disagreements } from '../../../helpers/schema-agreement.js';
import { mutationsOf, PARAM_SAMPLES } from './param-samples.js';

describe("each catalog action's parameter schema, as zod parses it and as the model sees it", () => {
  const catalog = createActionCatalog(refusingCatalogDeps());
  const entries = [...catalog.values()];

  it('has samples for every action in the catalog', () => {
    expect(entries.map((e) => e.name).sort()).toEqual([...ACTION_NAMES].sort());
  });

  it.each(entries.map((e) => [e.name, e] as const))(
    '%s: its samples mean what they say (valid ones parse, invalid ones do not)',
    (name, entry) => {
      const samples = PARAM_SAMPLES[name];
      for (const sample of samples.valid) expect(entry.bind(sample).ok, JSON.stringify(sample)).toBe(true);
      for (const sample of samples.invalid) {
        expect(entry.bind(sample).ok, JSON.stringify(sample)).toBe(false);
      }
    },
  );

  it.each(entries.map((e) => [e.name, e] as const))(
    '%s: zod and the generated JSON Schema give the same verdict on every sample and mutation',
    (name, entry) => {
      const samples = PARAM_SAMPLES[name];
      const candidates = [
        ...samples.valid,
        ...samples.invalid,
        ...samples.valid.flatMap((sample) => mutationsOf(sample, entry.paramsJsonSchema)),
      ];
      expect(disagreements(entry.params, entry.paramsJsonSchema, candidates)).toEqual([]);
    },
  );

  it('shows the model strict objects with every bound the parser enforces', () => {
    const schema = (name: (typeof ACTION_NAMES)[number]) => catalog.get(name)?.paramsJsonSchema;
    expect(schema('revoke_previous_signing_key')).toEqual({
      type: 'object',
      properties: {
        kid: { type: 'string', minLength: 1, maxLength: 128, description: 'kid of the PREVIOUS signing key' },
      },
      required: ['kid'],
      additionalProperties: false,
    });
    expect(schema('verify_client_credentials')).toMatchObject({
      properties: { clientId: { type: 'string', pattern: '^[A-Za-z0-9_-]{8,128}$' } },
      additionalProperties: false,
    });
    expect(schema('recheck_signal')).toEqual({ type: 'object', properties: {}, additionalProperties: false });
    expect(JSON.stringify(catalog.get('unblock_ip')?.paramsJsonSchema)).not.toContain('$schema');
  });
});
