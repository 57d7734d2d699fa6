import { Writable } from 'node:stream';
import { Registry } from 'prom-client';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { loadConfig } from '../../../src/config.js';
import type { AuditEntry, AuditLog, NewAuditEntry } from '../../../src/core/audit/ports.js';
import { createEventBus } from '../../../src/core/events/bus.js';
import { createLogger } from '../../../src/logger.js';
import { createResilienceMetrics } from '../../../src/metrics/resilience-metrics.js';
import { createProviders } from '../../../src/wiring/providers.js';
import { bedrockError, FakeAnthropic, FakeBedrock, goodRunbookInput, toolUse } from '@auth0-oncall/fakes/llm';
import { validEnv } from '../../helpers/env.js';
import { requestFor, SCOPED_CLIENT } from '../llm/fixtures.js';

/** Keeps what is appended; nothing here reads it back but the test. */
class MemoryAudit implements AuditLog {
  readonly entries: AuditEntry[] = [];
  append(entry: NewAuditEntry): AuditEntry {
    const stored: AuditEntry = {
      id: this.entries.length + 1,
      incidentId: null,
      stepId: null,
      idempotencyKey: null,
      durationMs: null,
      detail: {},
      ...entry,
    };
    this.entries.push(stored);
    return stored;
  }
  latest(limit: number): AuditEntry[] {
    return this.entries.slice(-limit).reverse();
  }
  forIncident(incidentId: string): AuditEntry[] {
    return this.entries.filter((e) => e.incidentId === incidentId);
  }
}

const silent = () =>
  createLogger(
    { level: 'silent' },
    new Writable({
      write(_c, _e, cb) {
        cb();
      },
    }),
  );

describe('createProviders', () => {
  let bedrock: FakeBedrock;
  let anthropic: FakeAnthropic;
  beforeAll(async () => {
    vi.stubEnv('AWS_BEARER_TOKEN_BEDROCK', undefined);
    [bedrock, anthropic] = await Promise.all([FakeBedrock.start(), FakeAnthropic.start()]);
  });
  afterEach(() => {
    for (const fake of [bedrock, anthropic]) {
      fake.script.reset();
      fake.requests.length = 0;
    }
  });
  afterAll(async () => {
    await Promise.all([bedrock.close(), anthropic.close()]);
    vi.unstubAllEnvs();
  });

  const providers = (env: Record<string, string>) =>
    createProviders({
      config: loadConfig(validEnv(env)),
      health: createEventBus(),
      resilienceMetrics: createResilienceMetrics(new Registry()),
      logger: silent(),
      audit: new MemoryAudit(),
      now: () => new Date('2025-03-01T10:00:00.000Z'),
      awsCredentials: { accessKeyId: 'AKIDFAKEFAKEFAKE', secretAccessKey: 'fake-secret-access-key' },
    });
  const bothVendors = () =>
    providers({
      AWS_REGION: 'us-east-1',
      AWS_ENDPOINT_URL_BEDROCK_RUNTIME: bedrock.endpoint,
      BEDROCK_MODEL_ID: 'us.anthropic.claude-sonnet-4-6',
      ANTHROPIC_API_KEY: 'sk-ant-fake-key',
      ANTHROPIC_BASE_URL: anthropic.baseURL,
    });

  it('gives the runbook writer and the agent their own breaker for each vendor', () => {
    const { writers, agentModel, llmPolicies } = bothVendors();

    expect(llmPolicies.map((p) => p.name)).toEqual([
      'Agent (Bedrock)',
      'Runbooks (Bedrock)',
      'Agent (Anthropic)',
      'Runbooks (Anthropic)',
    ]);
    expect(new Set(llmPolicies.map((p) => p.policy)).size).toBe(4);
    expect(writers.map((w) => w.name)).toEqual(['bedrock', 'anthropic', 'builtin']);
    expect(agentModel?.name).toBe('bedrock>anthropic');
  });

  it('has no model breaker and no agent when no model is configured', () => {
    const { writers, agentModel, llmPolicies } = providers({});
    expect(llmPolicies).toEqual([]);
    expect(writers.map((w) => w.name)).toEqual(['builtin']);
    expect(agentModel).toBeUndefined();
  });

  it("keeps writing runbooks with Bedrock after Bedrock failures opened the agent's breaker", async () => {
    const { writers, agentModel, llmPolicies } = providers({
      AWS_REGION: 'us-east-1',
      AWS_ENDPOINT_URL_BEDROCK_RUNTIME: bedrock.endpoint,
      BEDROCK_MODEL_ID: 'us.anthropic.claude-sonnet-4-6',
    });
    const breaker = (name: string) => llmPolicies.find((p) => p.name === name)?.policy;
    bedrock.script.always(bedrockError.internal());
    const question = {
      system: 'You answer in incident threads.',
      maxTokens: 256,
      tools: [],
      messages: [{ role: 'user' as const, parts: [{ type: 'text' as const, text: 'Why?' }] }],
    };
    for (let i = 0; i < 3 && breaker('Agent (Bedrock)')?.state() !== 'open'; i += 1) {
      await expect(agentModel?.next(question, new AbortController().signal)).rejects.toThrow();
    }
    expect(breaker('Agent (Bedrock)')?.state()).toBe('open');
    expect(breaker('Runbooks (Bedrock)')?.state()).toBe('closed');

    bedrock.script.reset();
    bedrock.script.enqueue(toolUse(goodRunbookInput(SCOPED_CLIENT)));
    const sentBefore = bedrock.requests.length;
    const output = await writers[0]?.write(requestFor().request, new AbortController().signal);

    expect(output).toEqual(goodRunbookInput(SCOPED_CLIENT));
    expect(bedrock.requests.length).toBe(sentBefore + 1);
  });
});
