import { describe, expect, it } from 'vitest';
import { createAnthropicClient, createBedrockClient } from '../../../src/llm/llm-clients.js';

// Construction only: nothing here sends a request.
describe('LLM client factories', () => {
  it('builds a Bedrock client with its own retries off', async () => {
    const client = createBedrockClient({ region: 'eu-central-1' });
    try {
      expect(await client.config.maxAttempts()).toBe(1);
      expect(await client.config.region()).toBe('eu-central-1');
    } finally {
      client.destroy();
    }
  });

  it('builds an Anthropic client with its own retries off, aimed where it is told', () => {
    const client = createAnthropicClient({ apiKey: 'sk-ant-test', baseURL: 'http://127.0.0.1:9' });
    expect(client.maxRetries).toBe(0);
    expect(client.baseURL).toBe('http://127.0.0.1:9');
    expect(createAnthropicClient({ apiKey: 'sk-ant-test' }).maxRetries).toBe(0);
  });
});
