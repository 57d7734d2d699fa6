/**
 * What a fake LLM answers, scripted per test. The same reply kinds work for Bedrock Converse and
 * the Anthropic Messages API; each fake renders them in its own wire format.
 */
export type LlmReply = (
  | {
      /** A call of `toolName` (default `emit_runbook`): a good runbook, or any wrong-shaped input. */
      readonly kind: 'tool_use';
      readonly input: unknown;
      readonly toolName?: string;
      /** Text the model writes before the call. */
      readonly preamble?: string;
    }
  /** No tool call at all, just text (end_turn): e.g. prose, or JSON the model typed out. */
  | { readonly kind: 'text'; readonly text: string }
  /** Cut off: stop reason max_tokens, optionally with a partial tool call. */
  | { readonly kind: 'max_tokens'; readonly partialInput?: unknown }
  /** The provider's own error: Bedrock `x-amzn-ErrorType` name, or Anthropic `error.type`. */
  | { readonly kind: 'error'; readonly status: number; readonly type: string; readonly message?: string }
  /** Anything on the wire, e.g. a 200 with an HTML body. */
  | { readonly kind: 'raw'; readonly status: number; readonly body: string; readonly contentType?: string }
  /** Never answers (until the client gives up or the fake closes). */
  | { readonly kind: 'hang' }
) & {
  /** Answer this late (ms): for timeout tests. */
  readonly delayMs?: number;
};

export const toolUse = (input: unknown, extra: { toolName?: string; preamble?: string } = {}): LlmReply => ({
  kind: 'tool_use',
  input,
  ...extra,
});

export const slow = (delayMs: number, reply: LlmReply): LlmReply => ({ ...reply, delayMs });

/** Bedrock's errors by name, with the status restJson1 gives each. */
export const bedrockError = {
  throttling: (): LlmReply => ({
    kind: 'error',
    status: 429,
    type: 'ThrottlingException',
    message: 'Too many tokens, please wait before trying again.',
  }),
  internal: (): LlmReply => ({
    kind: 'error',
    status: 500,
    type: 'InternalServerException',
    message: 'Internal',
  }),
  unavailable: (): LlmReply => ({
    kind: 'error',
    status: 503,
    type: 'ServiceUnavailableException',
    message: 'Service unavailable',
  }),
  validation: (message = 'Malformed input request'): LlmReply => ({
    kind: 'error',
    status: 400,
    type: 'ValidationException',
    message,
  }),
  accessDenied: (): LlmReply => ({
    kind: 'error',
    status: 403,
    type: 'AccessDeniedException',
    message: 'Denied',
  }),
} as const;

/** Anthropic's errors: `{"type":"error","error":{"type","message"}}`. */
export const anthropicError = {
  rateLimited: (): LlmReply => ({
    kind: 'error',
    status: 429,
    type: 'rate_limit_error',
    message: 'Rate limited',
  }),
  overloaded: (): LlmReply => ({
    kind: 'error',
    status: 529,
    type: 'overloaded_error',
    message: 'Overloaded',
  }),
  internal: (): LlmReply => ({
    kind: 'error',
    status: 500,
    type: 'api_error',
    message: 'Internal server error',
  }),
  authentication: (): LlmReply => ({
    kind: 'error',
    status: 401,
    type: 'authentication_error',
    message: 'invalid x-api-key',
  }),
} as const;

/** Replies in order, then `always` (if set), then a 500 that says the test forgot to script one. */
export class ReplyScript {
  private readonly queue: LlmReply[] = [];
  private fallback: LlmReply | undefined;

  enqueue(...replies: LlmReply[]): this {
    this.queue.push(...replies);
    return this;
  }

  always(reply: LlmReply): this {
    this.fallback = reply;
    return this;
  }

  reset(): void {
    this.queue.length = 0;
    this.fallback = undefined;
  }

  next(): LlmReply {
    return (
      this.queue.shift() ??
      this.fallback ?? { kind: 'error', status: 500, type: 'NoReplyScripted', message: 'no reply scripted' }
    );
  }
}

/** Tokens, roughly, so usage looks real. */
export const approxTokens = (text: string): number => Math.max(1, Math.ceil(text.length / 4));
