import type { RunbookRequest, RunbookWriter } from '../core/runbooks/model.js';
import type { ModelProvider, ModelVendor } from './model-provider.js';
import { assertComplete, forcedToolInput } from './model-reply.js';
import { buildRunbookPrompt } from './prompt.js';
import { RUNBOOK_TOOL_DESCRIPTION, RUNBOOK_TOOL_NAME, runbookInputSchema } from './runbook-schema.js';

export interface LlmRunbookWriterOptions {
  /** A provider whose policy is this writer's alone (not the thread agent's). */
  readonly provider: ModelProvider;
  readonly maxTokens?: number;
}

/** A model forced to call `emit_runbook`; its input is returned untrusted, for the chain to vet. */
export class LlmRunbookWriter implements RunbookWriter {
  readonly name: ModelVendor;
  private readonly options: LlmRunbookWriterOptions;

  constructor(options: LlmRunbookWriterOptions) {
    this.options = options;
    this.name = options.provider.vendor;
  }

  async write(request: RunbookRequest, signal: AbortSignal): Promise<unknown> {
    const prompt = buildRunbookPrompt(request);
    const reply = await this.options.provider.forceTool(
      {
        system: prompt.system,
        user: prompt.user,
        tool: {
          name: RUNBOOK_TOOL_NAME,
          description: RUNBOOK_TOOL_DESCRIPTION,
          inputSchema: runbookInputSchema(request.actions),
        },
        maxTokens: this.options.maxTokens ?? 4096,
      },
      signal,
    );
    assertComplete(reply, 'runbook');
    return forcedToolInput(reply, RUNBOOK_TOOL_NAME);
  }
}
