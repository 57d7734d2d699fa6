import { Ajv2020, type ValidateFunction } from 'ajv/dist/2020.js';
import addFormatsModule from 'ajv-formats';
import type { z } from 'zod';
import type { JsonSchema } from '../../src/core/runbooks/json-schema.js';

// ajv-formats is CommonJS with a default export; under NodeNext its callable is `.default`.
const addFormats = addFormatsModule.default;

/**
 * A validator for a generated JSON Schema, as a model vendor's would read it: strict (an unknown
 * keyword or format is an error, not a silent pass), with the standard formats.
 */
export const compileJsonSchema = (jsonSchema: JsonSchema): ValidateFunction => {
  const ajv = new Ajv2020({ strict: true, allErrors: false });
  addFormats(ajv);
  return ajv.compile(jsonSchema);
};

export interface Disagreement {
  readonly candidate: unknown;
  readonly zod: boolean;
  readonly jsonSchema: boolean;
}

/** Every candidate on which the zod schema and a validator of its JSON Schema give different verdicts. */
export const disagreements = (
  schema: z.ZodType,
  jsonSchema: JsonSchema,
  candidates: readonly unknown[],
): Disagreement[] => {
  const validate = compileJsonSchema(jsonSchema);
  return candidates.flatMap((candidate) => {
    const zod = schema.safeParse(candidate).success;
    const json = validate(candidate);
    return zod === json ? [] : [{ candidate, zod, jsonSchema: json }];
  });
};
