import { z } from 'zod';

/** A JSON Schema document, as the model APIs take it. */
export type JsonSchema = Readonly<Record<string, unknown>>;

/**
 * The JSON Schema of what `schema` accepts: zod is the one source of a schema, this is only its
 * other spelling for the models (tool input schemas) and the prompt.
 *
 * - `io: 'input'`: the model writes the input side (a `.trim()` or a default applies after it).
 * - draft 2020-12 (what the Anthropic and Bedrock tool schemas follow), every reused part inlined
 *   and cycles refused: a model gets one self-contained document with no `$ref`.
 * - Unrepresentable types (transforms, dates, …) throw, so a catalog that uses one fails at
 *   start. Refinements (`.refine`) are silently left out by zod: parameter schemas use none, and
 *   the agreement tests in tests/unit/core/actions prove it.
 * - `$schema` is dropped: the document is embedded in a tool definition, not published.
 */
export const toJsonSchema = (schema: z.ZodType): JsonSchema => {
  const { $schema: _dialect, ...document } = z.toJSONSchema(schema, {
    target: 'draft-2020-12',
    io: 'input',
    unrepresentable: 'throw',
    reused: 'inline',
    cycles: 'throw',
  });
  return document;
};
