import type * as SecretsManager from '@aws-sdk/client-secrets-manager';
import { lazyClient, type LazyClient } from '../core/runtime/lazy-client.js';

export interface SecretsManagerClientOptions {
  readonly region: string;
  /** AWS_ENDPOINT_URL_SECRETS_MANAGER: a local fake or a VPC endpoint. */
  readonly endpoint?: string | undefined;
  /** Static credentials (tests, the fake); the SDK's default provider chain when absent. */
  readonly credentials?: SecretsManager.SecretsManagerClientConfig['credentials'];
}

/** The Secrets Manager SDK and client, loaded on the first request (src/core/runtime/lazy-client.ts). */
export type LazySecretsManagerClient = LazyClient<typeof SecretsManager, SecretsManager.SecretsManagerClient>;

/**
 * Called by the composition root only. `maxAttempts: 1` because the secrets_manager policy is the
 * one retry layer: the SDK's own 3 attempts would multiply ours and resend writes unseen.
 */
export const createSecretsManagerClient = (options: SecretsManagerClientOptions): LazySecretsManagerClient =>
  lazyClient(
    () => import('@aws-sdk/client-secrets-manager'),
    (sdk) =>
      new sdk.SecretsManagerClient({
        region: options.region,
        maxAttempts: 1,
        ...(options.endpoint === undefined ? {} : { endpoint: options.endpoint }),
        ...(options.credentials === undefined ? {} : { credentials: options.credentials }),
      }),
    (client) => {
      client.destroy();
    },
  );
