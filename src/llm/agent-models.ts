import type Anthropic from '@anthropic-ai/sdk';
import {
  ConverseCommand,
  type BedrockRuntimeClient,
  type ContentBlock,
  type Message,
  type ToolInputSchema,
} from '@aws-sdk/client-bedrock-runtime';
import type {
  AgentMessage,
  AgentModel,
  AgentPart,
  AgentReply,
  AgentToolCall,
  AgentTurnRequest,
} from '../core/agent/ports.js';
import { AppError } from '../errors.js';
import type { DependencyPolicy } from '../resilience/index.js';
import { DATA_CLOSE, DATA_OPEN, MAX_DATA_CHARS, MAX_TEXT_CHARS, neutralise } from './prompt.js';

/**
 * The thread agent's model adapters. Every `data` part and every tool result is untrusted (log
 * fields, Slack users' words): each string in it is neutralised and bounded (prompt.ts) and the
 * whole goes into one fenced DATA block, so the block's end is always ours (SPEC §6).
 */

/** A question or an earlier turn may be longer than a log value. */
const MAX_SAID_CHARS = 1_000;

const neutraliseDeep = (value: unknown, max: number, items: number): unknown => {
  if (typeof value === 'string') return neutralise(value, max);
  if (typeof value === 'number') return Number.isFinite(value) ? value : null;
  if (typeof value === 'boolean' || value === null || value === undefined) return value;
  if (Array.isArray(value)) return value.slice(0, items).map((v) => neutraliseDeep(v, max, items));
  if (typeof value === 'object') {
    return Object.fromEntries(
      Object.entries(value)
        .slice(0, 40)
        .map(([k, v]) => [neutralise(k, 40), neutraliseDeep(v, max, items)]),
    );
  }
  return null;
};

/** One fenced block; lists shrink until it fits MAX_DATA_CHARS. */
export const fence = (label: string, value: unknown): string => {
  const max = label === 'question' || label === 'engineer_said' ? MAX_SAID_CHARS : MAX_TEXT_CHARS;
  let json = '';
  for (const items of [20, 10, 5, 1, 0]) {
    json = JSON.stringify(neutraliseDeep(value ?? null, max, items));
    if (json.length <= MAX_DATA_CHARS) break;
  }
  return `${neutralise(label, 40)}:\n${DATA_OPEN}\n${json}\n${DATA_CLOSE}`;
};

const NO_TEXT = '(no text)';

// ---- Bedrock Converse -------------------------------------------------------------------------

type DocumentType = ToolInputSchema.JsonMember['json'];

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

export const converseMessages = (messages: readonly AgentMessage[]): Message[] =>
  messages.map((m) => ({ role: m.role, content: m.parts.map(converseBlock) }));

const replyOf = (text: string, calls: AgentToolCall[]): AgentReply =>
  calls.length > 0 ? { type: 'tool_calls', text, calls } : { type: 'text', text };

export interface BedrockAgentModelOptions {
  readonly client: BedrockRuntimeClient;
  readonly modelId: string;
  /** Its own 'llm' policy (breaker not shared with another provider). */
  readonly policy: DependencyPolicy;
}

export class BedrockAgentModel implements AgentModel {
  readonly name = 'bedrock';
  private readonly options: BedrockAgentModelOptions;

  constructor(options: BedrockAgentModelOptions) {
    this.options = options;
  }

  async next(request: AgentTurnRequest, signal: AbortSignal): Promise<AgentReply> {
    const { client, modelId, policy } = this.options;
    const command = new ConverseCommand({
      modelId,
      system: [{ text: request.system }],
      messages: converseMessages(request.messages),
      inferenceConfig: { maxTokens: request.maxTokens, temperature: 0.2 },
      toolConfig: {
        tools: request.tools.map((t) => ({
          toolSpec: {
            name: t.name,
            description: t.description,
            inputSchema: { json: toDocument(t.inputSchema) },
          },
        })),
        toolChoice: { auto: {} },
      },
    });
    const output = await policy.execute((s) => client.send(command, { abortSignal: s }), {
      idempotent: true,
      operation: 'bedrock.converse',
      signal,
    });
    if (output.stopReason === 'max_tokens') {
      throw new AppError('dependency_failed', 'bedrock agent answer was cut off (stopReason max_tokens)');
    }
    const content = output.output?.message?.content ?? [];
    const text = content.flatMap((b) => (b.text === undefined ? [] : [b.text])).join('\n');
    const calls = content.flatMap((b) =>
      b.toolUse?.toolUseId === undefined || b.toolUse.name === undefined
        ? []
        : [{ id: b.toolUse.toolUseId, name: b.toolUse.name, input: b.toolUse.input }],
    );
    return replyOf(text, calls);
  }
}

// ---- Anthropic Messages -----------------------------------------------------------------------

type AnthropicBlock = Anthropic.ContentBlockParam;

const anthropicBlock = (part: AgentPart): AnthropicBlock => {
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

export interface AnthropicAgentModelOptions {
  readonly client: Anthropic;
  readonly model: string;
  readonly policy: DependencyPolicy;
}

export class AnthropicAgentModel implements AgentModel {
  readonly name = 'anthropic';
  private readonly options: AnthropicAgentModelOptions;

  constructor(options: AnthropicAgentModelOptions) {
    this.options = options;
  }

  async next(request: AgentTurnRequest, signal: AbortSignal): Promise<AgentReply> {
    const { client, model, policy } = this.options;
    const message = await policy.execute(
      (s) =>
        client.messages.create(
          {
            model,
            max_tokens: request.maxTokens,
            system: request.system,
            messages: request.messages.map((m) => ({ role: m.role, content: m.parts.map(anthropicBlock) })),
            tools: request.tools.map((t) => ({
              name: t.name,
              description: t.description,
              input_schema: { type: 'object', ...t.inputSchema },
            })),
            tool_choice: { type: 'auto' },
          },
          { signal: s },
        ),
      { idempotent: true, operation: 'anthropic.messages.create', signal },
    );
    if (message.stop_reason === 'max_tokens') {
      throw new AppError('dependency_failed', 'anthropic agent answer was cut off (stop_reason max_tokens)');
    }
    const text = message.content.flatMap((b) => (b.type === 'text' ? [b.text] : [])).join('\n');
    const calls = message.content.flatMap((b) =>
      b.type === 'tool_use' ? [{ id: b.id, name: b.name, input: b.input }] : [],
    );
    return replyOf(text, calls);
  }
}

// ---- Fallback ---------------------------------------------------------------------------------

/** Tries each model in order; the first answer wins. A caller's abort is not a model failure. */
export class FallbackAgentModel implements AgentModel {
  readonly name: string;
  private readonly models: readonly AgentModel[];

  constructor(models: readonly AgentModel[]) {
    this.models = models;
    this.name = models.map((m) => m.name).join('>');
  }

  async next(request: AgentTurnRequest, signal: AbortSignal): Promise<AgentReply> {
    let last: unknown = new AppError('dependency_failed', 'no agent model configured');
    for (const model of this.models) {
      if (signal.aborted) break;
      try {
        return await model.next(request, signal);
      } catch (error) {
        last = error;
      }
    }
    throw last;
  }
}
