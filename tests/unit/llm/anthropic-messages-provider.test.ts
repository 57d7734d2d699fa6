import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { AppError } from '../../../src/errors.js';
import { anthropicError, FakeAnthropic, goodRunbookInput, slow, toolUse } from '@auth0-oncall/fakes/llm';
import { ANTHROPIC_MODEL, anthropicWriter, llmPolicy, requestFor, SCOPED_CLIENT } from './fixtures.js';

describe('the runbook writer over AnthropicMessagesProvider, against the Messages API fake', () => {
  let fake: FakeAnthropic;

  beforeAll(async () => {
    fake = await FakeAnthropic.start();
  });
  afterEach(() => {
    fake.script.reset();
    fake.requests.length = 0;
  });
  afterAll(async () => {
    await fake.close();
  });

  const writer = (policy = llmPolicy()) => anthropicWriter(fake, policy);
  const failureOf = async (promise: Promise<unknown>): Promise<AppError> => {
    const error: unknown = await promise.then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(AppError);
    return error as AppError;
  };

  it('sends one Messages call that forces emit_runbook and returns the tool input untouched', async () => {
    fake.script.enqueue(toolUse(goodRunbookInput(SCOPED_CLIENT), { preamble: 'Sure.' }));

    const output = await writer().write(requestFor().request, new AbortController().signal);

    expect(output).toEqual(goodRunbookInput(SCOPED_CLIENT));
    expect(fake.requests).toHaveLength(1);
    const [sent] = fake.requests;
    expect(sent?.path).toBe('/v1/messages');
    expect(sent?.auth).toBe('bearer');
    expect(sent?.headers['anthropic-version']).toEqual(expect.any(String));
    expect(sent?.body).toMatchObject({
      model: ANTHROPIC_MODEL,
      max_tokens: 4096,
      system: expect.stringContaining('emit_runbook'),
      messages: [{ role: 'user', content: expect.stringContaining('<data>') }],
      tools: [{ name: 'emit_runbook', input_schema: { type: 'object', required: ['steps'] } }],
      tool_choice: { type: 'tool', name: 'emit_runbook' },
    });
  });

  it('surfaces a 429 as rate_limited after exactly one request (SDK retries off)', async () => {
    fake.script.always(anthropicError.rateLimited());
    const error = await failureOf(writer().write(requestFor().request, new AbortController().signal));
    expect(error.code).toBe('rate_limited');
    expect(fake.requests).toHaveLength(1);
  });

  it('surfaces a 529 overloaded as dependency_failed, counted against the breaker', async () => {
    fake.script.always(anthropicError.overloaded());
    const policy = llmPolicy();
    const error = await failureOf(writer(policy).write(requestFor().request, new AbortController().signal));
    expect(error.code).toBe('dependency_failed');
    expect(policy.lastFailure()?.reason).toContain('529');
    expect(fake.requests).toHaveLength(1);
  });

  it('fails when the answer was cut off at max_tokens', async () => {
    fake.script.enqueue({ kind: 'max_tokens', partialInput: { steps: [{ kind: 'guid' }] } });
    const error = await failureOf(writer().write(requestFor().request, new AbortController().signal));
    expect(error.message).toContain('max_tokens');
  });

  it('fails when the model calls another tool or none', async () => {
    fake.script.enqueue(toolUse(goodRunbookInput(SCOPED_CLIENT), { toolName: 'run_shell' }));
    const error = await failureOf(writer().write(requestFor().request, new AbortController().signal));
    expect(error.message).toContain('did not call emit_runbook (stop_reason tool_use)');
  });

  it('fails when a 200 carries a body that is not JSON', async () => {
    fake.script.enqueue({
      kind: 'raw',
      status: 200,
      body: 'not json at all',
      contentType: 'application/json',
    });
    await expect(writer().write(requestFor().request, new AbortController().signal)).rejects.toThrow();
  });

  it("times out under the policy's per-attempt timeout when the model is slow", async () => {
    fake.script.enqueue(slow(5_000, toolUse(goodRunbookInput(SCOPED_CLIENT))));
    const error = await failureOf(
      writer(llmPolicy({ timeoutMs: 200 })).write(requestFor().request, new AbortController().signal),
    );
    expect(error.code).toBe('timeout');
  });
});
