import type { AgentReply, AgentToolCall } from '../core/agent/ports.js';
import { AppError } from '../errors.js';
import type { ModelReply } from './model-provider.js';

/**
 * What a model's answer means, the same for every vendor: a cut-off answer is a failure (a
 * partial tool call is never used), a forced tool that was not called is a failure, and only
 * identifier-like stop reasons are repeated in errors (the rest of the answer is untrusted).
 */

const safeStopReason = (value: string | undefined): string =>
  value !== undefined && /^[A-Za-z0-9_]{1,64}$/.test(value) ? value : 'unknown';

/** Throws when the answer stopped at the token limit; `what` names it (`runbook`, `agent answer`). */
export const assertComplete = (reply: ModelReply, what: string): void => {
  if (reply.stopReason === 'max_tokens') {
    throw new AppError(
      'dependency_failed',
      `${reply.vendor} ${what} was cut off (${reply.stopField} max_tokens)`,
    );
  }
};

/** The input of the first call to `toolName`, still untrusted. */
export const forcedToolInput = (reply: ModelReply, toolName: string): unknown => {
  const call = reply.toolCalls.find((c) => c.name === toolName);
  if (call === undefined) {
    throw new AppError(
      'dependency_failed',
      `${reply.vendor} did not call ${toolName} (${reply.stopField} ${safeStopReason(reply.stopReason)})`,
    );
  }
  return call.input;
};

/** The agent's view: tool calls (each with the id its result must echo) or a text answer. */
export const agentReplyOf = (reply: ModelReply): AgentReply => {
  const calls: AgentToolCall[] = reply.toolCalls.flatMap((c) =>
    c.id === undefined ? [] : [{ id: c.id, name: c.name, input: c.input }],
  );
  return calls.length > 0
    ? { type: 'tool_calls', text: reply.text, calls }
    : { type: 'text', text: reply.text };
};
