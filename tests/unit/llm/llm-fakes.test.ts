import { connect } from 'node:http2';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FakeAnthropic, FakeBedrock, toolUse } from '@auth0-oncall/fakes/llm';

/** One raw h2c request to the Bedrock fake: status, headers and body. */
const h2 = (endpoint: string, path: string, headers: Record<string, string>, body: string) =>
  new Promise<{ status: number; headers: Record<string, unknown>; body: string }>((resolve, reject) => {
    const session = connect(endpoint);
    session.on('error', reject);
    const req = session.request({
      ':method': 'POST',
      ':path': path,
      'content-type': 'application/json',
      ...headers,
    });
    let status = 0;
    let responseHeaders: Record<string, unknown> = {};
    const chunks: Buffer[] = [];
    req.on('response', (h) => {
      status = Number(h[':status']);
      responseHeaders = { ...h };
    });
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      session.close();
      resolve({ status, headers: responseHeaders, body: Buffer.concat(chunks).toString('utf8') });
    });
    req.on('error', reject);
    req.end(body);
  });

describe('the LLM fakes', () => {
  let bedrock: FakeBedrock;
  let anthropic: FakeAnthropic;

  beforeAll(async () => {
    [bedrock, anthropic] = await Promise.all([FakeBedrock.start(), FakeAnthropic.start()]);
  });
  afterAll(async () => {
    await Promise.all([bedrock.close(), anthropic.close()]);
  });

  const messagesBody = JSON.stringify({
    model: 'any-model',
    max_tokens: 10,
    messages: [{ role: 'user', content: 'hi' }],
  });

  it('Anthropic: accepts an x-api-key as well as a bearer token, and refuses a request with neither', async () => {
    anthropic.script.always(toolUse({ steps: [] }));
    const post = (headers: Record<string, string>) =>
      fetch(`${anthropic.baseURL}/v1/messages`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'anthropic-version': '2023-06-01', ...headers },
        body: messagesBody,
      });

    const viaKey = await post({ 'x-api-key': 'sk-ant-0x' });
    const none = await post({});

    expect(viaKey.status).toBe(200);
    expect(await viaKey.json()).toMatchObject({
      stop_reason: 'tool_use',
      content: [{ type: 'tool_use', name: 'emit_runbook' }],
    });
    expect(none.status).toBe(401);
    expect(await none.json()).toEqual({
      type: 'error',
      error: { type: 'authentication_error', message: 'missing API key' },
    });
    expect(anthropic.requests.map((r) => r.auth)).toEqual(['x-api-key', 'none']);
    expect(anthropic.requests[0]?.headers['x-api-key']).toBe('(set)');
  });

  it('Bedrock: refuses a bearer token (SigV4 only) with an AWS error type header', async () => {
    const res = await h2(
      bedrock.endpoint,
      '/model/any%3Amodel/converse',
      { authorization: 'Bearer abc' },
      '{"messages":[]}',
    );
    expect(res.status).toBe(403);
    expect(res.headers['x-amzn-errortype']).toMatch(/^AccessDeniedException:/);
    expect(bedrock.requests.at(-1)).toMatchObject({
      modelId: 'any:model',
      headers: { authorization: 'Bearer' },
    });
  });

  it('Bedrock: answers an unknown operation with 404', async () => {
    const res = await h2(
      bedrock.endpoint,
      '/model/m/invoke',
      { authorization: 'AWS4-HMAC-SHA256 Credential=x' },
      '{}',
    );
    expect(res.status).toBe(404);
  });
});
