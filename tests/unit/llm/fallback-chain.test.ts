import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { createRunbookChain } from '../../../src/core/runbooks/chain.js';
import type { RunbookProviderName } from '../../../src/core/runbooks/model.js';
import { BuiltinRunbookWriter } from '../../../src/llm/builtin/builtin-runbook-writer.js';
import type { DependencyPolicy } from '../../../src/resilience/index.js';
import {
  anthropicError,
  bedrockError,
  FakeAnthropic,
  FakeBedrock,
  goodRunbookInput,
  slow,
  toolUse,
  type LlmReply,
} from '@auth0-oncall/fakes/llm';
import {
  anthropicWriter,
  bedrockClientFor,
  bedrockWriter,
  llmPolicy,
  requestFor,
  SCOPED_CLIENT,
} from './fixtures.js';
import { createTestCatalog } from './test-catalog.js';

describe('the runbook chain over the Bedrock and Anthropic fakes', () => {
  let bedrock: FakeBedrock;
  let anthropic: FakeAnthropic;
  let bedrockClient: ReturnType<typeof bedrockClientFor>;

  beforeAll(async () => {
    vi.stubEnv('AWS_BEARER_TOKEN_BEDROCK', undefined);
    [bedrock, anthropic] = await Promise.all([FakeBedrock.start(), FakeAnthropic.start()]);
    bedrockClient = bedrockClientFor(bedrock);
  });
  afterEach(() => {
    for (const fake of [bedrock, anthropic]) {
      fake.script.reset();
      fake.requests.length = 0;
    }
  });
  afterAll(async () => {
    bedrockClient.destroy();
    await Promise.all([bedrock.close(), anthropic.close()]);
    vi.unstubAllEnvs();
  });

  /** Each provider has its own policy: Bedrock's open breaker must not close the Anthropic path. */
  const chainWith = (
    policies: { bedrock?: DependencyPolicy; anthropic?: DependencyPolicy } = {},
    timeoutMs = 2_000,
  ) => {
    const fallbacks: [RunbookProviderName, string][] = [];
    const chain = createRunbookChain({
      writers: [
        bedrockWriter(bedrockClient, policies.bedrock),
        anthropicWriter(anthropic, policies.anthropic),
        new BuiltinRunbookWriter(),
      ],
      catalog: createTestCatalog().catalog,
      timeoutMs,
      now: () => new Date('2025-03-01T10:00:00.000Z'),
      onFallback: (writer, reason) => fallbacks.push([writer, reason]),
    });
    const { request, incident } = requestFor();
    return { write: () => chain.write(request, { incident, evidence: request.evidence }), fallbacks };
  };

  const good = toolUse(goodRunbookInput(SCOPED_CLIENT));

  it('uses Bedrock when it answers well, and never calls Anthropic', async () => {
    bedrock.script.enqueue(good);
    const runbook = await chainWith().write();
    expect(runbook.provider).toBe('bedrock');
    expect(runbook.steps).toHaveLength(4);
    expect(anthropic.requests).toHaveLength(0);
  });

  it.each<[string, LlmReply]>([
    ['throttled (429 ThrottlingException)', bedrockError.throttling()],
    ['failing (500)', bedrockError.internal()],
    ['answering with a non-JSON body', { kind: 'raw', status: 200, body: '<html>proxy error</html>' }],
    ['answering in prose instead of the tool', { kind: 'text', text: 'I would restart the service.' }],
    ['calling the tool with garbage', toolUse({ runbook: 'restart everything' })],
    ['cut off at max_tokens', { kind: 'max_tokens', partialInput: { steps: [] } }],
  ])('falls back to Anthropic when Bedrock is %s', async (_label, reply) => {
    bedrock.script.enqueue(reply);
    anthropic.script.enqueue(good);
    const { write, fallbacks } = chainWith();

    const runbook = await write();

    expect(runbook.provider).toBe('anthropic');
    expect(bedrock.requests).toHaveLength(1);
    expect(anthropic.requests).toHaveLength(1);
    expect(fallbacks.map(([w]) => w)).toEqual(['bedrock']);
  });

  it("falls back to Anthropic when Bedrock is slower than the chain's deadline", async () => {
    bedrock.script.enqueue(slow(5_000, good));
    anthropic.script.enqueue(good);
    const { write, fallbacks } = chainWith({}, 300);
    const started = Date.now();

    const runbook = await write();

    expect(runbook.provider).toBe('anthropic');
    expect(Date.now() - started).toBeLessThan(2_000);
    expect(fallbacks[0]?.[1]).toMatch(/^timeout: /);
  });

  it('uses the built-in runbook when both providers are down', async () => {
    bedrock.script.always(bedrockError.unavailable());
    anthropic.script.always(anthropicError.overloaded());
    const { write, fallbacks } = chainWith();

    const runbook = await write();

    expect(runbook.provider).toBe('builtin');
    expect(runbook.steps.some((s) => s.kind === 'action' && s.action === 'verify_client_credentials')).toBe(
      true,
    );
    expect(fallbacks.map(([w]) => w)).toEqual(['bedrock', 'anthropic']);
  });

  it('uses the built-in runbook when both providers return invalid JSON', async () => {
    bedrock.script.enqueue({
      kind: 'raw',
      status: 200,
      body: '{"output": {"message": ',
      contentType: 'application/json',
    });
    anthropic.script.enqueue({
      kind: 'raw',
      status: 200,
      body: 'steps: verify, roll back',
      contentType: 'application/json',
    });
    const runbook = await chainWith().write();
    expect(runbook.provider).toBe('builtin');
  });

  it("skips Bedrock without calling it while its breaker is open, and Anthropic's stays closed", async () => {
    const bedrockPolicy = llmPolicy({
      breaker: { consecutiveFailures: 1, halfOpenAfterMs: 60_000, maxHalfOpenAfterMs: 60_000 },
    });
    const anthropicPolicy = llmPolicy();
    bedrock.script.always(bedrockError.internal());
    anthropic.script.always(good);
    const { write, fallbacks } = chainWith({ bedrock: bedrockPolicy, anthropic: anthropicPolicy });

    await write();
    expect(bedrockPolicy.state()).toBe('open');
    const second = await write();

    expect(second.provider).toBe('anthropic');
    expect(bedrock.requests).toHaveLength(1);
    expect(fallbacks[1]).toEqual(['bedrock', expect.stringMatching(/^dependency_unavailable: /)]);
    expect(anthropicPolicy.state()).toBe('closed');
  });
});
