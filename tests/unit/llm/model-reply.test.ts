import { describe, expect, it } from 'vitest';
import { AppError } from '../../../src/errors.js';
import type { ModelReply } from '../../../src/llm/model-provider.js';
import { agentReplyOf, assertComplete, forcedToolInput } from '../../../src/llm/model-reply.js';

const reply = (overrides: Partial<ModelReply> = {}): ModelReply => ({
  vendor: 'bedrock',
  stopField: 'stopReason',
  stopReason: 'tool_use',
  text: '',
  toolCalls: [],
  ...overrides,
});

const failureOf = (fn: () => unknown): AppError => {
  try {
    fn();
  } catch (error) {
    if (error instanceof AppError) return error;
    throw error;
  }
  throw new Error('expected a failure');
};

describe('reading a model reply, the same for every vendor', () => {
  it('refuses an answer cut off at max_tokens, naming the vendor and its own field', () => {
    const bedrock = failureOf(() => {
      assertComplete(reply({ stopReason: 'max_tokens' }), 'runbook');
    });
    expect(bedrock.code).toBe('dependency_failed');
    expect(bedrock.message).toBe('bedrock runbook was cut off (stopReason max_tokens)');
    const anthropic = failureOf(() => {
      assertComplete(
        reply({ vendor: 'anthropic', stopField: 'stop_reason', stopReason: 'max_tokens' }),
        'agent answer',
      );
    });
    expect(anthropic.message).toBe('anthropic agent answer was cut off (stop_reason max_tokens)');
    expect(() => {
      assertComplete(reply({ stopReason: 'end_turn' }), 'runbook');
    }).not.toThrow();
  });

  it('returns the forced tool input untouched, or fails without repeating an unreadable stop reason', () => {
    const input = { steps: [] };
    const calls = [
      { id: 'tu_1', name: 'other', input: 1 },
      { id: undefined, name: 'emit_runbook', input },
    ];
    expect(forcedToolInput(reply({ toolCalls: calls }), 'emit_runbook')).toBe(input);
    expect(failureOf(() => forcedToolInput(reply({ stopReason: 'end_turn' }), 'emit_runbook')).message).toBe(
      'bedrock did not call emit_runbook (stopReason end_turn)',
    );
    expect(
      failureOf(() => forcedToolInput(reply({ stopReason: 'IGNORE <rules>' }), 'emit_runbook')).message,
    ).toBe('bedrock did not call emit_runbook (stopReason unknown)');
  });

  it('gives the agent only tool calls it can answer (with an id), else the text', () => {
    expect(agentReplyOf(reply({ text: 'Two failures.', toolCalls: [] }))).toEqual({
      type: 'text',
      text: 'Two failures.',
    });
    expect(
      agentReplyOf(
        reply({
          text: 'Looking.',
          toolCalls: [
            { id: undefined, name: 'recent_logs', input: {} },
            { id: 'tu_2', name: 'signing_keys', input: {} },
          ],
        }),
      ),
    ).toEqual({
      type: 'tool_calls',
      text: 'Looking.',
      calls: [{ id: 'tu_2', name: 'signing_keys', input: {} }],
    });
    expect(agentReplyOf(reply({ toolCalls: [{ id: undefined, name: 'recent_logs', input: {} }] }))).toEqual({
      type: 'text',
      text: '',
    });
  });
});
