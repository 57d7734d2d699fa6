import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { AppError } from '../../../src/errors.js';
import { bedrockError, FakeBedrock, goodRunbookInput, slow, toolUse } from '@auth0-oncall/fakes/llm';
import {
  bedrockClientFor,
  bedrockWriter,
  llmPolicy,
  MODEL_ID,
  requestFor,
  SCOPED_CLIENT,
} from './fixtures.js';

describe('the runbook writer over BedrockConverseProvider, against the h2c Bedrock fake', () => {
  let fake: FakeBedrock;
  let client: ReturnType<typeof bedrockClientFor>;

  beforeAll(async () => {
    // A set bearer token would make the real client skip SigV4; the test must not depend on the shell.
    vi.stubEnv('AWS_BEARER_TOKEN_BEDROCK', undefined);
    fake = await FakeBedrock.start();
    client = bedrockClientFor(fake);
  });
  afterEach(() => {
    fake.script.reset();
    fake.requests.length = 0;
  });
  afterAll(async () => {
    client.destroy();
    await fake.close();
    vi.unstubAllEnvs();
  });

  const writer = (policy = llmPolicy()) => bedrockWriter(client, policy);
  const failureOf = async (promise: Promise<unknown>): Promise<AppError> => {
    const error: unknown = await promise.then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(AppError);
    return error as AppError;
  };

  it('sends one Converse call that forces emit_runbook and returns the tool input untouched', async () => {
    fake.script.enqueue(toolUse(goodRunbookInput(SCOPED_CLIENT), { preamble: 'Here is the runbook.' }));
    const { request } = requestFor();

    const output = await writer().write(request, new AbortController().signal);

    expect(output).toEqual(goodRunbookInput(SCOPED_CLIENT));
    expect(fake.requests).toHaveLength(1);
    const [sent] = fake.requests;
    expect(sent?.modelId).toBe(MODEL_ID);
    expect(sent?.path).toContain('%3A0/converse');
    expect(sent?.headers.authorization).toBe('AWS4-HMAC-SHA256');
    expect(sent?.body).toMatchObject({
      system: [{ text: expect.stringContaining('emit_runbook') }],
      messages: [{ role: 'user', content: [{ text: expect.stringContaining('<data>') }] }],
      inferenceConfig: { maxTokens: 4096 },
      toolConfig: {
        tools: [
          {
            toolSpec: {
              name: 'emit_runbook',
              inputSchema: { json: { type: 'object', required: ['steps'] } },
            },
          },
        ],
        toolChoice: { tool: { name: 'emit_runbook' } },
      },
    });
  });

  it('signs with SigV4 even when AWS_BEARER_TOKEN_BEDROCK is set, because credentials are explicit', async () => {
    vi.stubEnv('AWS_BEARER_TOKEN_BEDROCK', 'a-bearer-token-that-must-not-be-sent');
    const bearerProne = bedrockClientFor(fake);
    try {
      fake.script.enqueue(toolUse(goodRunbookInput(SCOPED_CLIENT)));
      await bedrockWriter(bearerProne).write(requestFor().request, new AbortController().signal);
      expect(fake.requests[0]?.headers.authorization).toBe('AWS4-HMAC-SHA256');
    } finally {
      bearerProne.destroy();
      vi.stubEnv('AWS_BEARER_TOKEN_BEDROCK', undefined);
    }
  });

  it('surfaces a ThrottlingException as rate_limited after exactly one request (SDK retries off)', async () => {
    fake.script.always(bedrockError.throttling());
    const error = await failureOf(writer().write(requestFor().request, new AbortController().signal));
    expect(error.code).toBe('rate_limited');
    expect(error.message).toContain('ThrottlingException');
    expect(fake.requests).toHaveLength(1);
  });

  it('surfaces a 500 as dependency_failed after one request', async () => {
    fake.script.always(bedrockError.internal());
    const error = await failureOf(writer().write(requestFor().request, new AbortController().signal));
    expect(error.code).toBe('dependency_failed');
    expect(fake.requests).toHaveLength(1);
  });

  it('fails when the answer was cut off at max_tokens, even with a partial tool call', async () => {
    fake.script.enqueue({ kind: 'max_tokens', partialInput: { steps: [] } });
    const error = await failureOf(writer().write(requestFor().request, new AbortController().signal));
    expect(error.message).toContain('max_tokens');
  });

  it('fails when the model answers in text instead of calling the tool', async () => {
    fake.script.enqueue({ kind: 'text', text: '{"steps":[{"kind":"guidance","title":"t","body":"b"}]}' });
    const error = await failureOf(writer().write(requestFor().request, new AbortController().signal));
    expect(error.message).toContain('did not call emit_runbook (stopReason end_turn)');
  });

  it('fails when a 200 carries a body that is not JSON', async () => {
    fake.script.enqueue({ kind: 'raw', status: 200, body: '<html>gateway says hi</html>' });
    await expect(writer().write(requestFor().request, new AbortController().signal)).rejects.toThrow();
  });

  it("times out under the policy's per-attempt timeout when the model is slow", async () => {
    fake.script.enqueue(slow(5_000, toolUse(goodRunbookInput(SCOPED_CLIENT))));
    const started = Date.now();
    const error = await failureOf(
      writer(llmPolicy({ timeoutMs: 200 })).write(requestFor().request, new AbortController().signal),
    );
    expect(error.code).toBe('timeout');
    expect(Date.now() - started).toBeLessThan(3_000);
  });

  it('stops when the caller aborts, without counting it against the dependency', async () => {
    fake.script.enqueue({ kind: 'hang' });
    const controller = new AbortController();
    const policy = llmPolicy();
    const pending = writer(policy).write(requestFor().request, controller.signal);
    setTimeout(() => {
      controller.abort();
    }, 50);
    const error = await failureOf(pending);
    expect(error.code).toBe('cancelled');
    expect(policy.lastFailure()).toBeUndefined();
  });
});
