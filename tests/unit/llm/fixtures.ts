import { openIncident } from '../../helpers/incident-fixture.js';
import { createEventBus } from '../../../src/core/events/bus.js';
import type { Evidence } from '../../../src/core/detection/model.js';
import { actionSpecs } from '../../../src/core/actions/catalog.js';
import type { Incident, Severity } from '../../../src/core/incidents/model.js';
import type { RunbookRequest } from '../../../src/core/runbooks/model.js';
import { AnthropicMessagesProvider } from '../../../src/llm/anthropic-messages-provider.js';
import { BedrockConverseProvider } from '../../../src/llm/bedrock-converse-provider.js';
import { createAnthropicClient, createBedrockClient } from '../../../src/llm/llm-clients.js';
import { LlmRunbookWriter } from '../../../src/llm/llm-runbook-writer.js';
import { DATA_CLOSE, DATA_OPEN } from '../../../src/llm/prompt.js';
import {
  createDependencyPolicy,
  type DependencyPolicy,
  type PolicySettings,
} from '../../../src/resilience/index.js';
import type { FakeAnthropic, FakeBedrock } from '@auth0-oncall/fakes/llm';
import { createTestCatalog } from './test-catalog.js';

export const SCOPED_CLIENT = 'AbCdEf123456';
export const OFFICE_IP = '203.0.113.7';
export const MODEL_ID = 'us.anthropic.claude-sonnet-4-5-20250929-v1:0';
const T0 = '2025-03-01T10:00:00.000Z';

export const baseEvidence = (overrides: Partial<Evidence> = {}): Evidence => ({
  window: { from: '2025-03-01T09:55:00.000Z', to: T0, minutes: 5 },
  failures: 42,
  successes: 3,
  ratio: 0.933,
  rate: 8.4,
  baseline: 0.2,
  topClients: [{ value: SCOPED_CLIENT, count: 42 }],
  topIps: [{ value: OFFICE_IP, count: 40 }],
  suspects: [
    {
      at: '2025-03-01T09:54:00.000Z',
      kind: 'tenant_change',
      who: 'dashboard-admin',
      what: `PATCH /api/v2/clients/${SCOPED_CLIENT}`,
      expected: false,
    },
  ],
  ...overrides,
});

export interface RequestSpec {
  /** A DetectionSignal, or any string to test an unknown one. */
  readonly signal?: string;
  readonly scope?: string;
  readonly severity?: Severity;
  readonly title?: string;
  readonly evidence?: Evidence;
}

/** A request offering the whole test catalog, and the incident record its checks see. */
/** The tenant every fixture request is about. */
export const TENANT_DOMAIN = 'acme.eu.auth0.com';

export const requestFor = (spec: RequestSpec = {}): { request: RunbookRequest; incident: Incident } => {
  const incident: Incident = openIncident({
    signal: spec.signal ?? 'm2m_token_failures',
    scope: spec.scope ?? `client:${SCOPED_CLIENT}`,
    severity: spec.severity ?? 'high',
    title: spec.title ?? `M2M token failures for client ${SCOPED_CLIENT} after a secret change`,
    openedAt: T0,
    updatedAt: T0,
  });
  const request: RunbookRequest = {
    incident: {
      id: incident.id,
      signal: incident.signal,
      scope: incident.scope,
      severity: incident.severity,
      title: incident.title,
    },
    evidence: spec.evidence ?? baseEvidence(),
    actions: actionSpecs(createTestCatalog().catalog),
    tenant: { domain: TENANT_DOMAIN },
  };
  return { request, incident };
};

const testPolicySettings: PolicySettings = {
  timeoutMs: 5_000,
  retry: { maxAttempts: 1, initialDelayMs: 10, maxDelayMs: 100 },
  breaker: { consecutiveFailures: 3, halfOpenAfterMs: 60_000, maxHalfOpenAfterMs: 60_000 },
};

export const llmPolicy = (overrides: Partial<PolicySettings> = {}): DependencyPolicy =>
  createDependencyPolicy({
    dependency: 'llm',
    ...testPolicySettings,
    ...overrides,
    events: createEventBus(),
  });

/** Aimed at the fake only: its endpoint, static credentials, a region. */
export const bedrockClientFor = (fake: FakeBedrock) =>
  createBedrockClient({
    region: 'us-east-1',
    endpoint: fake.endpoint,
    credentials: { accessKeyId: 'AKIDFAKEFAKEFAKE', secretAccessKey: 'fake-secret-access-key' },
  });

export const anthropicClientFor = (fake: FakeAnthropic) =>
  createAnthropicClient({ apiKey: 'sk-ant-fake-key', baseURL: fake.baseURL });

export const ANTHROPIC_MODEL = 'claude-sonnet-4-6';

/** A runbook writer over Bedrock Converse with its own policy, as wiring builds it. */
export const bedrockWriter = (client: ReturnType<typeof bedrockClientFor>, policy = llmPolicy()) =>
  new LlmRunbookWriter({ provider: new BedrockConverseProvider({ client, modelId: MODEL_ID, policy }) });

/** A runbook writer over the Anthropic Messages API with its own policy, as wiring builds it. */
export const anthropicWriter = (fake: FakeAnthropic, policy = llmPolicy()) =>
  new LlmRunbookWriter({
    provider: new AnthropicMessagesProvider({
      client: anthropicClientFor(fake),
      model: ANTHROPIC_MODEL,
      policy,
    }),
  });

/** The text between the user prompt's first DATA_OPEN and DATA_CLOSE, and everything outside. */
export const splitData = (user: string): { inside: string; outside: string } => {
  const open = user.indexOf(DATA_OPEN);
  const close = user.indexOf(DATA_CLOSE);
  if (open < 0 || close < open) return { inside: '', outside: user };
  return {
    inside: user.slice(open + DATA_OPEN.length, close),
    outside: user.slice(0, open) + user.slice(close + DATA_CLOSE.length),
  };
};
