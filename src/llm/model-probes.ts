import type { ModelCheck, ModelProbe } from '../core/doctor/ports.js';
import type { LazyAnthropicClient, LazyBedrockClient } from './llm-clients.js';

const TIMEOUT_MS = 20_000;

const failure = (err: unknown): ModelCheck => {
  const name = err instanceof Error ? err.name : 'Error';
  const message = (err instanceof Error ? err.message : String(err)).replace(/\s+/g, ' ').slice(0, 160);
  return { ok: false, reason: `${name}: ${message}` };
};

const signalOf = (caller?: AbortSignal): AbortSignal => {
  const timeout = AbortSignal.timeout(TIMEOUT_MS);
  return caller ? AbortSignal.any([caller, timeout]) : timeout;
};

/**
 * Model access on Bedrock: one Converse call with a one-token answer, outside the LLM policies
 * (a failed check must not open the breaker the runbook writers use).
 */
export const bedrockModelProbe = (bedrock: LazyBedrockClient, modelId: string): ModelProbe => ({
  name: `Bedrock ${modelId}`,
  fix: `AWS console → Amazon Bedrock → Model access: enable ${modelId} in this region, and allow bedrock:InvokeModel on it in the IAM policy`,
  async check(signal) {
    try {
      const { sdk, client } = await bedrock.load();
      await client.send(
        new sdk.ConverseCommand({
          modelId,
          messages: [{ role: 'user', content: [{ text: 'ping' }] }],
          inferenceConfig: { maxTokens: 1 },
        }),
        { abortSignal: signalOf(signal) },
      );
      return { ok: true };
    } catch (err) {
      return failure(err);
    }
  },
});

/** The Anthropic API key: one Messages call with a one-token answer. */
export const anthropicKeyProbe = (anthropic: LazyAnthropicClient, model: string): ModelProbe => ({
  name: 'Anthropic API key',
  fix: `console.anthropic.com → API keys: create a key and set ANTHROPIC_API_KEY; check that ANTHROPIC_MODEL (${model}) exists`,
  async check(signal) {
    try {
      const { client } = await anthropic.load();
      await client.messages.create(
        { model, max_tokens: 1, messages: [{ role: 'user', content: 'ping' }] },
        { signal: signalOf(signal) },
      );
      return { ok: true };
    } catch (err) {
      return failure(err);
    }
  },
});
