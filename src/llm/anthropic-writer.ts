import type Anthropic from '@anthropic-ai/sdk';
import type { RunbookRequest, RunbookWriter } from '../core/runbooks/model.js';
import { AppError } from '../errors.js';
import type { DependencyPolicy } from '../resilience/index.js';
import { buildRunbookPrompt } from './prompt.js';
import { RUNBOOK_TOOL_DESCRIPTION, RUNBOOK_TOOL_NAME, runbookInputSchema } from './runbook-schema.js';

export interface AnthropicRunbookWriterOptions {
  /** Built by `createAnthropicClient` (maxRetries 0). */
  readonly client: Anthropic;
  /** e.g. `claude-sonnet-4-5`; kept in configuration, never hard-coded. */
  readonly model: string;
  /** This writer's own 'llm' policy: its breaker must not be shared with another provider. */
  readonly policy: DependencyPolicy;
  readonly maxTokens?: number;
}

const safe = (value: string | null): string =>
  value !== null && /^[A-Za-z0-9_]{1,64}$/.test(value) ? value : 'unknown';

/** Claude through the Anthropic Messages API, forced to call `emit_runbook`. */
export class AnthropicRunbookWriter implements RunbookWriter {
  readonly name = 'anthropic' as const;
  private readonly options: AnthropicRunbookWriterOptions;

  constructor(options: AnthropicRunbookWriterOptions) {
    this.options = options;
  }

  async write(request: RunbookRequest, signal: AbortSignal): Promise<unknown> {
    const { client, model, policy } = this.options;
    const prompt = buildRunbookPrompt(request);
    const message = await policy.execute(
      (attemptSignal) =>
        client.messages.create(
          {
            model,
            max_tokens: this.options.maxTokens ?? 4096,
            system: prompt.system,
            messages: [{ role: 'user', content: prompt.user }],
            tools: [
              {
                name: RUNBOOK_TOOL_NAME,
                description: RUNBOOK_TOOL_DESCRIPTION,
                input_schema: { type: 'object', ...runbookInputSchema(request.actions) },
              },
            ],
            tool_choice: { type: 'tool', name: RUNBOOK_TOOL_NAME },
          },
          { signal: attemptSignal },
        ),
      { idempotent: true, operation: 'anthropic.messages.create', signal },
    );
    if (message.stop_reason === 'max_tokens') {
      throw new AppError('dependency_failed', 'anthropic runbook was cut off (stop_reason max_tokens)');
    }
    for (const block of message.content) {
      if (block.type === 'tool_use' && block.name === RUNBOOK_TOOL_NAME) return block.input;
    }
    throw new AppError(
      'dependency_failed',
      `anthropic did not call ${RUNBOOK_TOOL_NAME} (stop_reason ${safe(message.stop_reason)})`,
    );
  }
}
