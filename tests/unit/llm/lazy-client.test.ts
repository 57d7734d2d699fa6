import { describe, expect, it } from 'vitest';
import { AnthropicMessagesProvider } from '../../../src/llm/anthropic-messages-provider.js';
import { BedrockConverseProvider } from '../../../src/llm/bedrock-converse-provider.js';
import type { LazyAnthropicClient, LazyBedrockClient } from '../../../src/llm/llm-clients.js';
import { anthropicKeyProbe, bedrockModelProbe } from '../../../src/llm/model-probes.js';
import type { ForcedToolRequest } from '../../../src/llm/model-provider.js';
import { AppError } from '../../../src/errors.js';
import { ANTHROPIC_MODEL, llmPolicy, MODEL_ID } from './fixtures.js';

const unloadable = {
  load: () =>
    Promise.reject(
      Object.assign(new Error("Cannot find package '@aws-sdk/client-bedrock-runtime'"), {
        code: 'ERR_MODULE_NOT_FOUND',
      }),
    ),
  destroy: () => undefined,
};
const bedrock: LazyBedrockClient = unloadable;
const anthropic: LazyAnthropicClient = unloadable;

const request: ForcedToolRequest = {
  system: 'system',
  user: 'user',
  maxTokens: 16,
  tool: { name: 'write_runbook', description: 'Writes a runbook', inputSchema: { properties: {} } },
};

const errorOf = (promise: Promise<unknown>): Promise<unknown> =>
  promise.then(
    () => undefined,
    (error: unknown) => error,
  );

describe('a model SDK that fails to load', () => {
  it('fails each provider call through its policy as an AppError, like a failed request', async () => {
    for (const provider of [
      new BedrockConverseProvider({ client: bedrock, modelId: MODEL_ID, policy: llmPolicy() }),
      new AnthropicMessagesProvider({ client: anthropic, model: ANTHROPIC_MODEL, policy: llmPolicy() }),
    ]) {
      const error = await errorOf(provider.forceTool(request, new AbortController().signal));
      expect(error).toBeInstanceOf(AppError);
      expect(error).toMatchObject({ cause: { code: 'ERR_MODULE_NOT_FOUND' } });
    }
  });

  it('makes the model probes report a failed check', async () => {
    for (const probe of [
      bedrockModelProbe(bedrock, MODEL_ID),
      anthropicKeyProbe(anthropic, ANTHROPIC_MODEL),
    ]) {
      expect(await probe.check(new AbortController().signal)).toMatchObject({
        ok: false,
        reason: expect.stringContaining('Cannot find package'),
      });
    }
  });
});
