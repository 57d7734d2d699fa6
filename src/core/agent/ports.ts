import type { IsoTimestamp } from '../audit/ports.js';
import type { ThreadTurn } from './model.js';
/**
 * The thread agent's provider-neutral model port. Parts of kind `data` and every tool result are
 * untrusted (log fields, a Slack user's words): the adapter fences and neutralises them before
 * they reach a model; `text` parts are ours.
 */
export type AgentPart =
  | { readonly type: 'text'; readonly text: string }
  | { readonly type: 'data'; readonly label: string; readonly value: unknown }
  | { readonly type: 'tool_call'; readonly id: string; readonly name: string; readonly input: unknown }
  | {
      readonly type: 'tool_result';
      readonly id: string;
      readonly value: unknown;
      readonly isError: boolean;
    };

export interface AgentMessage {
  readonly role: 'user' | 'assistant';
  readonly parts: readonly AgentPart[];
}

export interface AgentToolSpec {
  readonly name: string;
  readonly description: string;
  /** JSON Schema of the input (an object). */
  readonly inputSchema: Readonly<Record<string, unknown>>;
}

export interface AgentToolCall {
  readonly id: string;
  readonly name: string;
  /** As the model wrote it: untrusted until the tool's zod schema accepts it. */
  readonly input: unknown;
}

export type AgentReply =
  | { readonly type: 'text'; readonly text: string }
  | { readonly type: 'tool_calls'; readonly text: string; readonly calls: readonly AgentToolCall[] };

export interface AgentTurnRequest {
  readonly system: string;
  readonly messages: readonly AgentMessage[];
  readonly tools: readonly AgentToolSpec[];
  readonly maxTokens: number;
}

export interface AgentModel {
  readonly name: string;
  next(request: AgentTurnRequest, signal: AbortSignal): Promise<AgentReply>;
}

/** The agent's memory of incident threads, and which Slack events were already answered. */
export interface NewThreadMessage {
  readonly incidentId: string;
  readonly threadTs: string;
  readonly role: 'user' | 'assistant';
  readonly text: string;
  readonly at: IsoTimestamp;
  /** The Slack message behind a user turn; a second append with the same one is ignored. */
  readonly eventId?: string;
}

export interface ThreadStore {
  /** False when a message with the same eventId is already stored. */
  append(message: NewThreadMessage): boolean;
  /** Oldest first, at most `limit` (the newest ones). */
  history(incidentId: string, threadTs: string, limit?: number): ThreadTurn[];
  /** True exactly once per key, across restarts. */
  claimEvent(eventKey: string, at: IsoTimestamp): boolean;
}
