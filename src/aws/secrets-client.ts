import type * as SecretsManager from '@aws-sdk/client-secrets-manager';
import type { LazyClient } from '../core/runtime/lazy-client.js';
import { lazyAwsClient, type AwsClientOptions } from './aws-client.js';

export type SecretsManagerClientOptions = AwsClientOptions<
  SecretsManager.SecretsManagerClientConfig['credentials']
>;

/** The Secrets Manager SDK and client, loaded on the first request (src/core/runtime/lazy-client.ts). */
export type LazySecretsManagerClient = LazyClient<typeof SecretsManager, SecretsManager.SecretsManagerClient>;

/** Called by the composition root only; one attempt per call, the secrets_manager policy retries. */
export const createSecretsManagerClient = (options: SecretsManagerClientOptions): LazySecretsManagerClient =>
  lazyAwsClient(
    () => import('@aws-sdk/client-secrets-manager'),
    (sdk, config) => new sdk.SecretsManagerClient(config),
    options,
  );
