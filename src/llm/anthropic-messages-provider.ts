import type Anthropic from '@anthropic-ai/sdk';
import type { AgentPart, AgentTurnRequest } from '../core/agent/ports.js';
import type { DependencyPolicy } from '../resilience/index.js';
import { fence, NO_TEXT } from './fence.js';
import type { LazyAnthropicClient } from './llm-clients.js';
import type { ForcedToolRequest, ModelProvider, ModelReply, ModelTool } from './model-provider.js';

export interface AnthropicMessagesProviderOptions {
  /**
   * Built once by `createAnthropicClient` (maxRetries 0); may be shared with another provider.
   * Loaded inside the policy, so an SDK that fails to load fails the call like any other error.
   */
  readonly client: LazyAnthropicClient;
  /** e.g. `claude-sonnet-4-5`; kept in configuration, never hard-coded. */
  readonly model: string;
  /** This provider's own 'llm' policy: its breaker is shared with no other provider. */
  readonly policy: DependencyPolicy;
}

const toolOf = (tool: ModelTool): Anthropic.Tool => ({
  name: tool.name,
  description: tool.description,
  input_schema: { type: 'object', ...tool.inputSchema },
});

const anthropicBlock = (part: AgentPart): Anthropic.ContentBlockParam => {
  switch (part.type) {
    case 'text':
      return { type: 'text', text: part.text === '' ? NO_TEXT : part.text };
    case 'data':
      return { type: 'text', text: fence(part.label, part.value) };
    case 'tool_call':
      return { type: 'tool_use', id: part.id, name: part.name, input: part.input ?? {} };
    case 'tool_result':
      return {
        type: 'tool_result',
        tool_use_id: part.id,
        content: fence('tool_result', part.value),
        is_error: part.isError,
      };
  }
};

const replyOf = (message: Anthropic.Message): ModelReply => ({
  vendor: 'anthropic',
  stopField: 'stop_reason',
  stopReason: message.stop_reason ?? undefined,
  text: message.content.flatMap((b) => (b.type === 'text' ? [b.text] : [])).join('\n'),
  toolCalls: message.content.flatMap((b) =>
    b.type === 'tool_use' ? [{ id: b.id, name: b.name, input: b.input }] : [],
  ),
});

/** Claude through the Anthropic Messages API. */
export class AnthropicMessagesProvider implements ModelProvider {
  readonly vendor = 'anthropic' as const;
  private readonly options: AnthropicMessagesProviderOptions;

  constructor(options: AnthropicMessagesProviderOptions) {
    this.options = options;
  }

  forceTool(request: ForcedToolRequest, signal: AbortSignal): Promise<ModelReply> {
    return this.create(
      {
        max_tokens: request.maxTokens,
        system: request.system,
        messages: [{ role: 'user', content: request.user }],
        tools: [toolOf(request.tool)],
        tool_choice: { type: 'tool', name: request.tool.name },
      },
      signal,
    );
  }

  agentTurn(request: AgentTurnRequest, signal: AbortSignal): Promise<ModelReply> {
    return this.create(
      {
        max_tokens: request.maxTokens,
        system: request.system,
        messages: request.messages.map((m) => ({ role: m.role, content: m.parts.map(anthropicBlock) })),
        tools: request.tools.map(toolOf),
        tool_choice: { type: 'auto' },
      },
      signal,
    );
  }

  private async create(
    body: Omit<Anthropic.MessageCreateParamsNonStreaming, 'model'>,
    signal: AbortSignal,
  ): Promise<ModelReply> {
    const { client, model, policy } = this.options;
    const message = await policy.execute(
      async (attemptSignal) => {
        const { client: anthropic } = await client.load();
        return anthropic.messages.create({ model, ...body }, { signal: attemptSignal });
      },
      { idempotent: true, operation: 'anthropic.messages.create', signal },
    );
    return replyOf(message);
  }
}
