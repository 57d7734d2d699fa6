import {
  ConverseCommand,
  type BedrockRuntimeClient,
  type ConverseCommandOutput,
  type ToolInputSchema,
} from '@aws-sdk/client-bedrock-runtime';
import type { RunbookRequest, RunbookWriter } from '../core/runbooks/model.js';
import { AppError } from '../errors.js';
import type { DependencyPolicy } from '../resilience/index.js';
import { buildRunbookPrompt } from './prompt.js';
import { RUNBOOK_TOOL_DESCRIPTION, RUNBOOK_TOOL_NAME, runbookInputSchema } from './runbook-schema.js';

export interface BedrockRunbookWriterOptions {
  /** Built by `createBedrockClient` (maxAttempts 1). */
  readonly client: BedrockRuntimeClient;
  /** `BEDROCK_MODEL_ID`: an inference profile ID or ARN for Claude 4 models. */
  readonly modelId: string;
  /** This writer's own 'llm' policy: its breaker must not be shared with another provider. */
  readonly policy: DependencyPolicy;
  readonly maxTokens?: number;
  readonly temperature?: number;
}

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

/** Only identifier-like stop reasons are repeated in errors. */
const safe = (value: string | undefined): string =>
  value !== undefined && /^[A-Za-z0-9_]{1,64}$/.test(value) ? value : 'unknown';

/** Claude on Amazon Bedrock through Converse, forced to call `emit_runbook`. */
export class BedrockRunbookWriter implements RunbookWriter {
  readonly name = 'bedrock' as const;
  private readonly options: BedrockRunbookWriterOptions;

  constructor(options: BedrockRunbookWriterOptions) {
    this.options = options;
  }

  async write(request: RunbookRequest, signal: AbortSignal): Promise<unknown> {
    const { client, modelId, policy } = this.options;
    const prompt = buildRunbookPrompt(request);
    const command = new ConverseCommand({
      modelId,
      system: [{ text: prompt.system }],
      messages: [{ role: 'user', content: [{ text: prompt.user }] }],
      inferenceConfig: {
        maxTokens: this.options.maxTokens ?? 4096,
        temperature: this.options.temperature ?? 0.2,
      },
      toolConfig: {
        tools: [
          {
            toolSpec: {
              name: RUNBOOK_TOOL_NAME,
              description: RUNBOOK_TOOL_DESCRIPTION,
              inputSchema: { json: toDocument(runbookInputSchema(request.actions)) },
            },
          },
        ],
        toolChoice: { tool: { name: RUNBOOK_TOOL_NAME } },
      },
    });
    const output = await policy.execute(
      (attemptSignal) => client.send(command, { abortSignal: attemptSignal }),
      {
        idempotent: true,
        operation: 'bedrock.converse',
        signal,
      },
    );
    return runbookInputOf(output);
  }
}

/** The `emit_runbook` call's input, still untrusted. A cut-off or tool-less answer is a failure. */
export const runbookInputOf = (output: ConverseCommandOutput): unknown => {
  const stop = safe(output.stopReason);
  if (output.stopReason === 'max_tokens') {
    throw new AppError('dependency_failed', 'bedrock runbook was cut off (stopReason max_tokens)');
  }
  const call = output.output?.message?.content?.find((block) => block.toolUse?.name === RUNBOOK_TOOL_NAME);
  if (call?.toolUse === undefined) {
    throw new AppError('dependency_failed', `bedrock did not call ${RUNBOOK_TOOL_NAME} (stopReason ${stop})`);
  }
  return call.toolUse.input;
};
