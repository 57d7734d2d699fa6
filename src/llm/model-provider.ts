import type { AgentToolCall, AgentTurnRequest } from '../core/agent/ports.js';
import type { RunbookProviderName } from '../core/runbooks/model.js';

/** The vendors a model provider speaks to; also the runbook's `provider` and the agent's name. */
export type ModelVendor = Exclude<RunbookProviderName, 'builtin'>;

/** A tool offered to the model. Its input schema is JSON Schema for an object. */
export interface ModelTool {
  readonly name: string;
  readonly description: string;
  readonly inputSchema: Readonly<Record<string, unknown>>;
}

/** One question the model must answer by calling `tool` (structured output through tool use). */
export interface ForcedToolRequest {
  readonly system: string;
  /** Ours around a fenced DATA block: the caller has already neutralised what is untrusted. */
  readonly user: string;
  readonly tool: ModelTool;
  readonly maxTokens: number;
}

/** A tool call as the model wrote it: its input is untrusted. Bedrock may omit the id. */
interface ModelToolCall extends Omit<AgentToolCall, 'id'> {
  readonly id: string | undefined;
}

/** One answer, read off either vendor's wire format; its interpretation is model-reply.ts's. */
export interface ModelReply {
  readonly vendor: ModelVendor;
  /** How the vendor names the stop reason on the wire (`stopReason`, `stop_reason`), for errors. */
  readonly stopField: string;
  /** As the vendor sent it: untrusted text, repeated only through `safeStopReason`. */
  readonly stopReason: string | undefined;
  /** The text blocks, in order, joined by line breaks. */
  readonly text: string;
  readonly toolCalls: readonly ModelToolCall[];
}

/**
 * One vendor's model behind one breaker: it holds the SDK client (built in wiring/ and passed
 * in), the model id and a `DependencyPolicy`, and offers the two calls the runbook writer and the
 * thread agent need. Every call goes through the policy with the caller's signal.
 */
export interface ModelProvider {
  readonly vendor: ModelVendor;
  /** The model must answer by calling `request.tool` (tool choice forced). */
  forceTool(request: ForcedToolRequest, signal: AbortSignal): Promise<ModelReply>;
  /** One agent turn: the model answers in text or calls any of the offered tools (tool choice auto). */
  agentTurn(request: AgentTurnRequest, signal: AbortSignal): Promise<ModelReply>;
}
