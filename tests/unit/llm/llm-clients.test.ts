import { describe, expect, it } from 'vitest';
import { createAnthropicClient, createBedrockClient } from '../../../src/llm/llm-clients.js';

// Construction only: nothing here sends a request.
describe('LLM client factories', () => {
  it('builds a Bedrock client with its own retries off', async () => {
    const bedrock = createBedrockClient({ region: 'eu-central-1' });
    try {
      const { client } = await bedrock.load();
      expect(await client.config.maxAttempts()).toBe(1);
      expect(await client.config.region()).toBe('eu-central-1');
    } finally {
      bedrock.destroy();
    }
  });

  it('builds an Anthropic client with its own retries off, aimed where it is told', async () => {
    const { client } = await createAnthropicClient({
      apiKey: 'sk-ant-test',
      baseURL: 'http://127.0.0.1:9',
    }).load();
    expect(client.maxRetries).toBe(0);
    expect(client.baseURL).toBe('http://127.0.0.1:9');
    expect((await createAnthropicClient({ apiKey: 'sk-ant-test' }).load()).client.maxRetries).toBe(0);
  });

  it('builds each client once, however many calls ask for it at the same time', async () => {
    const anthropic = createAnthropicClient({ apiKey: 'sk-ant-test' });
    const [a, b] = await Promise.all([anthropic.load(), anthropic.load()]);
    expect(a.client).toBe(b.client);
    expect((await anthropic.load()).client).toBe(a.client);
  });
});
