import type { Config } from '../config.js';
import type { Logger } from '../logger.js';
import { SecretsManagerSecretStore } from '../aws/secrets-manager-secret-store.js';
import { createSecretsManagerClient } from '../aws/secrets-client.js';
import { credentialSecretStore } from '../core/secrets/credential-value.js';
import type { SecretStore } from '../core/secrets/ports.js';
import type { AgentModel } from '../core/agent/ports.js';
import type { AuditLog } from '../core/audit/ports.js';
import type { ModelProbe } from '../core/doctor/ports.js';
import type { HealthEventSink } from '../core/events/health-events.js';
import type { PostmortemWriter } from '../core/postmortem/model.js';
import type { RunbookWriter } from '../core/runbooks/model.js';
import { AnthropicMessagesProvider } from '../llm/anthropic-messages-provider.js';
import { BedrockConverseProvider } from '../llm/bedrock-converse-provider.js';
import { BuiltinRunbookWriter } from '../llm/builtin/builtin-runbook-writer.js';
import { FallbackAgentModel } from '../llm/fallback-agent-model.js';
import { LlmAgentModel } from '../llm/llm-agent-model.js';
import { createAnthropicClient, createBedrockClient } from '../llm/llm-clients.js';
import { LlmPostmortemWriter } from '../llm/llm-postmortem-writer.js';
import { LlmRunbookWriter } from '../llm/llm-runbook-writer.js';
import { anthropicKeyProbe, bedrockModelProbe } from '../llm/model-probes.js';
import {
  createDependencyPolicy,
  defaultPolicyOptions,
  type DependencyPolicy,
  type ResilienceMetrics,
} from '../resilience/index.js';

export interface Providers {
  /** Secrets Manager, when rotation targets are configured. */
  readonly secrets: SecretStore | undefined;
  readonly secretsPolicy: DependencyPolicy | undefined;
  /** Runbook writers in order, the built-in last. */
  readonly writers: readonly RunbookWriter[];
  /** Postmortem narrative writers in order (models only: the template is the postmortem's own fallback). */
  readonly postmortemWriters: readonly PostmortemWriter[];
  /** The thread agent's model; undefined when no model is configured. */
  readonly agentModel: AgentModel | undefined;
  /** One cheap call per configured model, for the setup doctor. */
  readonly modelProbes: readonly ModelProbe[];
  /** Every model breaker, named for the App Home's health section. */
  readonly llmPolicies: ReadonlyArray<{ name: string; policy: DependencyPolicy }>;
}

/**
 * AWS and model clients from config, each behind its own breaker: a Bedrock outage must not close
 * the Anthropic fallback, and the agent's calls do not share a breaker with the runbook writers'.
 */
export const createProviders = (deps: {
  readonly config: Config;
  readonly health: HealthEventSink;
  readonly resilienceMetrics: ResilienceMetrics;
  readonly logger: Logger;
  readonly audit: AuditLog;
  readonly now: () => Date;
  readonly awsCredentials?: { readonly accessKeyId: string; readonly secretAccessKey: string };
}): Providers => {
  const { config, health, resilienceMetrics, logger, audit, now } = deps;
  const policyFor = (dependency: 'secrets_manager' | 'llm', timeoutMs?: number) =>
    createDependencyPolicy({
      ...defaultPolicyOptions[dependency],
      ...(timeoutMs ? { timeoutMs } : {}),
      dependency,
      events: health,
      metrics: resilienceMetrics,
      logger,
      audit,
      now,
    });
  const credentials = deps.awsCredentials ? { credentials: deps.awsCredentials } : {};
  // Kept for the App Home's health section (created only when the dependency is configured).
  let secretsPolicy: DependencyPolicy | undefined;
  const llmPolicies: Array<{ name: string; policy: DependencyPolicy }> = [];
  const llmPolicy = (name: string) => {
    const policy = policyFor('llm', 40_000);
    llmPolicies.push({ name, policy });
    return policy;
  };
  // Rotation targets' values may be bare or JSON; everything above this reads the credential alone.
  const secrets =
    config.rotation.targets.length > 0 && config.aws.region
      ? credentialSecretStore(
          new SecretsManagerSecretStore({
            client: createSecretsManagerClient({
              region: config.aws.region,
              ...(config.aws.secretsManagerEndpoint ? { endpoint: config.aws.secretsManagerEndpoint } : {}),
              ...credentials,
            }),
            policy: (secretsPolicy = policyFor('secrets_manager')),
          }),
          config.rotation.targets,
        )
      : undefined;
  // Model timeouts are below the runbook chain's, so the chain's deadline never counts against a breaker.
  const writers: RunbookWriter[] = [];
  // Postmortems are rare and asked for by hand: they share the runbook writer's provider and breaker.
  const postmortemWriters: PostmortemWriter[] = [];
  // The thread agent uses the same vendors: one client per vendor, but one provider (and so one
  // breaker) per user, so a burst of agent questions cannot open the runbook writer's breaker.
  const agentModels: AgentModel[] = [];
  const modelProbes: ModelProbe[] = [];
  if (config.llm.bedrockModelId && config.aws.region) {
    const client = createBedrockClient({
      region: config.aws.region,
      ...(config.aws.bedrockRuntimeEndpoint ? { endpoint: config.aws.bedrockRuntimeEndpoint } : {}),
      ...credentials,
    });
    const modelId = config.llm.bedrockModelId;
    modelProbes.push(bedrockModelProbe(client, modelId));
    const bedrock = (name: string) =>
      new BedrockConverseProvider({ client, modelId, policy: llmPolicy(name) });
    agentModels.push(new LlmAgentModel({ provider: bedrock('Agent (Bedrock)') }));
    const runbooks = bedrock('Runbooks (Bedrock)');
    writers.push(new LlmRunbookWriter({ provider: runbooks }));
    postmortemWriters.push(new LlmPostmortemWriter({ provider: runbooks }));
  }
  if (config.llm.anthropicApiKey) {
    const client = createAnthropicClient({
      apiKey: config.llm.anthropicApiKey,
      ...(config.llm.anthropicBaseUrl ? { baseURL: config.llm.anthropicBaseUrl } : {}),
    });
    const model = config.llm.anthropicModel;
    modelProbes.push(anthropicKeyProbe(client, model));
    const anthropic = (name: string) =>
      new AnthropicMessagesProvider({ client, model, policy: llmPolicy(name) });
    agentModels.push(new LlmAgentModel({ provider: anthropic('Agent (Anthropic)') }));
    const runbooks = anthropic('Runbooks (Anthropic)');
    writers.push(new LlmRunbookWriter({ provider: runbooks }));
    postmortemWriters.push(new LlmPostmortemWriter({ provider: runbooks }));
  }
  writers.push(new BuiltinRunbookWriter());
  return {
    secrets,
    secretsPolicy,
    writers,
    postmortemWriters,
    agentModel: agentModels.length === 0 ? undefined : new FallbackAgentModel(agentModels),
    llmPolicies,
    modelProbes,
  };
};
