import type * as AnthropicSdk from '@anthropic-ai/sdk';
import type * as BedrockRuntime from '@aws-sdk/client-bedrock-runtime';
import { lazyClient, type LazyClient } from '../core/runtime/lazy-client.js';

/**
 * SDK clients for the model providers, built once per vendor by the composition root and passed
 * to the providers (a vendor's runbook and agent providers share one). Both have their own
 * retries off: the 'llm' dependency policy is the only retry layer, and the
 * chain's fallback is the answer to a failing provider. Each SDK is imported, and its client
 * built, by the first request (src/core/runtime/lazy-client.ts).
 */

/** Bedrock Runtime's SDK and client; providers build their commands from `sdk`. */
export type LazyBedrockClient = LazyClient<typeof BedrockRuntime, BedrockRuntime.BedrockRuntimeClient>;

/** The Anthropic SDK and client. */
export type LazyAnthropicClient = LazyClient<typeof AnthropicSdk, AnthropicSdk.Anthropic>;

interface StaticAwsCredentials {
  readonly accessKeyId: string;
  readonly secretAccessKey: string;
  readonly sessionToken?: string;
}

export interface BedrockClientOptions {
  readonly region: string;
  /** e.g. a fake in tests; otherwise the SDK's own (it honours AWS_ENDPOINT_URL_BEDROCK_RUNTIME). */
  readonly endpoint?: string;
  /** Tests and special deployments; otherwise the standard AWS credential chain. */
  readonly credentials?: StaticAwsCredentials;
}

export const createBedrockClient = (options: BedrockClientOptions): LazyBedrockClient =>
  lazyClient(
    () => import('@aws-sdk/client-bedrock-runtime'),
    (sdk) =>
      new sdk.BedrockRuntimeClient({
        region: options.region,
        maxAttempts: 1,
        ...(options.endpoint === undefined ? {} : { endpoint: options.endpoint }),
        // A set AWS_BEARER_TOKEN_BEDROCK makes the client prefer `Authorization: Bearer` even when
        // credentials are given: explicit credentials mean SigV4 with exactly those.
        ...(options.credentials === undefined
          ? {}
          : { credentials: { ...options.credentials }, authSchemePreference: ['sigv4'] }),
      }),
    (client) => {
      client.destroy();
    },
  );

export interface AnthropicClientOptions {
  readonly apiKey: string;
  /** e.g. a fake in tests; otherwise the SDK's own (it honours ANTHROPIC_BASE_URL). */
  readonly baseURL?: string;
}

export const createAnthropicClient = (options: AnthropicClientOptions): LazyAnthropicClient =>
  lazyClient(
    () => import('@anthropic-ai/sdk'),
    (sdk) =>
      new sdk.Anthropic({
        apiKey: options.apiKey,
        maxRetries: 0,
        ...(options.baseURL === undefined ? {} : { baseURL: options.baseURL }),
      }),
    // Its requests go through fetch, which keeps no sockets of the client's own to close.
    () => undefined,
  );
