import type {
  ContentBlock,
  ConverseCommandInput,
  ConverseCommandOutput,
  Message,
  Tool,
  ToolInputSchema,
} from '@aws-sdk/client-bedrock-runtime';
import type { AgentMessage, AgentPart, AgentTurnRequest } from '../core/agent/ports.js';
import type { DependencyPolicy } from '../resilience/index.js';
import { fence, NO_TEXT } from './fence.js';
import type { LazyBedrockClient } from './llm-clients.js';
import type { ForcedToolRequest, ModelProvider, ModelReply, ModelTool } from './model-provider.js';

export interface BedrockConverseProviderOptions {
  /**
   * Built once by `createBedrockClient` (maxAttempts 1); may be shared with another provider.
   * Loaded inside the policy, so an SDK that fails to load fails the call like any other error.
   */
  readonly client: LazyBedrockClient;
  /** `BEDROCK_MODEL_ID`: an inference profile ID or ARN for Claude 4 models. */
  readonly modelId: string;
  /** This provider's own 'llm' policy: its breaker is shared with no other provider. */
  readonly policy: DependencyPolicy;
}

/** Low: runbooks and thread answers are about facts, not style. */
const TEMPERATURE = 0.2;

/** The SDK's JSON document type (@smithy/types is not a direct dependency). */
type DocumentType = ToolInputSchema.JsonMember['json'];

/** JSON-safe values only: the SDK's document type, without a cast. */
const toDocument = (value: unknown): DocumentType => {
  if (value === null || typeof value === 'string' || typeof value === 'boolean') return value;
  if (typeof value === 'number') return Number.isFinite(value) ? value : null;
  if (Array.isArray(value)) return value.map(toDocument);
  if (typeof value === 'object') {
    return Object.fromEntries(
      Object.entries(value)
        .filter(([, v]) => v !== undefined)
        .map(([k, v]) => [k, toDocument(v)]),
    );
  }
  return null;
};

const toolOf = (tool: ModelTool): Tool => ({
  toolSpec: {
    name: tool.name,
    description: tool.description,
    inputSchema: { json: toDocument(tool.inputSchema) },
  },
});

const converseBlock = (part: AgentPart): ContentBlock => {
  switch (part.type) {
    case 'text':
      return { text: part.text === '' ? NO_TEXT : part.text };
    case 'data':
      return { text: fence(part.label, part.value) };
    case 'tool_call':
      return { toolUse: { toolUseId: part.id, name: part.name, input: toDocument(part.input ?? {}) } };
    case 'tool_result':
      return {
        toolResult: {
          toolUseId: part.id,
          status: part.isError ? 'error' : 'success',
          content: [{ text: fence('tool_result', part.value) }],
        },
      };
  }
};

const converseMessages = (messages: readonly AgentMessage[]): Message[] =>
  messages.map((m) => ({ role: m.role, content: m.parts.map(converseBlock) }));

const replyOf = (output: ConverseCommandOutput): ModelReply => {
  const content = output.output?.message?.content ?? [];
  return {
    vendor: 'bedrock',
    stopField: 'stopReason',
    stopReason: output.stopReason,
    text: content.flatMap((b) => (b.text === undefined ? [] : [b.text])).join('\n'),
    toolCalls: content.flatMap((b) =>
      b.toolUse?.name === undefined
        ? []
        : [{ id: b.toolUse.toolUseId, name: b.toolUse.name, input: b.toolUse.input }],
    ),
  };
};

/** Claude on Amazon Bedrock through the Converse API. */
export class BedrockConverseProvider implements ModelProvider {
  readonly vendor = 'bedrock' as const;
  private readonly options: BedrockConverseProviderOptions;

  constructor(options: BedrockConverseProviderOptions) {
    this.options = options;
  }

  forceTool(request: ForcedToolRequest, signal: AbortSignal): Promise<ModelReply> {
    return this.converse(
      {
        system: [{ text: request.system }],
        messages: [{ role: 'user', content: [{ text: request.user }] }],
        inferenceConfig: { maxTokens: request.maxTokens, temperature: TEMPERATURE },
        toolConfig: { tools: [toolOf(request.tool)], toolChoice: { tool: { name: request.tool.name } } },
      },
      signal,
    );
  }

  agentTurn(request: AgentTurnRequest, signal: AbortSignal): Promise<ModelReply> {
    return this.converse(
      {
        system: [{ text: request.system }],
        messages: converseMessages(request.messages),
        inferenceConfig: { maxTokens: request.maxTokens, temperature: TEMPERATURE },
        toolConfig: { tools: request.tools.map(toolOf), toolChoice: { auto: {} } },
      },
      signal,
    );
  }

  private async converse(
    input: Omit<ConverseCommandInput, 'modelId'>,
    signal: AbortSignal,
  ): Promise<ModelReply> {
    const { client, modelId, policy } = this.options;
    const output = await policy.execute(
      async (attemptSignal) => {
        const { sdk, client: bedrock } = await client.load();
        return bedrock.send(new sdk.ConverseCommand({ modelId, ...input }), { abortSignal: attemptSignal });
      },
      {
        idempotent: true,
        operation: 'bedrock.converse',
        signal,
      },
    );
    return replyOf(output);
  }
}
